import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { flowResource } from '@opensym/schemas';
import { UNKNOWN } from '../protocol/values';
import { fixedProvider } from './fixture-provider';
import { fixtureTypedSpec } from './fixture-specs';
import { FrameworkProvider } from './framework-provider';
import type { TfObject } from './object-spec';
import type { Resource } from './resource';

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

/** A resource with a source-or-path attribute, and nothing else to do. */
const sourced: Resource = { ...throwing, spec: flowResource };

describe('FrameworkProvider', () => {
  it("StopProvider calls the provider's stop", async () => {
    let stopped = 0;
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [], provider: fixedProvider({}, { stop: () => void stopped++ }) });
    await p.configureProvider(null, '');
    assert.equal(await p.stop(), '');
    assert.equal(stopped, 1);
  });

  it('validateProviderConfig reports validator issues at their attribute', async () => {
    const p = new FrameworkProvider({
      wireSchemas: wire,
      provider: fixedProvider({}, { spec: { description: '', attributes: { api_url: { type: 'string', presence: 'optional', description: '' } } } }),
      resources: [],
      validate: () => [{ path: ['api_url'], message: 'Must match ^https?://.' }],
    });
    const [d] = await p.validateProviderConfig({ api_url: 'ftp://x' });
    assert.deepEqual(d.path, ['api_url']);
  });

  it('an unexpected error in a resource is one diagnostic without a stack; create keeps no state', async () => {
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [throwing], provider: fixedProvider({}) });
    const planned = { id: null, type: 'slack', name: 'a', settings: null };
    const res = await p.applyResourceChange('sym_integration', null, planned, planned, undefined);
    assert.equal(res.newState, null);
    assert.equal(res.diagnostics.length, 1);
    assert.equal(res.diagnostics[0].summary, 'Unexpected provider error');
    assert.doesNotMatch(res.diagnostics[0].detail!, /\n\s+at /);
  });

  it('unknown type names are diagnostics, not exceptions', async () => {
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [], provider: fixedProvider({}) });
    const [d] = await p.validateResourceConfig('sym_nope', {});
    assert.equal(d.summary, 'Unknown resource type');
  });

  it('source-or-path attributes: a missing file, and the provider checkSource problems, at the attribute', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'source-check-'));
    try {
      writeFileSync(path.join(dir, 'impl.js'), 'bad line one');
      const seen: string[] = [];
      const provider = fixedProvider(null, {
        checkSource: (source, attr) => {
          seen.push(source);
          assert.equal(attr.sourceOrPath?.hashAttribute, 'implementation_hash');
          return source.startsWith('bad')
            ? [
                { line: 1, message: 'bad start' },
                { line: 2, message: 'worse' },
              ]
            : [];
        },
      });
      const p = new FrameworkProvider({ wireSchemas: wire, provider, resources: [sourced], cwd: dir });
      const [d, ...rest] = await p.validateResourceConfig('sym_flow', { name: 'f', implementation: 'impl.js' });
      assert.equal(rest.length, 0);
      assert.deepEqual(d.path, ['implementation']);
      assert.equal(d.summary, 'Invalid implementation');
      assert.equal(d.detail, 'The implementation in impl.js has 2 problems:\nline 1: bad start\nline 2: worse');
      assert.deepEqual(seen, ['bad line one'], 'the file contents are checked, not the path');
      assert.deepEqual(await p.validateResourceConfig('sym_flow', { name: 'f', implementation: 'export const ok = 1;' }), []);
      const [missing] = await p.validateResourceConfig('sym_flow', { name: 'f', implementation: 'hooks/missing.js' });
      assert.equal(missing.summary, 'Implementation file not found');
      assert.deepEqual(await p.validateResourceConfig('sym_flow', { name: 'f', implementation: UNKNOWN }), [], 'unknown until apply');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resources receive the provider data through configure before they are called', async () => {
    const given: unknown[] = [];
    const res: Resource<{ client: string }> = { ...throwing, spec: fixtureTypedSpec, configure: (d) => given.push(d), create: async (_c, planned) => ({ ...planned, id: 'x' }) };
    let connects = 0;
    const provider = { configure: () => ({ deferred: false, connect: async () => (connects++, { client: 'c' }) }) };
    const p = new FrameworkProvider({ wireSchemas: wire, provider, resources: [res] });
    assert.deepEqual(await p.configureProvider(null, ''), []);
    const planned = { id: null, type: 'slack', name: 'a', settings: null };
    const out = await p.applyResourceChange('sym_integration', null, planned, planned, undefined);
    assert.deepEqual(out.diagnostics, []);
    assert.deepEqual(given, [{ client: 'c' }]);
    assert.equal(connects, 1, 'the configure step runs once');
  });
});
