/**
 * The tfplugin6 schema the provider serves from GetProviderSchema, as plain JSON in protobuf
 * field names. Attributes and nested blocks are sorted by name, as Terraform expects.
 */
import { ctyTypeJson } from '../model';
import type { AttributeSpec, BlockSpec, DataSourceSpec, ProviderSpec, ResourceSpec } from '../model';
import { dataSourceAttributes } from '../registry';
import { terraformView } from '../terraform-view';

/** tfplugin6 `Schema.Attribute` (JSON). Mirrors the provider's framework type of the same name. */
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
/** tfplugin6 `Schema.Block` (JSON). */
export interface WireBlock {
  version?: number;
  description?: string;
  description_kind?: 'PLAIN' | 'MARKDOWN';
  attributes: WireAttribute[];
  block_types: WireNestedBlock[];
}
/** tfplugin6 `Schema.NestedBlock` (JSON). */
export interface WireNestedBlock {
  type_name: string;
  block: WireBlock;
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP' | 'GROUP';
  min_items?: number;
  max_items?: number;
}
/** tfplugin6 `Schema` (JSON). */
export interface WireSchema {
  version: number;
  block: WireBlock;
}
/** Everything GetProviderSchema returns. */
export interface WireSchemas {
  provider: WireSchema;
  resource_schemas: Record<string, WireSchema>;
  data_source_schemas: Record<string, WireSchema>;
}

const nestingNames = { single: 'SINGLE', list: 'LIST', map: 'MAP' } as const;

/** The wire form of one attribute. */
export function wireAttribute(name: string, attr: AttributeSpec): WireAttribute {
  const out: WireAttribute = { name, type: ctyTypeJson(attr.type), description: attr.description, description_kind: 'PLAIN' };
  if (attr.presence === 'required') out.required = true;
  if (attr.presence === 'optional' || attr.presence === 'optional_computed') out.optional = true;
  if (attr.presence === 'computed' || attr.presence === 'optional_computed') out.computed = true;
  if (attr.sensitive) out.sensitive = true;
  return out;
}

/** The wire form of a block body (a resource's top level or a nested block). */
export function wireBlock(description: string, attributes: Record<string, AttributeSpec>, blocks: Record<string, BlockSpec> = {}): WireBlock {
  return {
    description,
    description_kind: 'PLAIN',
    attributes: sortedEntries(attributes).map(([name, attr]) => wireAttribute(name, attr)),
    block_types: sortedEntries(blocks).map(([name, block]) => wireNestedBlock(name, block)),
  };
}

function wireNestedBlock(name: string, block: BlockSpec): WireNestedBlock {
  const out: WireNestedBlock = {
    type_name: name,
    block: wireBlock(block.description, block.attributes, block.blocks),
    nesting: nestingNames[block.nesting],
  };
  // Terraform ignores item limits on single blocks; protobuf JSON leaves zeros out.
  if (block.nesting !== 'single') {
    if (block.minItems) out.min_items = block.minItems;
    if (block.maxItems) out.max_items = block.maxItems;
  }
  return out;
}

/** The wire schema of a resource. */
export function wireResourceSchema(spec: ResourceSpec): WireSchema {
  const view = terraformView(spec);
  return { version: view.version, block: wireBlock(view.description, view.attributes, view.blocks) };
}

/** The wire schema of a data source: lookup attributes required, the rest computed. */
export function wireDataSourceSchema(ds: DataSourceSpec): WireSchema {
  return { version: 0, block: wireBlock(ds.description, dataSourceAttributes(ds)) };
}

/** The wire schema of the provider configuration. */
export function wireProviderSchema(spec: ProviderSpec): WireSchema {
  return { version: 0, block: wireBlock(spec.description, spec.attributes) };
}

/** All schemas served by GetProviderSchema; written to `schemas/generated/provider-schema.json`. */
export function wireSchemas(input: { provider: ProviderSpec; resources: ResourceSpec[]; dataSources: DataSourceSpec[] }): WireSchemas {
  return {
    provider: wireProviderSchema(input.provider),
    resource_schemas: Object.fromEntries([...input.resources].sort((a, b) => compare(a.typeName, b.typeName)).map((r) => [r.typeName, wireResourceSchema(r)])),
    data_source_schemas: Object.fromEntries([...input.dataSources].sort((a, b) => compare(a.typeName, b.typeName)).map((d) => [d.typeName, wireDataSourceSchema(d)])),
  };
}

/** Entries sorted by key with a locale-independent comparison, so output is stable everywhere. */
export function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => compare(a, b));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
