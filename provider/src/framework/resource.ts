/**
 * What a resource or data source implements, as in terraform-plugin-framework. The framework
 * calls these after planning and validation; they throw DiagnosticsError (or NestedFailure) for
 * user problems, or their backend's errors, which the provider's `errorDiagnostics` maps.
 * `Data` is what the provider's configure step produced (its API client, for this provider).
 */
import type { DataSourceSpec, ResourceSpec } from '@opensym/schemas';
import type { TfObject } from './object-spec';

/** Per-call context: the Terraform working directory (for relative paths). */
export interface ResourceContext {
  cwd: string;
}

/**
 * terraform-plugin-framework's Configure (ResourceWithConfigure): the framework hands over the
 * provider data before any call that needs it (create, read, update, delete, import,
 * data-source read). Optional: a resource that needs nothing from the provider leaves it out.
 */
export interface Configurable<Data> {
  configure?(providerData: Data): void;
}

/** A managed resource. Values are whole objects shaped by `spec` (every attribute present). */
export interface Resource<Data = unknown> extends Configurable<Data> {
  readonly spec: ResourceSpec;
  /** Creates the object from the planned state; returns the new state, wholly known. */
  create(ctx: ResourceContext, planned: TfObject): Promise<TfObject>;
  /** Refreshes state from the API; null when the object is gone. */
  read(ctx: ResourceContext, state: TfObject): Promise<TfObject | null>;
  /** Updates in place; returns the new state, wholly known, matching every known planned value. */
  update(ctx: ResourceContext, prior: TfObject, planned: TfObject): Promise<TfObject>;
  /** Deletes the object; an already deleted object is not an error. */
  delete(ctx: ResourceContext, state: TfObject): Promise<void>;
  /** Finds the object an import ID names; returns a skeleton state with `id` set (read fills it). */
  importState(ctx: ResourceContext, id: string): Promise<TfObject>;
  /** Optional resource-level plan modifier, run after the attribute-level steps. Must be pure. */
  modifyPlan?(prior: TfObject | null, planned: TfObject, config: TfObject): void;
  /**
   * terraform-plugin-framework's UpgradeState: turns the raw state JSON written at an older
   * schema `version` into the current shape (the framework then fits it to the schema). Without
   * it, state older than `spec.version` is refused.
   */
  upgradeState?(version: number, rawState: unknown): unknown;
}

/** A data source: looks an object up by its config and returns the config with everything computed filled. */
export interface DataSource<Data = unknown> extends Configurable<Data> {
  readonly spec: DataSourceSpec;
  read(ctx: ResourceContext, config: TfObject): Promise<TfObject>;
}

/** Resources and data sources by Terraform type name. */
export class ResourceRegistry<Data = unknown> {
  readonly #resources = new Map<string, Resource<Data>>();
  readonly #dataSources = new Map<string, DataSource<Data>>();

  constructor(resources: Iterable<Resource<Data>> = [], dataSources: Iterable<DataSource<Data>> = []) {
    for (const r of resources) this.#resources.set(r.spec.typeName, r);
    for (const d of dataSources) this.#dataSources.set(d.spec.typeName, d);
  }

  /** The resource for a type name, or undefined. */
  resource(typeName: string): Resource<Data> | undefined {
    return this.#resources.get(typeName);
  }

  /** The data source for a type name, or undefined. */
  dataSource(typeName: string): DataSource<Data> | undefined {
    return this.#dataSources.get(typeName);
  }
}
