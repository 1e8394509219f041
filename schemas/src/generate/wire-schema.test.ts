import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataSources } from '../data-sources';
import { providerSpec } from '../provider';
import { resources } from '../registry';
import { providersSchemaJson, providerSource } from './providers-schema-json';
import { wireSchemas } from './wire-schema';
import type { WireBlock } from './wire-schema';

const wire = wireSchemas({ provider: providerSpec, resources, dataSources });

function blocks(block: WireBlock): WireBlock[] {
  return [block, ...block.block_types.flatMap((b) => blocks(b.block))];
}

test('every block has sorted attributes and block types with a valid presence', () => {
  const all = [wire.provider, ...Object.values(wire.resource_schemas), ...Object.values(wire.data_source_schemas)].flatMap((s) => blocks(s.block));
  for (const b of all) {
    const names = b.attributes.map((a) => a.name);
    assert.deepEqual(names, [...names].sort());
    const types = b.block_types.map((t) => t.type_name);
    assert.deepEqual(types, [...types].sort());
    assert.equal(b.description_kind, 'PLAIN');
    for (const a of b.attributes) {
      assert.ok(a.required || a.optional || a.computed, a.name);
      assert.ok(!(a.required && (a.optional || a.computed)), a.name);
    }
  }
});

test('wire shapes of the nested blocks and of optional_computed attributes', () => {
  const flow = wire.resource_schemas.sym_flow?.block;
  const params = flow?.block_types.find((b) => b.type_name === 'params');
  // Sym's shape: a list block of at most one (`params[0].strategy_id`), at schema version 1.
  assert.deepEqual([params?.nesting, params?.min_items, params?.max_items], ['LIST', undefined, 1]);
  assert.equal(wire.resource_schemas.sym_flow?.version, 1);
  const label = flow?.attributes.find((a) => a.name === 'label');
  assert.deepEqual([label?.optional, label?.computed], [true, true], 'Sym stores "" for an unset label: optional+computed');
  const prompt = params?.block.block_types.find((b) => b.type_name === 'prompt_field');
  assert.equal(prompt?.nesting, 'LIST');
  const revoke = params?.block.attributes.find((a) => a.name === 'allow_revoke');
  assert.deepEqual([revoke?.optional, revoke?.computed, revoke?.type], [true, true, 'bool']);
  const sources = params?.block.attributes.find((a) => a.name === 'allowed_sources');
  assert.deepEqual(sources?.type, ['list', 'string']);
  const form = wire.resource_schemas.sym_form?.block.block_types[0];
  assert.deepEqual([form?.type_name, form?.nesting], ['field', 'MAP']);
  const lambda = wire.resource_schemas.sym_strategies?.block.block_types[0];
  assert.deepEqual([lambda?.nesting, lambda?.min_items, lambda?.max_items], ['LIST', 1, undefined]);
  const token = wire.provider.block.attributes.find((a) => a.name === 'token');
  assert.equal(token?.sensitive, true);
});

test('data sources: lookup required, the rest computed, with id', () => {
  for (const ds of dataSources) {
    const attrs = wire.data_source_schemas[ds.typeName]?.block.attributes ?? [];
    assert.ok(attrs.length > ds.lookup.length);
    for (const a of attrs) {
      if (ds.lookup.includes(a.name)) assert.deepEqual([a.required, a.computed], [true, undefined], a.name);
      else assert.deepEqual([a.required, a.optional, a.computed], [undefined, undefined, true], a.name);
    }
    assert.ok(attrs.some((a) => a.name === 'id'));
  }
});

test("providers schema -json mirrors the wire schema in Terraform's JSON form", () => {
  const doc = providersSchemaJson(wire) as {
    format_version: string;
    provider_schemas: Record<string, { provider: unknown; resource_schemas: Record<string, any>; data_source_schemas: Record<string, unknown> }>;
  };
  assert.equal(doc.format_version, '1.0');
  const p = doc.provider_schemas[providerSource];
  assert.ok(p);
  assert.deepEqual(Object.keys(p.resource_schemas), Object.keys(wire.resource_schemas));
  assert.deepEqual(Object.keys(p.data_source_schemas), Object.keys(wire.data_source_schemas));
  const flow = p.resource_schemas.sym_flow;
  assert.equal(flow.version, 1);
  assert.deepEqual(flow.block.attributes.id, {
    type: 'string',
    description: 'Identifier assigned by the control plane.',
    description_kind: 'plain',
    computed: true,
  });
  assert.equal(flow.block.block_types.params.nesting_mode, 'list');
  assert.equal(flow.block.block_types.params.max_items, 1);
  assert.equal(flow.block.block_types.params.block.block_types.prompt_field.nesting_mode, 'list');
  assert.equal(p.resource_schemas.sym_strategies.block.block_types.lambda_strategy.min_items, 1);
  assert.equal(p.resource_schemas.sym_form.block.block_types.field.nesting_mode, 'map');
  assert.ok(!('block_types' in p.resource_schemas.sym_runtime.block), 'empty block_types are omitted');
});
