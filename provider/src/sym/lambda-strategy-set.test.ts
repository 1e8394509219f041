import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEntityApi } from '../client/fake-entity-api';
import { ApiError } from '../client/api-error';
import { fixtureStrategiesSpec } from '../framework/fixture-specs';
import { FrameworkProvider } from '../framework/framework-provider';
import { UNKNOWN, isWhollyKnown } from '../protocol/values';
import { buildResources } from '../resources/build-resources';
import { createSymProvider } from './sym-provider';

type Obj = Record<string, any>;
const wire = { provider: { version: 0, block: { attributes: [], block_types: [] } }, resource_schemas: {}, data_source_schemas: {} };
const block = (id: string, over: Obj = {}) => ({ id, label: null, code: null, arn: null, ...over });
const cfg = (...blocks: Obj[]) => ({ id: null, strategy_ids: null, lambda_strategy: blocks });

async function setup() {
  const api = new FakeEntityApi();
  const p = new FrameworkProvider({ wireSchemas: wire, resources: buildResources([fixtureStrategiesSpec]), provider: createSymProvider({ connect: () => api, env: { SYM_JWT: 't' } }), cwd: '/' });
  await p.configureProvider(null, '');
  const apply = async (prior: Obj | null, config: Obj | null) => {
    const proposed = config && { ...config, id: prior?.id ?? null, strategy_ids: prior?.strategy_ids ?? null };
    const plan = await p.planResourceChange('sym_strategies', prior, proposed, config, undefined);
    assert.deepEqual(plan.diagnostics, []);
    assert.deepEqual((await p.planResourceChange('sym_strategies', prior, proposed, config, undefined)).planned, plan.planned);
    const res = await p.applyResourceChange('sym_strategies', prior, plan.planned, config, undefined);
    return { plan: plan.planned as Obj, state: res.newState as Obj, diagnostics: res.diagnostics };
  };
  return { api, p, apply };
}

describe('LambdaStrategySet', () => {
  it('creates one aws_lambda strategy per block, tagged with the set id', async () => {
    const { api, apply } = await setup();
    const { plan, state } = await apply(null, cfg(block('my-lambda', { label: 'Impersonate', code: 'exports.handler=1' }), block('existing', { arn: 'arn:x' })));
    assert.equal(plan.id, UNKNOWN, 'the set id is made at apply time');
    assert.ok(isWhollyKnown(state));
    const members = [...api.entities.get('access-strategies')!.values()];
    assert.equal(members.length, 2);
    for (const m of members) {
      assert.equal(m.type, 'aws_lambda');
      assert.deepEqual(m.targets, []);
      assert.equal((m.settings as Obj).set_id, state.id);
    }
    assert.deepEqual(Object.keys(state.strategy_ids).sort(), ['existing', 'my-lambda']);
    assert.equal((members.find((m) => m.name === 'my-lambda')!.settings as Obj).code, 'exports.handler=1');
  });

  it('label edits keep strategy_ids known; adding a member makes only its id unknown; removal deletes', async () => {
    const { api, p, apply } = await setup();
    const { state } = await apply(null, cfg(block('a', { code: 'x' })));
    const relabel = await apply(state, cfg(block('a', { code: 'x', label: 'A' })));
    assert.deepEqual(relabel.plan.strategy_ids, state.strategy_ids);
    assert.equal(relabel.plan.id, state.id);
    const grow = await apply(relabel.state, cfg(block('a', { code: 'x', label: 'A' }), block('b', { arn: 'arn:b' })));
    assert.deepEqual(grow.plan.strategy_ids, { a: state.strategy_ids.a, b: UNKNOWN }, 'the existing id stays known');
    assert.equal(grow.state.strategy_ids.a, state.strategy_ids.a, 'existing member kept');
    const shrink = await apply(grow.state, cfg(block('b', { arn: 'arn:b' })));
    assert.deepEqual(shrink.plan.strategy_ids, { b: grow.state.strategy_ids.b }, 'a removal is known at plan time');
    assert.deepEqual(Object.keys(shrink.state.strategy_ids), ['b']);
    assert.equal(api.entities.get('access-strategies')!.size, 1);

    const read = await p.readResource('sym_strategies', shrink.state, undefined);
    assert.deepEqual(read.newState, shrink.state);
    await apply(shrink.state, null);
    assert.equal(api.entities.get('access-strategies')!.size, 0);
    assert.equal((await p.readResource('sym_strategies', shrink.state, undefined)).newState, null);
  });

  it('a block renamed only in case keeps its id under the new key', async () => {
    const { apply } = await setup();
    const { state } = await apply(null, cfg(block('a', { code: 'x' })));
    const renamed = await apply(state, cfg(block('A', { code: 'x' })));
    assert.deepEqual(renamed.plan.strategy_ids, { A: state.strategy_ids.a });
    assert.deepEqual(renamed.state.strategy_ids, renamed.plan.strategy_ids);
  });

  it('blocks not known until apply leave strategy_ids unknown', async () => {
    const { p, apply } = await setup();
    const { state } = await apply(null, cfg(block('a', { code: 'x' })));
    const config: Obj = { ...cfg(), lambda_strategy: UNKNOWN };
    const plan = await p.planResourceChange('sym_strategies', state, { ...config, id: state.id, strategy_ids: state.strategy_ids }, config, undefined);
    assert.equal((plan.planned as Obj).strategy_ids, UNKNOWN);
  });

  it('import by set id; read rebuilds the blocks', async () => {
    const { api, p } = await setup();
    const setId = '6f2d3c1a-1b2c-4d5e-8f90-0a1b2c3d4e5f';
    api.seed('access-strategies', { type: 'aws_lambda', name: 'z', label: null, targets: [], settings: { arn: 'arn:z', set_id: setId } });
    api.seed('access-strategies', { type: 'aws_lambda', name: 'a', label: 'A', targets: [], settings: { code: 'c', set_id: setId } });
    const imp = await p.importResourceState('sym_strategies', setId);
    assert.deepEqual(imp.diagnostics, []);
    const read = (await p.readResource('sym_strategies', imp.imported[0].state, undefined)).newState as Obj;
    assert.deepEqual(read.lambda_strategy, [block('a', { label: 'A', code: 'c' }), block('z', { arn: 'arn:z' })]);
    const none = await p.importResourceState('sym_strategies', '00000000-0000-4000-8000-000000000000');
    assert.match(none.diagnostics[0].detail!, /Cannot import: no sym_strategies/);
  });

  it('a member error points at its block and keeps what was created', async () => {
    const { api, apply } = await setup();
    const origCreate = api.create.bind(api);
    let n = 0;
    api.create = async (kind, body) => {
      if (++n === 2) throw new ApiError({ status: 409, code: 'duplicate_name', title: 'Duplicate', errors: [{ pointer: '/name', detail: 'taken' }] });
      return origCreate(kind, body);
    };
    const res = await apply(null, cfg(block('a', { code: 'x' }), block('b', { code: 'y' })));
    assert.deepEqual(res.diagnostics[0].path, ['lambda_strategy', 1, 'id']);
    assert.ok(res.state && typeof res.state.id === 'string', 'partial state recorded so the created member is not orphaned');
    assert.deepEqual(
      res.state.lambda_strategy.map((b: Obj) => b.id),
      ['a'],
      'only what exists',
    );
    assert.deepEqual(Object.keys(res.state.strategy_ids), ['a']);
  });
});
