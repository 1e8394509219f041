import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import wire from '../../../schemas/generated/provider-schema.json' with { type: 'json' };
import type { WireSchemas } from '../framework/provider-server';
import { loadProtocolServices } from './load-protos';
import { encodeSchemaResponse, schemaResponse } from './schema-response';

describe('GetProviderSchema response bytes', () => {
  const w = wire as unknown as WireSchemas;
  const decode = (b: Buffer) => loadProtocolServices().provider.GetProviderSchema!.responseDeserialize(b) as Record<string, any>;

  it('carry every schema, attribute types as JSON bytes, and the server capabilities', () => {
    const res = decode(schemaResponse(w));
    assert.deepEqual(Object.keys(res.resource_schemas).sort(), Object.keys(w.resource_schemas).sort());
    assert.deepEqual(Object.keys(res.data_source_schemas).sort(), Object.keys(w.data_source_schemas).sort());
    assert.deepEqual(res.provider.block.attributes.map((a: { name: string }) => a.name), w.provider.block.attributes.map((a) => a.name));
    const target = res.resource_schemas.sym_target.block.attributes;
    for (const [i, a] of w.resource_schemas.sym_target!.block.attributes.entries()) {
      assert.equal(target[i].name, a.name);
      assert.deepEqual(JSON.parse(target[i].type.toString('utf8')), a.type);
    }
    assert.equal(res.server_capabilities.get_provider_schema_optional, true);
  });

  it('are the same whether prepared by the build or encoded on first use', () => {
    assert.deepEqual(schemaResponse(w), encodeSchemaResponse(w));
  });
});
