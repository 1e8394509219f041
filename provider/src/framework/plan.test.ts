import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixtureFlowSpec, fixtureFormSpec, fixtureTypedSpec } from './fixture-specs';
import { planResource } from './plan';
import { sourceHash } from './source-or-path';
import { UNKNOWN, type TfValue } from '../protocol/values';

const cwd = mkdtempSync(join(tmpdir(), 'plan-test-'));
const SRC = 'export function on_request() {}\n';

function flowConfig(over: Record<string, TfValue> = {}): Record<string, TfValue> {
  return {
    id: null,
    name: 'approval',
    label: null,
    implementation: SRC,
    implementation_hash: null,
    environment_id: 'env-1',
    vars: null,
    params: {
      strategy_id: null,
      allow_revoke: null,
      allowed_sources: null,
      prompt_field: [
        { name: 'reason', type: 'string', required: null, allowed_values: null },
        { name: 'dur', type: 'duration', required: false, allowed_values: ['1h'] },
      ],
    },
    ...over,
  };
}

/** What apply would have stored for a config: defaults and computed values filled. */
function flowState(over: Record<string, TfValue> = {}): Record<string, TfValue> {
  const planned = planResource({ spec: fixtureFlowSpec, prior: null, proposed: flowConfig(over), config: flowConfig(over), cwd }).planned as Record<string, TfValue>;
  return { ...planned, id: 'flow-1' };
}

/** The host's proposed new state: config plus prior values of computed-only attributes. */
function proposed(config: Record<string, TfValue>, prior: Record<string, TfValue>): Record<string, TfValue> {
  return { ...config, id: prior.id, implementation_hash: prior.implementation_hash };
}

describe('planResource', () => {
  it('destroy: null proposed plans null', () => {
    const out = planResource({ spec: fixtureFlowSpec, prior: flowState(), proposed: null, config: null, cwd });
    assert.equal(out.planned, null);
    assert.deepEqual(out.requiresReplace, []);
  });

  it('create: defaults inside nested list blocks, computed id unknown, hash known', () => {
    const cfg = flowConfig();
    const { planned } = planResource({ spec: fixtureFlowSpec, prior: null, proposed: cfg, config: cfg, cwd });
    const p = planned as Record<string, any>;
    assert.equal(p.id, UNKNOWN);
    assert.equal(p.implementation_hash, sourceHash(SRC));
    assert.equal(p.params.allow_revoke, true);
    assert.equal(p.params.prompt_field[0].required, true);
    assert.equal(p.params.prompt_field[1].required, false, 'config value wins over default');
  });

  it('create: defaults in every map-block element', () => {
    const cfg = { id: null, field: { user_id: { type: 'string', required: null }, reason: { type: 'string', required: true } } };
    const p = planResource({ spec: fixtureFormSpec, prior: null, proposed: cfg, config: cfg, cwd }).planned as Record<string, any>;
    assert.equal(p.field.user_id.required, false);
    assert.equal(p.field.reason.required, true);
  });

  const updateCases: { name: string; change: Record<string, TfValue>; replace: (string | number)[][] }[] = [
    { name: 'label change is in place', change: { label: 'New' }, replace: [] },
    { name: 'implementation change is in place', change: { implementation: 'export function on_request() { return 1 }' }, replace: [] },
  ];
  for (const c of updateCases) {
    it(`update: ${c.name}, id stays known`, () => {
      const prior = flowState();
      const cfg = flowConfig(c.change);
      const out = planResource({ spec: fixtureFlowSpec, prior, proposed: proposed(cfg, prior), config: cfg, cwd });
      const p = out.planned as Record<string, TfValue>;
      assert.equal(p.id, 'flow-1');
      assert.deepEqual(out.requiresReplace, c.replace);
      assert.notDeepEqual(p, prior);
    });
  }

  it('no-op: unchanged config plans exactly the prior state', () => {
    const prior = flowState();
    const cfg = flowConfig();
    const out = planResource({ spec: fixtureFlowSpec, prior, proposed: proposed(cfg, prior), config: cfg, cwd });
    assert.deepEqual(out.planned, prior);
    assert.deepEqual(out.requiresReplace, []);
  });

  it('requiresReplace only when type changes', () => {
    const prior = { id: 'i-1', type: 'slack', name: 'a', settings: null };
    const rename = planResource({ spec: fixtureTypedSpec, prior, proposed: { ...prior, name: 'b' }, config: { ...prior, id: null, name: 'b' }, cwd });
    assert.deepEqual(rename.requiresReplace, []);
    const retype = planResource({ spec: fixtureTypedSpec, prior, proposed: { ...prior, type: 'custom' }, config: { ...prior, id: null, type: 'custom' }, cwd });
    assert.deepEqual(retype.requiresReplace, [['type']]);
  });

  it('path implementation: hash follows the file, the value stays the path', () => {
    const file = join(cwd, 'hooks.js');
    writeFileSync(file, 'v1');
    const cfg = flowConfig({ implementation: 'hooks.js' });
    const first = planResource({ spec: fixtureFlowSpec, prior: null, proposed: cfg, config: cfg, cwd }).planned as Record<string, TfValue>;
    assert.equal(first.implementation, 'hooks.js');
    assert.equal(first.implementation_hash, sourceHash('v1'));
    const prior = { ...first, id: 'flow-1' };
    const same = planResource({ spec: fixtureFlowSpec, prior, proposed: proposed(cfg, prior), config: cfg, cwd });
    assert.deepEqual(same.planned, prior, 'unchanged file: no diff');
    writeFileSync(file, 'v2');
    const edited = planResource({ spec: fixtureFlowSpec, prior, proposed: proposed(cfg, prior), config: cfg, cwd }).planned as Record<string, TfValue>;
    assert.equal(edited.implementation_hash, sourceHash('v2'));
    assert.equal(edited.id, 'flow-1');
  });

  it('after import (state holds the source) a path config is an in-place update, not a replace', () => {
    writeFileSync(join(cwd, 'imp.js'), SRC);
    const prior = flowState();
    const cfg = flowConfig({ implementation: 'imp.js' });
    const out = planResource({ spec: fixtureFlowSpec, prior, proposed: proposed(cfg, prior), config: cfg, cwd });
    const p = out.planned as Record<string, TfValue>;
    assert.equal(p.implementation_hash, prior.implementation_hash);
    assert.equal(p.implementation, 'imp.js');
    assert.deepEqual(out.requiresReplace, []);
  });

  it('is deterministic', () => {
    const prior = flowState();
    const cfg = flowConfig({ label: 'x' });
    const a = planResource({ spec: fixtureFlowSpec, prior, proposed: proposed(cfg, prior), config: cfg, cwd });
    const b = planResource({ spec: fixtureFlowSpec, prior, proposed: proposed(cfg, prior), config: cfg, cwd });
    assert.deepEqual(a, b);
  });

  it('unknown implementation plans an unknown hash', () => {
    const cfg = flowConfig({ implementation: UNKNOWN });
    const p = planResource({ spec: fixtureFlowSpec, prior: null, proposed: cfg, config: cfg, cwd }).planned as Record<string, TfValue>;
    assert.equal(p.implementation_hash, UNKNOWN);
  });
});
