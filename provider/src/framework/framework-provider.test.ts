import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { flowResource, strategyResource } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { fixtureTypedSpec } from './fixture-specs';
import { FrameworkProvider } from './framework-provider';
import type { Resource } from './resource';
import type { TfObject } from './object-spec';
import { EntityResource } from '../resources/entity-resource';
import { UNKNOWN, type TfValue } from './values';

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

  it('validate reports a broken implementation at the attribute, with its line, before any API call', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impl-check-'));
    try {
      writeFileSync(path.join(dir, 'impl.js'), 'import fs from "fs";\nexport function on_request() {}\n');
      const connect = () => {
        throw new Error('validate must not need the API');
      };
      const p = new FrameworkProvider({ wireSchemas: wire, resources: [new EntityResource(flowResource), new EntityResource(strategyResource)], connect, cwd: dir });
      const flow = (implementation: TfValue): TfObject => ({ name: 'f', environment_id: UNKNOWN, implementation });

      const [syntax, ...rest] = await p.validateResourceConfig('sym_flow', flow('export function on_request() {\n  return 1;\n'));
      assert.equal(rest.length, 0);
      assert.deepEqual(syntax.path, ['implementation']);
      assert.equal(syntax.summary, 'Invalid implementation');
      assert.match(syntax.detail!, /^The implementation, line 3: SyntaxError: /);

      const [fromFile, ...more] = await p.validateResourceConfig('sym_flow', flow('impl.js'));
      assert.equal(more.length, 0);
      assert.deepEqual(fromFile.path, ['implementation']);
      assert.match(fromFile.detail!, /^The implementation in impl\.js, line 1: module "fs" is not available/);

      const [hooks, ...one] = await p.validateResourceConfig('sym_flow', flow('export function on_requets() {}\nexport const helper = 1;'));
      assert.equal(one.length, 0, 'one diagnostic per attribute');
      assert.match(hooks.detail!, /^The implementation has 2 problems:\nline 1: unknown hook "on_requets": .*\nline 2: unknown hook "helper"/);

      assert.deepEqual(await p.validateResourceConfig('sym_flow', flow(UNKNOWN)), [], 'unknown until apply: nothing to check yet');
      const strategy = 'import { AccessStrategy } from "sym/sdk/strategies";\nexport class S extends AccessStrategy { escalate() {} deescalate() {} }';
      assert.deepEqual(await p.validateResourceConfig('sym_strategy', { type: 'custom', name: 's', targets: [], implementation: strategy }), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
