import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProtocolServices } from './load-protos';
import type { WireSchemas } from './provider-server';
import { encodeSchemaResponse, schemaResponse } from './schema-response';

// The protocol layer is handed its schema; this one has typed attributes and a nested block.
const wire: WireSchemas = {
  provider: { version: 0, block: { attributes: [{ name: 'api_url', type: 'string', optional: true }], block_types: [] } },
  resource_schemas: {
    sym_target: {
      version: 1,
      block: {
        attributes: [
          { name: 'id', type: 'string', computed: true },
          { name: 'name', type: 'string', required: true },
          { name: 'settings', type: ['map', 'string'], optional: true, sensitive: true },
        ],
        block_types: [{ type_name: 'rule', nesting: 'LIST', block: { attributes: [{ name: 'n', type: 'number', optional: true }], block_types: [] } }],
      },
    },
  },
  data_source_schemas: { sym_target: { version: 0, block: { attributes: [{ name: 'name', type: 'string', required: true }], block_types: [] } } },
};

describe('GetProviderSchema response bytes', () => {
  const w = wire;
  const decode = (b: Buffer) => loadProtocolServices().provider.GetProviderSchema!.responseDeserialize(b) as Record<string, any>;

  it('carry every schema, attribute types as JSON bytes, and the server capabilities', () => {
    const res = decode(schemaResponse(w));
    assert.deepEqual(Object.keys(res.resource_schemas).sort(), Object.keys(w.resource_schemas).sort());
    assert.deepEqual(Object.keys(res.data_source_schemas).sort(), Object.keys(w.data_source_schemas).sort());
    assert.deepEqual(
      res.provider.block.attributes.map((a: { name: string }) => a.name),
      w.provider.block.attributes.map((a) => a.name),
    );
    const target = res.resource_schemas.sym_target.block.attributes;
    for (const [i, a] of w.resource_schemas.sym_target!.block.attributes.entries()) {
      assert.equal(target[i].name, a.name);
      assert.deepEqual(JSON.parse(target[i].type.toString('utf8')), a.type);
    }
    assert.equal(res.server_capabilities.get_provider_schema_optional, true);
  });

  it('are the prepared bytes only for the very schema they were made from', () => {
    const prepared = { schemas: w, base64: Buffer.from('prepared').toString('base64') };
    assert.equal(schemaResponse(w, prepared).toString(), 'prepared');
    assert.deepEqual(schemaResponse({ ...w }, prepared), encodeSchemaResponse(w), 'another schema object is encoded');
    assert.deepEqual(schemaResponse(w), encodeSchemaResponse(w));
  });
});
