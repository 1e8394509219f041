import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { flowResource, integrationResource, strategyResource, strategyTypesNotSupportedYet, targetResource, validateAgainstSpec } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { FrameworkProvider } from '../framework/framework-provider';
import type { TfObject } from '../framework/object-spec';
import { UNKNOWN, type TfValue } from '../protocol/values';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };

describe('sym provider', () => {
  it('StopProvider aborts the client in flight', async () => {
    let aborted = 0;
    const api = Object.assign(new FakeEntityApi(), { abortInFlight: () => aborted++ });
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [], provider: createSymProvider({ connect: () => api, env: { SYM_JWT: 't' } }) });
    await p.configureProvider(null, '');
    assert.equal(await p.stop(), '');
    assert.equal(aborted, 1);
  });

  it('api_url must be an http(s) URL', async () => {
    const p = new FrameworkProvider({ wireSchemas: wire, resources: [], provider: createSymProvider({ connect: () => new FakeEntityApi() }) });
    const [d, ...rest] = await p.validateProviderConfig({ api_url: 'ftp://x' });
    assert.equal(rest.length, 0);
    assert.equal(d.summary, 'Invalid api_url');
    assert.deepEqual(d.path, ['api_url']);
    assert.deepEqual(await p.validateProviderConfig({ api_url: 'https://sym.example.com' }), []);
  });

  it('validate reports a broken implementation at the attribute, with its line, before any API call', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impl-check-'));
    try {
      writeFileSync(path.join(dir, 'impl.js'), 'import fs from "fs";\nexport function on_request() {}\n');
      const connect = () => {
        throw new Error('validate must not need the API');
      };
      const p = new FrameworkProvider({ wireSchemas: wire, provider: createSymProvider({ connect, env: { SYM_JWT: 't' } }), resources: buildResources([flowResource, strategyResource]), cwd: dir });
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

  it("validate refuses a strategy type that is not supported yet and a target or integration missing its type's settings, at the attribute", async () => {
    const connect = () => {
      throw new Error('validate must not need the API');
    };
    const p = new FrameworkProvider({
      wireSchemas: wire,
      provider: createSymProvider({ connect, env: { SYM_JWT: 't' } }),
      resources: buildResources([strategyResource, targetResource, integrationResource]),
      validate: (spec, value) => validateAgainstSpec(spec, value),
    });
    const type = strategyTypesNotSupportedYet[0]!;
    const [refused, ...none] = await p.validateResourceConfig('sym_strategy', { type, name: 's', targets: [] });
    assert.equal(none.length, 0);
    assert.deepEqual(refused.path, ['type']);
    assert.match(refused.detail!, new RegExp(`"${type}" is not supported yet by OpenSym`));
    assert.deepEqual(await p.validateResourceConfig('sym_strategy', { type: 'okta', name: 's', targets: [] }), []);

    const [settings, ...rest] = await p.validateResourceConfig('sym_target', { type: 'okta_group', name: 't', settings: { group: '00g1' } });
    assert.equal(rest.length, 0);
    assert.deepEqual(settings.path, ['settings']);
    assert.match(settings.detail!, /okta_group` targets need `settings.group_id`/);
    assert.deepEqual(await p.validateResourceConfig('sym_target', { type: 'okta_group', name: 't', settings: { group_id: '00g1' } }), []);
    assert.deepEqual(
      await p.validateResourceConfig('sym_integration', { type: 'github', name: 'g', external_id: 'acme', settings: { api_token_secret: UNKNOWN } }),
      [],
      'a secret id known only at apply',
    );
  });
});
