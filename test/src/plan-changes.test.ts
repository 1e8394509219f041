import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedAttributes, planChanges, planImports, stateResources } from './plan-changes';

const plan = JSON.stringify({
  resource_changes: [
    { address: 'sym_flow.a', mode: 'managed', type: 'sym_flow', change: { actions: ['update'] } },
    { address: 'sym_target.b', mode: 'managed', type: 'sym_target', change: { actions: ['no-op'] } },
    { address: 'sym_secrets.c', mode: 'managed', type: 'sym_secrets', change: { actions: ['create', 'delete'] } },
    { address: 'sym_target.d', mode: 'managed', type: 'sym_target', change: { actions: ['delete', 'create'] } },
    { address: 'data.sym_integration.e', mode: 'data', type: 'sym_integration', change: { actions: ['read'] } },
    { address: 'sym_form.f', mode: 'managed', type: 'sym_form', change: { actions: ['no-op'], importing: { id: 'abc' } } },
  ],
});

test('planChanges keeps managed changes and names replacements by order', () => {
  assert.deepEqual(planChanges(plan), { 'sym_flow.a': 'update', 'sym_secrets.c': 'create-delete', 'sym_target.d': 'delete-create' });
});

test('planChanges of a plan without resource_changes is empty', () => {
  assert.deepEqual(planChanges('{}'), {});
});

test('planImports lists import-block imports with their ids', () => {
  assert.deepEqual(planImports(plan), { 'sym_form.f': 'abc' });
});

test('stateResources walks modules and skips data sources', () => {
  const state = JSON.stringify({
    values: {
      root_module: {
        resources: [
          { address: 'sym_flow.a', mode: 'managed', type: 'sym_flow', name: 'a', values: { id: '1' } },
          { address: 'data.sym_integration.b', mode: 'data', type: 'sym_integration', name: 'b', values: { id: '2' } },
        ],
        child_modules: [{ resources: [{ address: 'module.m.sym_target.c', mode: 'managed', type: 'sym_target', name: 'c', values: { id: '3' } }] }],
      },
    },
  });
  assert.deepEqual(
    stateResources(state).map((r) => r.address),
    ['sym_flow.a', 'module.m.sym_target.c'],
  );
});

test('changedAttributes lists differing and unknown attributes', () => {
  const update = JSON.stringify({
    resource_changes: [
      {
        address: 'sym_strategy.s',
        mode: 'managed',
        type: 'sym_strategy',
        change: {
          actions: ['update'],
          before: { id: '1', implementation: 'export class A {}', implementation_hash: 'h', targets: ['t'] },
          after: { id: '1', implementation: './a.js', implementation_hash: 'h', targets: ['t'] },
          after_unknown: { updated: true },
        },
      },
    ],
  });
  assert.deepEqual(changedAttributes(update, 'sym_strategy.s'), ['implementation', 'updated']);
  assert.throws(() => changedAttributes(update, 'sym_flow.x'), /not in the plan/);
});
