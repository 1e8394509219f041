import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { FakeEntityApi } from '../client/fake-entity-api';
import { fixtureFlowSpec, fixtureFormSpec, fixtureTypedSpec } from '../framework/fixture-specs';
import { FrameworkProvider } from '../framework/framework-provider';
import { sourceHash } from '../framework/source-or-path';
import { isWhollyKnown, type TfValue } from '../protocol/values';
import { ApiError } from '../client/api-error';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

const cwd = mkdtempSync(join(tmpdir(), 'entity-resource-'));
const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };

type Obj = Record<string, any>;

function flowConfig(over: Obj = {}): Obj {
  return {
    id: null,
    name: 'approval',
    label: null,
    implementation: 'hooks.js',
    implementation_hash: null,
    environment_id: 'env-1',
    vars: null,
    params: { strategy_id: null, allow_revoke: null, allowed_sources: null, prompt_field: [{ name: 'reason', type: 'string', required: null, allowed_values: null }] },
    ...over,
  };
}

describe('sym provider with EntityResource over a fake API', () => {
  let api: FakeEntityApi;
  let provider: FrameworkProvider;

  beforeEach(async () => {
    writeFileSync(join(cwd, 'hooks.js'), 'export function on_request() {}');
    api = new FakeEntityApi();
    provider = new FrameworkProvider({
      wireSchemas: wire,
      resources: buildResources([fixtureFlowSpec, fixtureTypedSpec, fixtureFormSpec]),
      provider: createSymProvider({ connect: () => api, env: { SYM_JWT: 't' } }),
      cwd,
    });
    assert.deepEqual(await provider.configureProvider({ api_url: null, org: null, token: null, jwt_env_var: null }, '1.11.0'), []);
  });

  /** plan + apply as the host does, including the second plan at apply time. */
  async function planApply(type: string, prior: TfValue, config: Obj | null): Promise<{ state: TfValue; plan: Awaited<ReturnType<FrameworkProvider['planResourceChange']>> }> {
    const proposed = config === null ? null : { ...config, id: (prior as Obj | null)?.id ?? null, implementation_hash: (prior as Obj | null)?.implementation_hash ?? null };
    if (type !== 'sym_flow' && proposed) delete proposed.implementation_hash;
    const plan = await provider.planResourceChange(type, prior, proposed, config, undefined);
    assert.deepEqual(plan.diagnostics, []);
    const again = await provider.planResourceChange(type, prior, proposed, config, undefined);
    assert.deepEqual(again.planned, plan.planned, 'plan is deterministic');
    const applied = await provider.applyResourceChange(type, prior, plan.planned, config, undefined);
    assert.deepEqual(applied.diagnostics, []);
    return { state: applied.newState, plan };
  }

  it('create → no-op plan → update → delete', async () => {
    const { state } = await planApply('sym_flow', null, flowConfig());
    const s = state as Obj;
    assert.ok(isWhollyKnown(state));
    assert.equal(s.implementation, 'hooks.js', 'the path stays in state');
    assert.equal(s.implementation_hash, sourceHash('export function on_request() {}'));
    assert.equal(s.params.prompt_field[0].required, true);
    const stored = [...api.entities.get('flows')!.values()][0];
    assert.equal(stored.implementation, 'export function on_request() {}', 'the API gets the source');
    assert.equal('implementation_hash' in stored, false, 'provider-only attributes are not sent');

    const read = await provider.readResource('sym_flow', state, undefined);
    assert.deepEqual(read.newState, state, 'refresh changes nothing');
    const noop = await provider.planResourceChange('sym_flow', state, { ...flowConfig(), id: s.id, implementation_hash: s.implementation_hash }, flowConfig(), undefined);
    assert.deepEqual(noop.planned, state);

    const { state: updated } = await planApply('sym_flow', state, flowConfig({ label: 'Approval' }));
    assert.equal((updated as Obj).id, s.id);
    assert.equal((updated as Obj).label, 'Approval');

    const { state: gone } = await planApply('sym_flow', updated, null);
    assert.equal(gone, null);
    assert.equal(api.entities.get('flows')!.size, 0);
  });

  it('drift: out-of-band change shows in the plan; deletion reads as null', async () => {
    const { state } = await planApply('sym_flow', null, flowConfig());
    const id = (state as Obj).id;
    const e = api.entities.get('flows')!.get(id)!;
    e.label = 'changed';
    e.implementation = 'export function on_request() { return 1 }';
    const read = (await provider.readResource('sym_flow', state, undefined)).newState as Obj;
    assert.equal(read.label, 'changed');
    assert.equal(read.implementation, 'hooks.js', 'prior text kept');
    assert.equal(read.implementation_hash, sourceHash(e.implementation as string), 'hash shows the API source');
    const plan = await provider.planResourceChange('sym_flow', read, { ...flowConfig(), id, implementation_hash: read.implementation_hash }, flowConfig(), undefined);
    assert.equal((plan.planned as Obj).implementation_hash, (state as Obj).implementation_hash, 'plan changes it back');
    api.entities.get('flows')!.delete(id);
    assert.equal((await provider.readResource('sym_flow', state, undefined)).newState, null);
  });

  it('import by name, by type:name, by id; not found is a diagnostic', async () => {
    const flow = api.seed('flows', { name: 'Approval', implementation: 'src', environment_id: 'env-1', label: null, vars: null, params: null });
    const byName = await provider.importResourceState('sym_flow', 'approval');
    assert.deepEqual(byName.diagnostics, []);
    const skeleton = byName.imported[0].state as Obj;
    assert.equal(skeleton.id, flow.id);
    const read = (await provider.readResource('sym_flow', skeleton, undefined)).newState as Obj;
    assert.equal(read.implementation, 'src');
    assert.equal(read.implementation_hash, sourceHash('src'));
    assert.equal(read.name, 'Approval');

    const integ = api.seed('integrations', { type: 'slack', name: 'my-slack', settings: {} });
    const imported = (await provider.importResourceState('sym_integration', 'SLACK:My-Slack'.replace('SLACK', 'slack'))).imported[0].state;
    const afterImport = (await provider.readResource('sym_integration', imported, undefined)).newState as Obj;
    assert.deepEqual(afterImport.settings, {}, 'after import the API value is taken as is (no prior to compare with)');
    const byType = await provider.importResourceState('sym_integration', 'slack:my-slack');
    assert.equal((byType.imported[0].state as Obj).id, integ.id);
    const byId = await provider.importResourceState('sym_integration', integ.id);
    assert.equal((byId.imported[0].state as Obj).id, integ.id);

    const missing = await provider.importResourceState('sym_integration', 'slack:nope');
    assert.equal(missing.imported.length, 0);
    assert.match(missing.diagnostics[0].detail!, /Cannot import: no sym_integration of type "slack" named "nope"/);
  });

  it('API field errors become attribute diagnostics; failed create keeps no state', async () => {
    api.failNext = new ApiError({ status: 422, code: 'validation_failed', title: 'Validation failed', errors: [{ pointer: '/params/prompt_field/0/type', detail: 'bad type' }] });
    const cfg = flowConfig();
    const plan = await provider.planResourceChange('sym_flow', null, cfg, cfg, undefined);
    const res = await provider.applyResourceChange('sym_flow', null, plan.planned, cfg, undefined);
    assert.equal(res.newState, null);
    assert.deepEqual(res.diagnostics[0].path, ['params', 'prompt_field', 0, 'type']);
  });

  it('map blocks: defaults per element; state never holds null blocks', async () => {
    const { state } = await planApply('sym_form', null, { id: null, field: { user_id: { type: 'string', required: null } } });
    assert.deepEqual((state as Obj).field, { user_id: { type: 'string', required: false } });
    const { state: s2 } = await planApply('sym_integration', null, { id: null, type: 'slack', name: 'x', settings: null });
    assert.equal((s2 as Obj).settings, null);
  });

  it('validation: a missing implementation file is a diagnostic on implementation', async () => {
    const diags = await provider.validateResourceConfig('sym_flow', flowConfig({ implementation: 'hooks/missing.js' }));
    assert.equal(diags.length, 1);
    assert.deepEqual(diags[0].path, ['implementation']);
    assert.deepEqual(await provider.validateResourceConfig('sym_flow', flowConfig()), []);
  });

  it('upgradeResourceState fits raw JSON to the schema', async () => {
    const { upgraded } = await provider.upgradeResourceState('sym_integration', 0, { id: 'x', type: 'slack', name: 'n', extra: 1 });
    assert.deepEqual(upgraded, { id: 'x', type: 'slack', name: 'n', settings: null });
  });
});

