import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEntityApi } from '../client/fake-entity-api';
import { fixtureTypedSpec } from './fixture-specs';
import { FrameworkProvider } from './framework-provider';
import type { Resource } from './resource';
import type { TfObject } from './object-spec';

const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };

/** A resource whose operations fail the way a buggy resource would. */
const throwing: Resource = {
  spec: fixtureTypedSpec,
  create: async () => {
    throw new TypeError('cannot read properties of undefined');
  },
  read: async (_c, s) => s,
  update: async (_c, _p, planned) => planned,
  delete: async () => {},
  importState: async (_c, id) => ({ id }) as TfObject,
};

describe('FrameworkProvider', () => {
  it('StopProvider aborts the client in flight', async () => {
    let aborted = 0;
    const api = Object.assign(new FakeEntityApi(), { abortInFlight: () => aborted++ });
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [], connect: () => api, env: { SYM_JWT: 't' } });
    await p.configureProvider(null);
    assert.equal(await p.stop(), '');
    assert.equal(aborted, 1);
  });

  it('validateProviderConfig reports validator issues at their attribute', async () => {
    const p = new FrameworkProvider({
      wireSchemas: wire,
      providerSpec: { description: '', attributes: { api_url: { type: 'string', presence: 'optional', description: '' } } },
      resources: [],
      validate: () => [{ path: ['api_url'], message: 'Must match ^https?://.' }],
      connect: () => new FakeEntityApi(),
    });
    const [d] = await p.validateProviderConfig({ api_url: 'ftp://x' });
    assert.deepEqual(d.path, ['api_url']);
  });

  it('an unexpected error in a resource is one diagnostic without a stack; create keeps no state', async () => {
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [throwing], connect: () => new FakeEntityApi(), env: { SYM_JWT: 't' } });
    const planned = { id: null, type: 'slack', name: 'a', settings: null };
    const res = await p.applyResourceChange('sym_integration', null, planned, planned, undefined);
    assert.equal(res.newState, null);
    assert.equal(res.diagnostics.length, 1);
    assert.equal(res.diagnostics[0].summary, 'Unexpected provider error');
    assert.doesNotMatch(res.diagnostics[0].detail!, /\n\s+at /);
  });

  it('unknown type names are diagnostics, not exceptions', async () => {
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [], connect: () => new FakeEntityApi() });
    const [d] = await p.validateResourceConfig('sym_nope', {});
    assert.equal(d.summary, 'Unknown resource type');
  });
});
