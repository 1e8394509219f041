/**
 * The document `terraform providers schema -json` prints for this provider. CDKTF's binding
 * generator reads it, so field names, casing and omitted-when-empty rules follow Terraform's
 * `jsonprovider` package.
 */
import type { WireAttribute, WireBlock, WireSchema, WireSchemas } from './wire-schema';

/** The provider's source address, as written in `required_providers`. */
export const providerSource = 'opensym.dev/opensym/sym';

/** Builds the `providers schema -json` document from the wire schemas. */
export function providersSchemaJson(wire: WireSchemas): unknown {
  return {
    format_version: '1.0',
    provider_schemas: {
      [providerSource]: {
        provider: jsonSchema(wire.provider),
        resource_schemas: mapValues(wire.resource_schemas, jsonSchema),
        data_source_schemas: mapValues(wire.data_source_schemas, jsonSchema),
      },
    },
  };
}

function jsonSchema(schema: WireSchema): unknown {
  return { version: schema.version, block: jsonBlock(schema.block) };
}

function jsonBlock(block: WireBlock): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (block.attributes.length > 0) {
    out.attributes = Object.fromEntries(block.attributes.map((a) => [a.name, jsonAttribute(a)]));
  }
  if (block.block_types.length > 0) {
    out.block_types = Object.fromEntries(
      block.block_types.map((b) => {
        const nested: Record<string, unknown> = { nesting_mode: b.nesting.toLowerCase(), block: jsonBlock(b.block) };
        if (b.min_items) nested.min_items = b.min_items;
        if (b.max_items) nested.max_items = b.max_items;
        return [b.type_name, nested];
      }),
    );
  }
  if (block.description) out.description = block.description;
  out.description_kind = (block.description_kind ?? 'PLAIN').toLowerCase();
  return out;
}

function jsonAttribute(attr: WireAttribute): Record<string, unknown> {
  const out: Record<string, unknown> = { type: attr.type };
  if (attr.description) out.description = attr.description;
  out.description_kind = (attr.description_kind ?? 'PLAIN').toLowerCase();
  if (attr.required) out.required = true;
  if (attr.optional) out.optional = true;
  if (attr.computed) out.computed = true;
  if (attr.sensitive) out.sensitive = true;
  return out;
}

function mapValues<T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
