import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs/light.js';
import { loadProtocolServices } from './load-protos';
import { DESCRIPTOR_FILE, renderDescriptor } from './proto/embed-protos';
import descriptor from './proto/protocol-descriptor.json' with { type: 'json' };

describe('embedded protocol descriptor', () => {
  it('matches the .proto files (run proto/embed-protos.ts after editing one)', () => {
    const committed = readFileSync(fileURLToPath(new URL(`./proto/${DESCRIPTOR_FILE}`, import.meta.url)), 'utf8');
    assert.equal(committed, renderDescriptor());
  });
});

describe('protocol services', () => {
  const services = loadProtocolServices();

  it('serves every tfplugin6 RPC the framework implements, at its gRPC path', () => {
    for (const rpc of ['GetMetadata', 'GetProviderSchema', 'ValidateResourceConfig', 'ReadResource', 'PlanResourceChange', 'ApplyResourceChange', 'ImportResourceState', 'StopProvider']) {
      assert.equal(services.provider[rpc]?.path, `/tfplugin6.Provider/${rpc}`, rpc);
    }
    assert.equal(services.controller.Shutdown?.path, '/plugin.GRPCController/Shutdown');
    assert.equal(services.stdio.StreamStdio?.responseStream, true);
    assert.equal(services.health.Check?.path, '/grpc.health.v1.Health/Check');
  });

  it('encodes messages with proto field names and decodes enums as names, int64s as numbers', () => {
    const rpc = services.provider.PlanResourceChange!;
    const response = {
      planned_state: { msgpack: Buffer.from('d40000', 'hex') },
      requires_replace: [{ steps: [{ attribute_name: 'name' }, { element_key_int: 2 }, { element_key_string: 'k' }] }],
      diagnostics: [{ severity: 'WARNING', summary: 's', detail: 'd' }],
    };
    const decoded = rpc.responseDeserialize(rpc.responseSerialize(response)) as Record<string, any>;
    assert.deepEqual(decoded.planned_state.msgpack, Buffer.from('d40000', 'hex'));
    assert.ok(Buffer.isBuffer(decoded.planned_state.msgpack));
    assert.deepEqual(decoded.diagnostics, [{ severity: 'WARNING', summary: 's', detail: 'd' }]);
    // oneofs: the name of the member that is set is given too.
    assert.deepEqual(decoded.requires_replace[0].steps, [
      { attribute_name: 'name', selector: 'attribute_name' },
      { element_key_int: 2, selector: 'element_key_int' },
      { element_key_string: 'k', selector: 'element_key_string' },
    ]);
  });

  it('round-trips a request with an int64 and nested messages', () => {
    const rpc = services.provider.UpgradeResourceState!;
    const request = { type_name: 'sym_flow', version: 3, raw_state: { json: Buffer.from('{}') } };
    const decoded = rpc.requestDeserialize(rpc.requestSerialize(request)) as Record<string, any>;
    assert.equal(decoded.type_name, 'sym_flow');
    assert.equal(decoded.version, 3);
    assert.equal(decoded.raw_state.json.toString(), '{}');
  });

  it('takes empty messages as zero bytes without protobufjs, exactly as the full codec does', () => {
    const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
    const options = { longs: Number, enums: String, oneofs: true };
    for (const [service, name] of [
      ['tfplugin6.Provider', 'provider'],
      ['plugin.GRPCController', 'controller'],
      ['plugin.GRPCStdio', 'stdio'],
      ['grpc.health.v1.Health', 'health'],
    ] as const) {
      for (const [method, def] of Object.entries(services[name])) {
        const m = root.lookupService(service).methods[method]!;
        m.resolve();
        for (const [t, serialize, deserialize] of [
          [m.resolvedRequestType!, def.requestSerialize, def.requestDeserialize],
          [m.resolvedResponseType!, def.responseSerialize, def.responseDeserialize],
        ] as const) {
          assert.equal(t.encode(t.fromObject({})).finish().length, 0, `${service}.${method}`);
          assert.deepEqual(t.toObject(t.decode(Buffer.alloc(0)), options), {}, `${service}.${method}`);
          assert.equal(serialize({}).length, 0);
          assert.deepEqual(deserialize(Buffer.alloc(0)), {});
        }
      }
    }
  });

  it('passes bytes encoded ahead through unchanged', () => {
    const rpc = services.provider.ReadResource!;
    const bytes = rpc.responseSerialize({ new_state: { msgpack: Buffer.from('c0', 'hex') } });
    assert.deepEqual(rpc.responseSerialize(new Uint8Array(bytes)), bytes);
  });
});
