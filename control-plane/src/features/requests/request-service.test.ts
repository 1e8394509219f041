// The lifecycle state machine with fakes: in-memory store, the jobs fake on a controlled clock,
// scripted hooks and a counting strategy registry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import { createFakeJobQueue, type FakeJobQueue } from '../../jobs';
import type { SymEvent } from '../../sandbox';
import { StrategyError, type StrategyInvocation, type StrategyRegistry } from '../strategies/access-strategy';
import { createFakeRequestStore, type FakeRequestStore } from './fake-request-store';
import type { HookRunner } from './hook-runner';
import { createRequestService, type RequestActor, type RequestService } from './request-service';

const ORG = '00000000-0000-4000-8000-0000000000aa';
const ids = {
  flow: '00000000-0000-4000-8000-000000000001',
  approvalFlow: '00000000-0000-4000-8000-000000000002',
  strategy: '00000000-0000-4000-8000-000000000003',
  target: '00000000-0000-4000-8000-000000000004',
  requester: '00000000-0000-4000-8000-000000000010',
  approver: '00000000-0000-4000-8000-000000000011',
  guest: '00000000-0000-4000-8000-000000000012',
};

type HookFn = (event: SymEvent) => JsonValue | undefined;

/** Scripted hooks: `hooks[name]` is called with the event; absent names are not exported. */
function fakeHooks(hooks: Record<string, HookFn>): HookRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(_source, name, event) {
      if (!hooks[name]) return { exported: false };
      calls.push(name);
      return { exported: true, value: hooks[name]!(event) };
    },
  };
}

/** A registry whose one runner records calls; `failures[action]` errors are thrown first, in order. */
function countingStrategies(
  failures: Partial<Record<'escalate' | 'deescalate', Error[]>> = {},
  bodies: Partial<Record<'escalate' | 'deescalate', JsonValue>> = {},
): StrategyRegistry & { calls: StrategyInvocation[] } {
  const calls: StrategyInvocation[] = [];
  const step = (action: 'escalate' | 'deescalate') => async (inv: StrategyInvocation) => {
    calls.push(inv);
    const err = failures[action]?.shift();
    if (err) throw err;
    return { body: action in bodies ? bodies[action] : { done: action } };
  };
  return { calls, runnerFor: () => ({ escalate: step('escalate'), deescalate: step('deescalate') }) };
}

interface Setup {
  service: RequestService;
  store: FakeRequestStore;
  queue: FakeJobQueue;
  clock: { t: number };
  strategies: ReturnType<typeof countingStrategies>;
  hooks: ReturnType<typeof fakeHooks>;
  runJobs(): Promise<number>;
  advance(seconds: number): Promise<number>;
}

function setup(
  opts: { hooks?: Record<string, HookFn>; params?: Record<string, JsonValue>; failures?: Parameters<typeof countingStrategies>[0]; bodies?: Parameters<typeof countingStrategies>[1] } = {},
): Setup {
  const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
  const now = () => new Date(clock.t);
  const queue = createFakeJobQueue({ now });
  const store = createFakeRequestStore(queue, now);
  const strategies = countingStrategies(opts.failures, opts.bodies);
  const hooks = fakeHooks(opts.hooks ?? {});
  const service = createRequestService({ store, hooks, strategies, reportFailure: () => {}, pendingTtlSeconds: 3600, now });
  // The service skips after_* hooks a source does not mention; name every scripted hook.
  const source = `// hooks: ${Object.keys(opts.hooks ?? {}).join(' ')}`;
  const promptFields = [
    { name: 'reason', type: 'string', required: true },
    { name: 'duration', type: 'duration', required: false, allowed_values: ['30m', '1h'] },
    { name: 'count', type: 'int', required: false },
    { name: 'tier', type: 'string', required: false, allowed_values: ['free', 'paid'] },
  ];
  store.addEntity(ORG, {
    id: ids.flow,
    kind: 'flows',
    type: null,
    name: 'grant',
    data: { name: 'grant', implementation: source, vars: { team: 'ops' }, params: { strategy_id: ids.strategy, prompt_field: promptFields, ...opts.params } },
  });
  store.addEntity(ORG, {
    id: ids.approvalFlow,
    kind: 'flows',
    type: null,
    name: 'approval',
    data: { name: 'approval', implementation: source, params: { prompt_field: [{ name: 'reason', type: 'string', required: true }], ...opts.params } },
  });
  store.addEntity(ORG, { id: ids.strategy, kind: 'access-strategies', type: 'custom', name: 's', data: { targets: [ids.target] } });
  store.addEntity(ORG, { id: ids.target, kind: 'access-targets', type: 'custom', name: 'db', data: { settings: { identifier: 'db-1' }, field_bindings: ['reason'] } });
  store.addUser(ORG, { id: ids.requester, email: 'req@example.com', role: 'member', identities: { slack: 'UREQ' } });
  store.addUser(ORG, { id: ids.approver, email: 'boss@example.com', role: 'member', identities: {} });
  store.addUser(ORG, { id: ids.guest, email: 'guest@example.com', role: 'guest', identities: {} });
  const handlers = {
    escalate: { run: service.escalate, onGiveUp: service.escalateGaveUp },
    deescalate: { run: service.deescalate, onGiveUp: service.deescalateGaveUp },
    expire_pending: { run: service.expirePending },
  };
  const runJobs = () => queue.runDue(handlers);
  return {
    service,
    store,
    queue,
    clock,
    strategies,
    hooks,
    runJobs,
    async advance(seconds) {
      clock.t += seconds * 1000;
      return runJobs();
    },
  };
}

