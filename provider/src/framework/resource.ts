/**
 * What a resource or data source implements, as in terraform-plugin-framework. The framework
 * calls these after planning and validation; they throw ApiError, ApiUnreachableError or
 * DiagnosticsError for user problems and the framework turns those into diagnostics.
 */
import type { DataSourceSpec, ResourceSpec } from '@opensym/schemas';
import type { EntityApi } from '../client/api-client';
import type { TfObject } from './object-spec';

/** Per-call context: the configured API client and the Terraform working directory. */
export interface ResourceContext {
  api: EntityApi;
  cwd: string;
}

/** A managed resource. Values are whole objects shaped by `spec` (every attribute present). */
export interface Resource {
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
}

/** A data source: looks an object up by its config and returns the config with everything computed filled. */
export interface DataSource {
  readonly spec: DataSourceSpec;
  read(ctx: ResourceContext, config: TfObject): Promise<TfObject>;
}

/** Resources and data sources by Terraform type name. */
export class ResourceRegistry {
  readonly #resources = new Map<string, Resource>();
  readonly #dataSources = new Map<string, DataSource>();

  constructor(resources: Iterable<Resource> = [], dataSources: Iterable<DataSource> = []) {
    for (const r of resources) this.#resources.set(r.spec.typeName, r);
    for (const d of dataSources) this.#dataSources.set(d.spec.typeName, d);
  }

  /** The resource for a type name, or undefined. */
  resource(typeName: string): Resource | undefined {
    return this.#resources.get(typeName);
  }

  /** The data source for a type name, or undefined. */
  dataSource(typeName: string): DataSource | undefined {
    return this.#dataSources.get(typeName);
  }
}
