// State taken over from Sym's provider (symopsio/sym 3.x) and OpenSym's own version-0 state:
// UpgradeResourceState, then the refresh and plan the host runs, against the real specs.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { resourceByType, terraformView } from '@opensym/schemas';
import { FakeEntityApi } from '../client/fake-entity-api';
import { pointerToPath } from '../framework/diagnostics';
import { FrameworkProvider } from '../framework/framework-provider';
import { isComputed, isObject, type ObjectSpec, type TfObject } from '../framework/object-spec';
import { sourceHash } from '../framework/source-or-path';
import type { TfValue } from '../protocol/values';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

type Obj = Record<string, any>;

const hooks = 'export function get_approvers(event) { return []; }\n';
const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };
const flowSpec = terraformView(resourceByType('sym_flow')!);

/** Terraform's ProposedNewState: the config, with the prior value where a computed attribute's config is null. */
function proposedNew(spec: ObjectSpec, prior: TfValue, config: TfObject): TfObject {
  const p = isObject(prior) ? prior : {};
  const out: TfObject = {};
  for (const [name, attr] of Object.entries(spec.attributes)) {
    const c = config[name] ?? null;
    out[name] = c === null && isComputed(attr) ? (p[name] ?? null) : c;
  }
  for (const [name, block] of Object.entries(spec.blocks ?? {})) {
    const c = config[name];
    const pb = p[name];
    out[name] = Array.isArray(c) ? c.map((e, i) => proposedNew(block, Array.isArray(pb) ? pb[i] : null, e as TfObject)) : c;
  }
  return out;
}

/** A sym_flow as symopsio/sym 3.x keeps it in state (schema version 1): list params, "" and {} for unset values. */
function symFlowState(id: string, envId: string, strategyId: string): Obj {
  return {
    id,
    name: 'approval',
    label: '',
    implementation: hooks,
    environment_id: envId,
    vars: {},
    params: [
      {
        strategy_id: strategyId,
        allow_revoke: true,
        schedule_deescalation: true,
        include_decision_message: false,
        allowed_sources: null,
        additional_header_text: '',
        allow_guest_interaction: false,
        prompt_field: [{ name: 'reason', type: 'string', label: 'Why?', required: true, default: '', visible: true, allowed_values: [], prefetch: false, on_change: '' }],
      },
    ],
  };
}

/** The matching configuration: nothing but what a Sym user writes. */
function flowConfig(envId: string, strategyId: string): TfObject {
  return {
    id: null,
    name: 'approval',
    label: null,
    implementation: hooks,
    implementation_hash: null,
    environment_id: envId,
    vars: null,
    params: [
      {
        strategy_id: strategyId,
        form_id: null,
        allow_revoke: null,
        schedule_deescalation: null,
        include_decision_message: null,
        allowed_sources: null,
        additional_header_text: null,
        allow_guest_interaction: null,
        prompt_field: [{ name: 'reason', type: 'string', label: 'Why?', required: null, default: null, visible: null, allowed_values: null, prefetch: null, on_change: null }],
      },
    ],
  };
}