const as = (userId: string, role: RequestActor['role'] = 'member'): RequestActor => ({ orgId: ORG, tokenId: `tok-${userId}`, role, userId });
const requester = as(ids.requester);
const approver = as(ids.approver);

async function rejectsWith(p: Promise<unknown>, code: string, status?: number): Promise<ApiError> {
  let caught: unknown;
  await p.catch((e: unknown) => {
    caught = e;
  });
  assert.ok(caught instanceof ApiError, `expected ApiError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.detail);
  if (status) assert.equal(caught.status, status);
  return caught;
}

const types = (s: Setup, id: string) => s.store.allEvents.filter((e) => e.requestId === id).map((e) => e.type);

describe('request lifecycle (fakes)', () => {
  it('request → pending → approve → escalate → active → expiry → done, each strategy step once with a stable key', async () => {
    const s = setup();
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'incident', duration: '30m' } });
    assert.equal(r.state, 'pending');
    assert.equal(r.duration_seconds, 1800);
    assert.equal(r.target_id, ids.target, 'the only target of the strategy is chosen');
    const approved = await s.service.approve(approver, r.id, { reason: 'ok' });
    assert.equal(approved.state, 'approved');
    await s.runJobs();
    const active = await s.service.get(requester, r.id);
    assert.equal(active.state, 'active');
    assert.equal(active.active_until, new Date(s.clock.t + 1800_000).toISOString());
    assert.deepEqual(
      s.strategies.calls.map((c) => [c.action, c.idempotencyKey]),
      [['escalate', `escalate:${r.id}`]],
    );
    const inv = s.strategies.calls[0]!;
    const fields = inv.event.payload.fields;
    assert.deepEqual((fields.target as Record<string, JsonValue>).settings, { identifier: 'db-1', reason: 'incident' }, 'field_bindings fill target settings');
    assert.equal(fields.duration, 1800);
    assert.deepEqual(inv.event.flow?.vars, { team: 'ops' });
    assert.equal((inv.event.run?.actors as Record<string, { email: string }>).approve!.email, 'boss@example.com');

    assert.equal(await s.advance(1799), 0, 'nothing is due before expiry');
    await s.advance(1);
    const done = await s.service.get(requester, r.id);
    assert.equal(done.state, 'done');
    assert.deepEqual(
      s.strategies.calls.map((c) => [c.action, c.idempotencyKey]),
      [
        ['escalate', `escalate:${r.id}`],
        ['deescalate', `deescalate:${r.id}`],
      ],
    );
    assert.deepEqual(types(s, r.id), ['request.created', 'request.approved', 'request.escalated', 'request.expired', 'request.deescalated']);
    assert.ok(
      done.events!.every((e) => e.data.flow_version !== undefined),
      'every event names the flow version',
    );
    await s.advance(86_400); // the pending-TTL job still fires, and finds nothing to expire
    assert.equal(s.strategies.calls.length, 2);
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
  });

  it("caps the duration at the flow's largest allowed value and refuses bad input with field pointers", async () => {
    const s = setup();
    const err = await rejectsWith(s.service.request(requester, { flow: 'grant', flow_inputs: { duration: '2d', count: 'x', tier: 'gold', extra: 1, target: 'nope' } }), 'validation_failed', 422);
    assert.deepEqual(err.errors.map((e) => e.pointer).sort(), ['/flow_inputs/count', '/flow_inputs/duration', '/flow_inputs/extra', '/flow_inputs/reason', '/flow_inputs/target', '/flow_inputs/tier']);
    const byName = await s.service.request(requester, { flow_name: 'GRANT', flow_inputs: { reason: 'r', target: 'db', count: '3' } });
    assert.equal(byName.duration_seconds, 3600, 'no duration: the default (1 h), within the cap');
    assert.equal(byName.fields.count, 3);
    await rejectsWith(s.service.request(requester, { flow: 'missing', flow_inputs: {} }), 'validation_failed');
  });

  it('on_request approves (approval-only flows stop at approved), denies or ignores', async () => {
    let verdict: JsonValue = { type: 'approval.approve' };
    const s = setup({ hooks: { on_request: () => verdict } });
    const auto = await s.service.request(requester, { flow: 'approval', flow_inputs: { reason: 'x' } });
    assert.equal(auto.state, 'approved');
    assert.equal(auto.duration_seconds, null, 'an approval-only flow without a duration field has no duration');
    await s.runJobs();
    assert.equal((await s.service.get(requester, auto.id)).state, 'approved');
    assert.equal(s.strategies.calls.length, 0);
    verdict = { type: 'approval.deny', message: 'no' };
    const denied = await s.service.request(requester, { flow: 'approval', flow_inputs: { reason: 'x' } });
    assert.deepEqual([denied.state, denied.reason], ['denied', 'no']);
    verdict = { type: 'approval.ignore', message: 'later' };
    assert.equal((await s.service.request(requester, { flow: 'approval', flow_inputs: { reason: 'x' } })).state, 'ignored');
  });

  it('refuses self-approval unless a recipient names the requester or get_permissions allows it', async () => {
    let approvers: JsonValue = [{ type: 'slack.user', email: 'boss@example.com' }];
    const s = setup({ hooks: { get_approvers: () => approvers } });
    const r = await s.service.request(requester, { flow: 'approval', flow_inputs: { reason: 'x' } });
    await rejectsWith(s.service.approve(requester, r.id, {}), 'forbidden', 403);
    await rejectsWith(s.service.approve(as(ids.guest, 'guest'), r.id, {}), 'forbidden', 403);
    approvers = [{ type: 'slack.user', slack_id: 'UREQ' }];
    assert.equal((await s.service.approve(requester, r.id, {})).state, 'approved', 'named by Slack identity');
    await rejectsWith(s.service.approve(approver, r.id, {}), 'invalid_state', 409);

    const p = setup({ hooks: { get_permissions: () => ({ approve_deny: 'member', allow_self_approval: false }), get_approvers: () => [{ type: 'slack.user', email: 'req@example.com' }] } });
    const r2 = await p.service.request(requester, { flow: 'approval', flow_inputs: { reason: 'x' } });
    await rejectsWith(p.service.approve(requester, r2.id, {}), 'forbidden');
    assert.equal((await p.service.approve(approver, r2.id, {})).state, 'approved');
  });

  it('on_approve may redirect to deny; the requester may withdraw their own request', async () => {
    const s = setup({ hooks: { on_approve: () => ({ type: 'approval.deny', message: 'frozen' }) } });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    const out = await s.service.approve(approver, r.id, {});
    assert.deepEqual([out.state, out.reason], ['denied', 'frozen']);
    const r2 = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    assert.equal((await s.service.deny(requester, r2.id, { reason: 'not needed' })).state, 'denied');
    await s.runJobs();
    assert.equal(s.strategies.calls.length, 0);
  });

  it('runs after_* hooks after their step; a failing one is recorded and changes nothing', async () => {
    const seen: string[] = [];
    const s = setup({
      hooks: {
        after_request: (e) => void seen.push(`request:${e.run?.state}`),
        after_approve: (e) => void seen.push(`approve:${(e.run?.actors as Record<string, { email: string }>).approve!.email}`),
        after_escalate: () => {
          throw new Error('notify failed');
        },
      },
    });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    assert.deepEqual(seen, ['request:pending', 'approve:boss@example.com']);
    const out = await s.service.get(requester, r.id);
    assert.equal(out.state, 'active');
    const failed = out.events!.find((e) => e.type === 'request.hook_failed');
    assert.deepEqual([failed?.data.hook, failed?.data.error], ['after_escalate', 'notify failed']);
  });

  it("does not let on_deny turn a requester's withdrawal into self-approval", async () => {
    const s = setup({ hooks: { on_deny: () => ({ type: 'approval.approve' }), get_approvers: () => [{ type: 'slack.user', email: 'boss@example.com' }] } });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    await rejectsWith(s.service.deny(requester, r.id, {}), 'forbidden', 403);
    assert.equal((await s.service.get(requester, r.id)).state, 'pending');
    assert.equal((await s.service.deny(approver, r.id, {})).state, 'approved', "an approver's deny is redirected by on_deny");
  });

  it('without schedule_deescalation, access stays until revoked', async () => {
    const s = setup({ params: { schedule_deescalation: false } });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x', duration: '30m' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    await s.advance(7 * 86_400);
    assert.equal((await s.service.get(requester, r.id)).state, 'active');
    assert.ok(!s.queue.jobs().some((j) => j.kind === 'deescalate'));
    await s.service.revoke(approver, r.id, {});
    await s.runJobs();
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
  });

  it('takes the fields of the form named by params.form_id when the flow has no prompt fields', async () => {
    const s = setup();
    const formId = '00000000-0000-4000-8000-000000000005';
    s.store.addEntity(ORG, { id: formId, kind: 'forms', type: null, name: null, data: { field: { user_id: { type: 'string', required: true }, note: { type: 'string' } } } });
    s.store.addEntity(ORG, {
      id: '00000000-0000-4000-8000-000000000006',
      kind: 'flows',
      type: null,
      name: 'impersonate',
      data: { name: 'impersonate', implementation: '', params: { form_id: formId } },
    });
    const bad = await rejectsWith(s.service.request(requester, { flow: 'impersonate', flow_inputs: { note: 'hi' } }), 'validation_failed');
    assert.deepEqual(
      bad.errors.map((e) => e.pointer),
      ['/flow_inputs/user_id'],
    );
    const ok = await s.service.request(requester, { flow: 'impersonate', flow_inputs: { user_id: 'cust-1' } });
    assert.deepEqual(ok.fields, { user_id: 'cust-1' });
  });

  it('a strategy without targets (a sym_strategies member) takes no target and is invoked with target null', async () => {
    const s = setup();
    const formId = '00000000-0000-4000-8000-000000000007';
    const lambdaId = '00000000-0000-4000-8000-000000000008';
    s.store.addEntity(ORG, { id: formId, kind: 'forms', type: null, name: null, data: { field: { user_id: { type: 'string', required: true } } } });
    s.store.addEntity(ORG, { id: lambdaId, kind: 'access-strategies', type: 'aws_lambda', name: 'my-lambda', data: { targets: [], settings: { code: 'export const handler = () => ({})' } } });
    s.store.addEntity(ORG, {
      id: '00000000-0000-4000-8000-000000000009',
      kind: 'flows',
      type: null,
      name: 'impersonate',
      data: { name: 'impersonate', implementation: '', params: { strategy_id: lambdaId, form_id: formId } },
    });
    const withTarget = await rejectsWith(s.service.request(requester, { flow: 'impersonate', flow_inputs: { user_id: 'cust-1', target: 'db' } }), 'validation_failed', 422);
    assert.deepEqual(
      withTarget.errors.map((e) => e.pointer),
      ['/flow_inputs/target'],
    );
    const r = await s.service.request(requester, { flow: 'impersonate', flow_inputs: { user_id: 'cust-1' } });
    assert.equal(r.target_id, null);
    assert.deepEqual(r.fields, { user_id: 'cust-1' });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    assert.equal((await s.service.get(requester, r.id)).state, 'active');
    await s.advance(3600);
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
    assert.deepEqual(
      s.strategies.calls.map((c) => [c.action, c.target, 'target' in c.event.payload.fields, c.event.payload.fields.user_id]),
      [
        ['escalate', null, false, 'cust-1'],
        ['deescalate', null, false, 'cust-1'],
      ],
    );
  });

  it('expires a pending request after the pending TTL', async () => {
    const s = setup();
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    assert.equal(r.pending_until, new Date(s.clock.t + 3600_000).toISOString());
    await s.advance(3600);
    assert.equal((await s.service.get(requester, r.id)).state, 'expired');
    await rejectsWith(s.service.approve(approver, r.id, {}), 'invalid_state');
  });

  it('keeps a failed deescalation as state with its error and retries it until it succeeds', async () => {
    const s = setup({ failures: { deescalate: [new StrategyError('api down'), new StrategyError('still down')] } });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x', duration: '30m' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    // The fake queue retries at once; stop after the first failure to look at the state.
    s.clock.t += 1800_000;
    const seen: string[] = [];
    const handlers = {
      deescalate: {
        run: async (job: Parameters<RequestService['deescalate']>[0]) => {
          try {
            await s.service.deescalate(job);
          } finally {
            const now = await s.service.get(requester, r.id);
            seen.push(`${now.state}:${now.last_error ?? ''}`);
          }
        },
      },
    };
    await s.queue.runDue(handlers);
    assert.deepEqual(seen, ['deescalation_failed:api down', 'deescalation_failed:still down', 'done:']);
    assert.equal(s.strategies.calls.filter((c) => c.action === 'deescalate').length, 3);
    assert.ok(
      s.strategies.calls.every((c) => c.action === 'escalate' || c.idempotencyKey === `deescalate:${r.id}`),
      'one key for every retry',
    );
    assert.deepEqual(
      types(s, r.id).filter((t) => t.startsWith('request.deescalat')),
      ['request.deescalation_failed', 'request.deescalation_failed', 'request.deescalated'],
    );
  });

  it('a strategy whose result body is the string "failed" succeeded: the request goes active and its expiry deescalates it', async () => {
    const s = setup({ bodies: { escalate: 'failed', deescalate: 'failed' } });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x', duration: '30m' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    const active = await s.service.get(requester, r.id);
    assert.equal(active.state, 'active');
    assert.equal(active.events!.find((e) => e.type === 'request.escalated')?.data.output, 'failed', 'the body is kept as the step output');
    await s.advance(1800);
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
    assert.deepEqual(types(s, r.id).slice(-2), ['request.expired', 'request.deescalated']);
  });

  it('a non-retryable error from the strategy may follow a grant: the access is taken back (deescalating → done)', async () => {
    const s = setup({ failures: { escalate: [new StrategyError('bad code', false)] } });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    const out = await s.service.get(requester, r.id);
    assert.equal(out.state, 'done');
    assert.deepEqual(
      s.strategies.calls.map((c) => [c.action, c.idempotencyKey]),
      [
        ['escalate', `escalate:${r.id}`],
        ['deescalate', `deescalate:${r.id}`],
      ],
    );
    const final = out.events!.find((e) => e.type === 'request.escalation_failed')!;
    assert.deepEqual([final.data.final, final.data.to, final.data.error], [true, 'deescalating', 'bad code']);
  });

  it('escalate retries that run out take the access back; a strategy that is gone fails the request, which stays revocable', async () => {
    const s = setup({ failures: { escalate: Array.from({ length: 10 }, () => new StrategyError('vendor down')) } });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
    assert.deepEqual(
      s.strategies.calls.map((c) => c.action),
      [...Array.from({ length: 10 }, () => 'escalate'), 'deescalate'],
    );
    assert.deepEqual(types(s, r.id).slice(-2), ['request.escalation_failed', 'request.deescalated']);

    const gone = setup();
    const r2 = await gone.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    await gone.service.approve(approver, r2.id, {});
    gone.store.removeEntity(ids.strategy);
    await gone.runJobs();
    const failed = await gone.service.get(requester, r2.id);
    assert.deepEqual([failed.state, failed.last_error], ['failed', "the flow's strategy no longer exists"]);
    assert.equal(gone.strategies.calls.length, 0, 'nothing was granted');
    assert.equal((await gone.service.revoke(approver, r2.id, {})).state, 'deescalating', 'an operator may still make sure');
  });

  it('a failed deescalation may be revoked to retry it now', async () => {
    const s = setup();
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x', duration: '30m' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    const strategy = (await s.store.findEntity(ORG, 'access-strategies', ids.strategy))!;
    s.store.removeEntity(ids.strategy);
    await s.advance(1800);
    const stuck = await s.service.get(requester, r.id);
    assert.deepEqual([stuck.state, stuck.last_error], ['deescalation_failed', "the flow's strategy no longer exists"]);
    s.store.addEntity(ORG, strategy);
    assert.equal((await s.service.revoke(approver, r.id, {})).state, 'deescalating');
    await s.runJobs();
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
    assert.deepEqual(
      s.strategies.calls.map((c) => c.action),
      ['escalate', 'deescalate'],
    );
  });

  it('a grant whose activation cannot be written at first is recorded by the retry without granting again', async () => {
    const s = setup();
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x', duration: '30m' } });
    await s.service.approve(approver, r.id, {});
    const transition = s.store.transition.bind(s.store);
    let refusals = 2;
    s.store.transition = async (t) => {
      if (t.set.state === 'active' && refusals-- > 0) throw new Error('connection reset');
      return transition(t);
    };
    await s.runJobs();
    const out = await s.service.get(requester, r.id);
    assert.equal(out.state, 'active');
    assert.deepEqual(
      s.strategies.calls.map((c) => c.action),
      ['escalate'],
      'granted once',
    );
    await s.advance(1800);
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
  });

  it('strategy output and hook errors holding U+0000 are stored with U+FFFD and a warning', async () => {
    const s = setup({
      bodies: { escalate: { note: 'a\u0000b' } },
      hooks: {
        after_approve: () => {
          throw new Error('boom\u0000');
        },
      },
    });
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    assert.equal((await s.service.approve(approver, r.id, {})).state, 'approved');
    await s.runJobs();
    const out = await s.service.get(requester, r.id);
    assert.equal(out.state, 'active');
    assert.equal(s.strategies.calls.length, 1);
    const escalated = out.events!.find((e) => e.type === 'request.escalated')!;
    assert.deepEqual(escalated.data.output, { note: 'a\uFFFDb' });
    assert.equal((escalated.data.warnings as string[]).length, 1);
    assert.equal(out.events!.find((e) => e.type === 'request.hook_failed')!.data.error, 'boom\uFFFD');
  });

  it('revokes active access once; refuses when the flow disallows it', async () => {
    const s = setup();
    const r = await s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    await s.service.approve(approver, r.id, {});
    await s.runJobs();
    const revoked = await s.service.revoke(requester, r.id, { reason: 'done early' });
    assert.equal(revoked.state, 'deescalating');
    await s.runJobs();
    assert.equal((await s.service.get(requester, r.id)).state, 'done');
    await s.advance(7200);
    assert.equal(s.strategies.calls.filter((c) => c.action === 'deescalate').length, 1, 'the expiry job finds nothing left to do');
    await rejectsWith(s.service.revoke(requester, r.id, {}), 'invalid_state');

    const n = setup({ params: { allow_revoke: false } });
    const r2 = await n.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } });
    await n.service.approve(approver, r2.id, {});
    await n.runJobs();
    await rejectsWith(n.service.revoke(requester, r2.id, {}), 'forbidden', 403);
  });

  it('applies allowed_sources and guest rules, and who a token may name', async () => {
    const s = setup({ params: { allowed_sources: ['slack'] } });
    await rejectsWith(s.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' } }), 'forbidden');
    const g = setup();
    await rejectsWith(g.service.request(as(ids.guest, 'guest'), { flow: 'grant', flow_inputs: { reason: 'x' } }), 'forbidden');
    await rejectsWith(g.service.request(requester, { flow: 'grant', flow_inputs: { reason: 'x' }, user_email: 'boss@example.com' }), 'forbidden');
    const bot: RequestActor = { orgId: ORG, tokenId: 'bot', role: 'member', userId: null };
    await rejectsWith(g.service.request(bot, { flow: 'grant', flow_inputs: { reason: 'x' } }), 'validation_failed');
    const byBot = await g.service.request(bot, { flow: 'grant', flow_inputs: { reason: 'x' }, user_email: 'REQ@example.com' });
    assert.equal(byBot.requester.id, ids.requester);
  });
});
