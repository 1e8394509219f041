/**
 * The contract between the protocol layer (gRPC, msgpack, handshake) and the framework
 * (schemas, planning, CRUD). The protocol layer converts each RPC to one of these calls and the
 * result back; it knows nothing about resources. Private state is opaque bytes.
 */
import type { AttributePath, Diagnostic, TfValue } from './values';

/** The tfplugin6 schemas served by GetProviderSchema, as plain JSON (see schemas/generated). */
export interface WireSchemas {
  provider: WireSchema;
  resource_schemas: Record<string, WireSchema>;
  data_source_schemas: Record<string, WireSchema>;
}
/** tfplugin6 `Schema` with `block`, in protobuf JSON field names (`type` is the cty type JSON value, not yet stringified). */
export interface WireSchema {
  version: number;
  block: WireBlock;
}
/** tfplugin6 `Block`: attributes and nested block types. */
export interface WireBlock {
  version?: number;
  description?: string;
  description_kind?: 'PLAIN' | 'MARKDOWN';
  attributes: WireAttribute[];
  block_types: WireNestedBlock[];
}
/** tfplugin6 `Attribute`, with `type` as cty type JSON. */
export interface WireAttribute {
  name: string;
  type: unknown;
  description?: string;
  description_kind?: 'PLAIN' | 'MARKDOWN';
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}
/** tfplugin6 `NestedBlock`: a block type and its nesting mode. */
export interface WireNestedBlock {
  type_name: string;
  block: WireBlock;
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP' | 'GROUP';
  min_items?: number;
  max_items?: number;
}

/** The answer to PlanResourceChange. */
export interface PlanResult {
  planned: TfValue;
  requiresReplace: AttributePath[];
  plannedPrivate?: Uint8Array;
  diagnostics: Diagnostic[];
}
/** The answer to ApplyResourceChange; `newState` null after a delete. */
export interface ApplyResult {
  newState: TfValue;
  private?: Uint8Array;
  diagnostics: Diagnostic[];
}
/** The answer to ReadResource. */
export interface ReadResult {
  /** null: the object is gone (drift); the host drops it from state. */
  newState: TfValue;
  private?: Uint8Array;
  diagnostics: Diagnostic[];
}

/** What the protocol layer calls. Every method reports user problems as diagnostics, never throws for them. */
export interface ProviderServer {
  schemas(): WireSchemas;
  validateProviderConfig(config: TfValue): Promise<Diagnostic[]>;
  configureProvider(config: TfValue, terraformVersion: string): Promise<Diagnostic[]>;
  validateResourceConfig(typeName: string, config: TfValue): Promise<Diagnostic[]>;
  validateDataSourceConfig(typeName: string, config: TfValue): Promise<Diagnostic[]>;
  /** rawState is the parsed JSON attributes object from the state file, stored under `version`. */
  upgradeResourceState(typeName: string, version: number, rawState: unknown): Promise<{ upgraded: TfValue; diagnostics: Diagnostic[] }>;
  readResource(typeName: string, currentState: TfValue, priv: Uint8Array | undefined): Promise<ReadResult>;
  planResourceChange(typeName: string, priorState: TfValue, proposedNewState: TfValue, config: TfValue, priorPrivate: Uint8Array | undefined): Promise<PlanResult>;
  applyResourceChange(typeName: string, priorState: TfValue, plannedState: TfValue, config: TfValue, plannedPrivate: Uint8Array | undefined): Promise<ApplyResult>;
  importResourceState(typeName: string, id: string): Promise<{ imported: { typeName: string; state: TfValue; private?: Uint8Array }[]; diagnostics: Diagnostic[] }>;
  readDataSource(typeName: string, config: TfValue): Promise<{ state: TfValue; diagnostics: Diagnostic[] }>;
  /** StopProvider: cancel in-flight work (abort HTTP calls). Returns an error message or ''. */
  stop(): Promise<string>;
}