describe('state migration: Sym 3.x state and OpenSym version 0', () => {
  let api: FakeEntityApi;
  let provider: FrameworkProvider;
  let flowId: string;

  beforeEach(async () => {
    api = new FakeEntityApi();
    provider = new FrameworkProvider({
      wireSchemas: wire,
      resources: buildResources([resourceByType('sym_flow')!, resourceByType('sym_target')!]),
      provider: createSymProvider({ connect: () => api, env: { SYM_JWT: 't' } }),
      cwd: mkdtempSync(join(tmpdir(), 'state-migration-')),
    });
    await provider.configureProvider({ api_url: null, org: null, token: null, jwt_env_var: null }, '1.5.7');
    // As the control plane stores a flow created without the optional values.
    const flow = await api.create('flows', {
      name: 'approval',
      label: null,
      implementation: hooks,
      environment_id: 'env-1',
      vars: null,
      params: {
        strategy_id: 'str-1',
        form_id: null,
        allow_revoke: true,
        schedule_deescalation: true,
        include_decision_message: false,
        allowed_sources: null,
        additional_header_text: null,
        allow_guest_interaction: false,
        prompt_field: [{ name: 'reason', type: 'string', label: 'Why?', required: true, default: null, visible: true, allowed_values: null, prefetch: false, on_change: null }],
      },
    });
    flowId = flow.id;
  });

  /** What the host does on `plan`: upgrade, refresh, plan; returns the prior and planned states. */
  async function hostPlan(type: string, version: number, raw: unknown, config: TfObject): Promise<{ prior: TfValue; planned: TfValue }> {
    const up = await provider.upgradeResourceState(type, version, raw);
    assert.deepEqual(up.diagnostics, []);
    const read = await provider.readResource(type, up.upgraded, undefined);
    assert.deepEqual(read.diagnostics, []);
    const spec = type === 'sym_flow' ? flowSpec : terraformView(resourceByType(type)!);
    const plan = await provider.planResourceChange(type, read.newState, proposedNew(spec, read.newState, config), config, undefined);
    assert.deepEqual(plan.diagnostics, []);
    return { prior: read.newState, planned: plan.planned };
  }

  it('upgrades OpenSym version-0 state (params as one object) to a list of one, every attribute present', async () => {
    const v0 = {
      id: flowId,
      name: 'approval',
      label: null,
      implementation: hooks,
      implementation_hash: null,
      environment_id: 'env-1',
      vars: null,
      params: { strategy_id: 'str-1', allow_revoke: true },
    };
    const up = await provider.upgradeResourceState('sym_flow', 0, v0);
    assert.deepEqual(up.diagnostics, []);
    const params = (up.upgraded as Obj).params;
    assert.ok(Array.isArray(params) && params.length === 1, 'params is a list of one');
    assert.equal(params[0].strategy_id, 'str-1');
    assert.deepEqual(Object.keys(params[0]).sort(), Object.keys(flowSpec.blocks!.params!.attributes).concat('prompt_field').sort());
    assert.deepEqual(params[0].prompt_field, []);

    const none = await provider.upgradeResourceState('sym_flow', 0, { ...v0, params: null });
    assert.deepEqual((none.upgraded as Obj).params, [], 'no params block: an empty list');
  });

  it('an upgraded OpenSym version-0 flow plans no change against its configuration', async () => {
    const v0 = {
      id: flowId,
      name: 'approval',
      label: null,
      implementation: hooks,
      implementation_hash: sourceHash(hooks),
      environment_id: 'env-1',
      vars: null,
      params: {
        strategy_id: 'str-1',
        form_id: null,
        allow_revoke: true,
        schedule_deescalation: true,
        include_decision_message: false,
        allowed_sources: null,
        additional_header_text: null,
        allow_guest_interaction: false,
        prompt_field: [{ name: 'reason', type: 'string', label: 'Why?', required: true, default: null, visible: true, allowed_values: null, prefetch: false, on_change: null }],
      },
    };
    const { prior, planned } = await hostPlan('sym_flow', 0, v0, flowConfig('env-1', 'str-1'));
    assert.deepEqual(planned, prior);
  });

  it('takes Sym 3.x state (version 1, "" and {} for unset values) and plans no change', async () => {
    const { prior, planned } = await hostPlan('sym_flow', 1, symFlowState(flowId, 'env-1', 'str-1'), flowConfig('env-1', 'str-1'));
    assert.equal((prior as Obj).label, '', "Sym's spelling is kept");
    assert.deepEqual((prior as Obj).vars, {});
    assert.equal((prior as Obj).implementation_hash, sourceHash(hooks), 'the refresh fills the provider-only hash Sym never wrote');
    assert.deepEqual(planned, prior);
  });

  it('upgrading state already at the current version changes nothing', async () => {
    const once = await provider.upgradeResourceState('sym_flow', 0, { id: flowId, name: 'approval', params: { strategy_id: 'str-1' } });
    const twice = await provider.upgradeResourceState('sym_flow', 1, once.upgraded);
    assert.deepEqual(twice.upgraded, once.upgraded);
    const sym = await provider.upgradeResourceState('sym_flow', 1, symFlowState(flowId, 'env-1', 'str-1'));
    const again = await provider.upgradeResourceState('sym_flow', 1, sym.upgraded);
    assert.deepEqual(again.upgraded, sym.upgraded);
  });

  it('refuses Sym 1.x state (version 0 with template and string params) with the way out', async () => {
    const sym1 = {
      id: flowId,
      name: 'approval',
      template: 'sym:template:approval:1.0.0',
      implementation: hooks,
      environment_id: 'env-1',
      vars: {},
      params: { strategy_id: 'str-1', allow_revoke: 'true' },
    };
    const up = await provider.upgradeResourceState('sym_flow', 0, sym1);
    assert.equal(up.upgraded, null);
    assert.equal(up.diagnostics[0]?.summary, "State written by Sym's provider before 2.0");
    assert.match(up.diagnostics[0]?.detail ?? '', /2\.x or 3\.x/);
  });

  it('state from a newer schema version is still refused', async () => {
    const up = await provider.upgradeResourceState('sym_flow', 2, symFlowState(flowId, 'env-1', 'str-1'));
    assert.equal(up.diagnostics[0]?.summary, 'State written by a newer provider');
  });

  it('an empty-valued attribute set in the config plans no change either, and a removed one is cleared', async () => {
    const target = await api.create('access-targets', { type: 'custom', name: 'db', label: 'Database', settings: null, field_bindings: null });
    const symState = { id: target.id, type: 'custom', name: 'db', label: 'Database', settings: {}, field_bindings: [] };
    const config: TfObject = { id: null, type: 'custom', name: 'db', label: 'Database', settings: {}, field_bindings: null };
    const same = await hostPlan('sym_target', 0, symState, config);
    assert.deepEqual(same.planned, same.prior);

    const cleared = await hostPlan('sym_target', 0, symState, { ...config, label: null });
    assert.equal((cleared.planned as Obj).label, null, 'leaving a set label out clears it');
  });

  it("sends Terraform's list of one as the API's object, and Sym's empty values as null", async () => {
    const config = flowConfig('env-1', 'str-1');
    const plan = await provider.planResourceChange('sym_flow', null, proposedNew(flowSpec, null, { ...config, label: null, vars: {} }), { ...config, vars: {} }, undefined);
    const applied = await provider.applyResourceChange('sym_flow', null, plan.planned, config, undefined);
    assert.deepEqual(applied.diagnostics, []);
    const stored = api.entities.get('flows')!.get((applied.newState as Obj).id)!;
    assert.equal(Array.isArray(stored.params), false);
    assert.equal((stored.params as Obj).strategy_id, 'str-1');
    assert.equal(stored.vars, null, '{} means unset: sent as null');
    assert.deepEqual((applied.newState as Obj).vars, {}, 'state keeps the configured spelling');
    assert.equal((applied.newState as Obj).params[0].strategy_id, 'str-1');
  });

  it("maps an API error pointer into the object to Terraform's params[0] path", () => {
    assert.deepEqual(pointerToPath(flowSpec, '/params/allow_revoke'), ['params', 0, 'allow_revoke']);
    assert.deepEqual(pointerToPath(flowSpec, '/params/prompt_field/1/type'), ['params', 0, 'prompt_field', 1, 'type']);
  });
});