describe('sym provider: configureProvider', () => {
  const make = (api: FakeEntityApi | (() => never), env: NodeJS.ProcessEnv) =>
    new FrameworkProvider({ wireSchemas: wire, resources: [], provider: createSymProvider({ connect: typeof api === 'function' ? api : () => api, env }), cwd });
  const cfg = (over: Obj = {}) => ({ api_url: null, org: null, token: null, jwt_env_var: null, ...over });

  it('missing token', async () => {
    const d = await make(new FakeEntityApi(), {}).configureProvider(cfg(), '');
    assert.equal(d[0].summary, 'Missing API token');
  });
  it('org mismatch: checked for a token in the provider block', async () => {
    const d = await make(new FakeEntityApi(), {}).configureProvider(cfg({ org: 'other', token: 't' }), '');
    assert.equal(d[0].summary, 'Organization mismatch');
    assert.deepEqual(d[0].path, ['org']);
    assert.deepEqual(await make(new FakeEntityApi(), { SYM_TF_SKIP_VALIDATION: '1' }).configureProvider(cfg({ org: 'other', token: 't' }), ''), [], 'SYM_TF_SKIP_VALIDATION turns it off, as in Sym');
  });
  it('org is not checked when the token comes from SYM_JWT or jwt_env_var (as in Sym)', async () => {
    assert.deepEqual(await make(new FakeEntityApi(), { SYM_JWT: 't' }).configureProvider(cfg({ org: 'other' }), ''), []);
    assert.deepEqual(await make(new FakeEntityApi(), { SYM_JWT: 't', SYM_ORG: 'other' }).configureProvider(cfg(), ''), []);
    assert.deepEqual(await make(new FakeEntityApi(), { MY_TOKEN: 't' }).configureProvider(cfg({ org: 'other', jwt_env_var: 'MY_TOKEN' }), ''), []);
  });
  it('bad token', async () => {
    const api = new FakeEntityApi();
    api.whoami = async () => {
      throw new ApiError({ status: 401, code: 'unauthorized', title: 'Unauthorized' });
    };
    const d = await make(api, { MY_TOKEN: 'x' }).configureProvider(cfg({ jwt_env_var: 'MY_TOKEN' }), '');
    assert.equal(d[0].summary, 'Invalid API token');
    assert.match(d[0].detail!, /MY_TOKEN/);
  });
  it('unreachable', async () => {
    const { ApiClient } = await import('../client/api-client');
    const p = new FrameworkProvider({
      wireSchemas: wire,
      resources: [],
      provider: createSymProvider({ connect: (s) => new ApiClient({ ...s, retries: 0 }), env: { SYM_JWT: 't', SYM_API_URL: 'http://127.0.0.1:1' } }),
      cwd,
    });
    const d = await p.configureProvider(cfg(), '');
    assert.equal(d.length, 1);
    assert.equal(d[0].summary, 'Cannot reach the OpenSym control plane');
    assert.match(d[0].detail!, /http:\/\/127\.0\.0\.1:1/);
  });
  it('unknown config defers the check', async () => {
    const { UNKNOWN } = await import('../protocol/values');
    let connected = 0;
    const p = make(
      (() => {
        connected++;
        return new FakeEntityApi();
      }) as never,
      { SYM_JWT: 't' },
    );
    assert.deepEqual(await p.configureProvider(cfg({ org: UNKNOWN }), ''), []);
    assert.equal(connected, 0);
  });
});
