/**
 * What a provider implements, as terraform-plugin-framework's `provider.Provider`: its config
 * checks and its configure step, whose result (`Data`, the ProviderData) the framework hands to
 * every resource and data source. The framework knows nothing of what `Data` is.
 */
import type { AttributeSpec, ProviderSpec, ResourceSpec } from '@opensym/schemas';
import type { Diagnostic, TfValue } from '../protocol/values';
import type { ErrorDiagnostics } from './diagnostics';
import type { TfObject } from './object-spec';

/**
 * The outcome of ConfigureProvider. `deferred`: the config had unknown values (from another
 * resource), so `connect` runs on first use instead of now.
 */
export interface Configured<Data> {
  deferred: boolean;
  /** Produces the provider data; throws DiagnosticsError (or an error `errorDiagnostics` maps). Called once. */
  connect(): Promise<Data>;
}

/** One problem a provider found in the source of a source-or-path attribute. */
export interface SourceProblem {
  line: number;
  message: string;
}

/** A provider definition; only `configure` is required. */
export interface ProviderDefinition<Data> {
  /** The provider block's schema model, for `validate` in the framework options. */
  readonly spec?: ProviderSpec;
  /** Provider checks at ValidateProviderConfig, after the schema validator found nothing. */
  validateConfig?(config: TfObject): Diagnostic[];
  /** ConfigureProvider; also called with null when a resource call comes first (tests). */
  configure(config: TfValue): Configured<Data>;
  /**
   * Checks the value of a source-or-path attribute as written, before it is read as a path (e.g.
   * a spelling the provider refuses); a diagnostic's summary and detail, or undefined when fine.
   */
  checkSourceValue?(value: string, attribute: AttributeSpec): { summary: string; detail: string } | undefined;
  /** Checks the text of a source-or-path attribute (file contents when it named a file); [] when fine. */
  checkSource?(source: string, attribute: AttributeSpec, filename?: string): SourceProblem[];
  /**
   * Plan-time checks, run after planning on the planned object (never on a destroy). `data`
   * produces the provider data (e.g. to read the objects the resource refers to); it is
   * undefined while the provider config is unknown, when only checks needing nothing else can
   * run. Diagnostics should sit at attributes; values not known yet are skipped, since apply
   * checks them. Errors thrown are mapped as any resource error.
   */
  checkPlan?(spec: ResourceSpec, planned: TfObject, data: (() => Promise<Data>) | undefined): Promise<Diagnostic[]>;
  /**
   * PlanResourceChange: checks the text of a source-or-path attribute whose source changes with
   * the provider's backend (a parser only the backend has); [] when fine. Advisory: when it
   * throws (backend unreachable), the framework logs it and plans on; the backend refuses at apply.
   */
  checkSourceAtPlan?(data: Data, source: string, attribute: AttributeSpec, filename?: string): Promise<SourceProblem[]>;
  /** Maps the errors the provider's resources throw (its backend's) to diagnostics. */
  errorDiagnostics?: ErrorDiagnostics;
  /** StopProvider: cancel work in flight. */
  stop?(): void;
}
