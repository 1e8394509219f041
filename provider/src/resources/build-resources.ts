/** Builds the resource and data source implementations from the schema model. */
import { terraformView, type DataSourceSpec, type ResourceSpec } from '@opensym/schemas';
import type { EntityApi } from '../client/api-client';
import type { DataSource, Resource } from '../framework/resource';
import type { WireSchemas } from '../protocol/provider-server';
import { EntityDataSource } from './entity-data-source';
import { EntityResource } from './entity-resource';
import { LambdaStrategySet } from './lambda-strategy-set';

/**
 * One implementation per resource spec: composites get their own, everything else is generic.
 * Each works on the spec as Terraform sees it (`terraformView`), like the served wire schema.
 */
export function buildResources(specs: readonly ResourceSpec[]): Resource<EntityApi>[] {
  return specs.map((spec) => {
    const view = terraformView(spec);
    return view.composite === 'lambda_strategy_set' ? new LambdaStrategySet(view) : new EntityResource(view);
  });
}

/** One generic data source per data source spec, shaped to its served wire schema. */
export function buildDataSources(specs: readonly DataSourceSpec[], resources: readonly ResourceSpec[], wire?: WireSchemas): DataSource<EntityApi>[] {
  return specs.map((spec) => {
    const resource = resources.find((r) => r.typeName === spec.resource);
    if (!resource) throw new Error(`data source ${spec.typeName} names unknown resource ${spec.resource}`);
    const block = wire?.data_source_schemas[spec.typeName]?.block;
    const shape = block ? { attributes: block.attributes.map((a) => a.name), blocks: block.block_types.map((b) => b.type_name) } : undefined;
    return new EntityDataSource(spec, resource, shape);
  });
}
