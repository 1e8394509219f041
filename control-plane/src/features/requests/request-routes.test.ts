// The request API on PGlite: the seed's routing rules (examples/routing-rules/impl.js) with the
// PagerDuty double, a 2-second grant expiring, revoke, and the pending TTL.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { startPagerDutyDouble, type PagerDutyDouble } from '../../test-support/pagerduty-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { StrategyError, type StrategyInvocation, type StrategyRegistry } from '../strategies/access-strategy';

const routingImpl = readFileSync(new URL('../../../../examples/routing-rules/impl.js', import.meta.url), 'utf8');

/** A strategy double: records each call (action and idempotency key) and succeeds. */
function recordingStrategies(): StrategyRegistry & { calls: Pick<StrategyInvocation, 'action' | 'idempotencyKey' | 'requestId'>[] } {
  const calls: Pick<StrategyInvocation, 'action' | 'idempotencyKey' | 'requestId'>[] = [];
  const record = async ({ action, idempotencyKey, requestId }: StrategyInvocation) => {
    calls.push({ action, idempotencyKey, requestId });
    return { body: { ok: true } };
  };
  return { calls, runnerFor: () => ({ escalate: record, deescalate: record }) };
}

const PD_TOKEN_ENV = 'SYM_SECRET_OPENSYM_TEST_REQUESTS_PD_TOKEN';

let t: TestControlPlane;
let ttl: TestControlPlane;
let flaky: TestControlPlane;
let pd: PagerDutyDouble;
const strategies = recordingStrategies();
/** Fails every deescalation while `failing` is set, like an API that is down. */
const flakyStrategies = { failing: false, deescalations: 0 };
const flakyRegistry: StrategyRegistry = {
  runnerFor: () => ({
    escalate: async () => ({}),
    deescalate: async () => {
      flakyStrategies.deescalations++;
      if (flakyStrategies.failing) throw new StrategyError('grant API answered 503');
      return {};
    },
  }),
};

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function create(cp: TestControlPlane, path: string, body: object): Promise<string> {
  const res = await cp.request.post(`/api/v1/${path}`).set(bearer(cp.admin)).send(body);
  assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A user and a token acting for them. */
async function person(cp: TestControlPlane, email: string, role = 'member', identities: Record<string, string> = {}): Promise<{ id: string; token: string }> {
  const id = await create(cp, 'users', { email, role, identities });
  const issued = await cp.request.post(`/api/v1/users/${id}/tokens`).set(bearer(cp.admin)).send({});
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  return { id, token: issued.body.token };
}

function isProblem(res: { status: number; headers: Record<string, string>; body: { code?: string } }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
  assert.equal(res.body.code, code);
}

const stateOf = async (cp: TestControlPlane, id: string) => (await cp.request.get(`/api/v1/requests/${id}`).set(bearer(cp.admin))).body;

before(async () => {
  pd = await startPagerDutyDouble({
    token: 'pd-secret-token',
    users: [{ id: 'PMGR', name: 'Mo Manager', email: 'manager@example.com' }],
    oncalls: [{ userId: 'PMGR', escalationPolicyId: 'EP1', scheduleId: 'id_of_mgr_on_call' }],
  });
  process.env.SYM_PAGERDUTY_API_URL = pd.url;
  process.env[PD_TOKEN_ENV] = 'pd-secret-token';
  t = await startTestControlPlane(undefined, { workflow: { strategies, jobs: { pollIntervalMs: 50 } }, startJobs: true });
  ttl = await startTestControlPlane(undefined, { workflow: { strategies: recordingStrategies(), pendingTtlSeconds: 1, jobs: { pollIntervalMs: 50 } }, startJobs: true });
  flaky = await startTestControlPlane(undefined, { workflow: { strategies: flakyRegistry, jobs: { pollIntervalMs: 50, backoff: { baseMs: 100, maxMs: 400 } } }, startJobs: true });
});
after(async () => {
  await t?.close();
  await ttl?.close();
  await flaky?.close();
  await pd?.close();
});

describe('request API: the seed routing rules (PGlite, PagerDuty double)', () => {
  let requester: { id: string; token: string };
  let manager: { id: string; token: string };
  let colleague: { id: string; token: string };

  before(async () => {
    const source = await create(t, 'entities/secret-sources', { type: 'env', name: 'env' });
    const secret = await create(t, 'entities/secrets', { path: PD_TOKEN_ENV, source_id: source });
    const pdIntegration = await create(t, 'entities/integrations', { type: 'pagerduty', name: 'pd', external_id: 'example.pagerduty.com', settings: { api_token_secret: secret } });
    const env = await create(t, 'entities/environments', { name: 'routing', integrations: { pagerduty_id: pdIntegration } });
    await create(t, 'entities/flows', {
      name: 'impersonate-customer',
      implementation: routingImpl,
      environment_id: env,
      params: {
        prompt_field: [
          { name: 'customer_plan', type: 'string', required: true, allowed_values: ['free', 'pro', 'enterprise'] },
          { name: 'is_assigned', type: 'bool', required: true },
        ],
      },
    });
    requester = await person(t, 'support@example.com');
    manager = await person(t, 'manager@example.com');
    colleague = await person(t, 'colleague@example.com');
  });

  const ask = (token: string, inputs: object) => t.request.post('/api/v1/events/request').set(bearer(token)).send({ flow: 'impersonate-customer', flow_inputs: inputs });

  it('auto-approves a free-plan request in on_request', async () => {
    const res = await ask(requester.token, { customer_plan: 'free', is_assigned: false });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.state, 'approved');
    assert.equal(res.body.requester.email, 'support@example.com');
    const full = await stateOf(t, res.body.id);
    assert.deepEqual(
      full.events.map((e: { type: string }) => e.type),
      ['request.created', 'request.approved'],
    );
    assert.equal(full.events[1].data.redirected_by, 'on_request');
  });

  it('lets an assigned user approve their own request', async () => {
    const res = await ask(requester.token, { customer_plan: 'pro', is_assigned: true });
    assert.equal(res.body.state, 'pending');
    const approved = await t.request.post(`/api/v1/requests/${res.body.id}/approve`).set(bearer(requester.token)).send({});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.state, 'approved');
    assert.equal(approved.body.decided_by, requester.id);
  });

  it('otherwise only the on-call manager may approve; the requester and others get 403', async () => {
    const res = await ask(requester.token, { customer_plan: 'enterprise', is_assigned: false });
    assert.equal(res.body.state, 'pending');
    const asked = pd.requests.length;
    isProblem(await t.request.post(`/api/v1/requests/${res.body.id}/approve`).set(bearer(requester.token)), 403, 'forbidden');
    isProblem(await t.request.post(`/api/v1/requests/${res.body.id}/approve`).set(bearer(colleague.token)).send({}), 403, 'forbidden');
    assert.ok(pd.requests.length > asked, 'PagerDuty was asked who is on call');
    const ok = await t.request.post(`/api/v1/requests/${res.body.id}/approve`).set(bearer(manager.token)).send({ reason: 'on call' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.state, ok.body.reason, ok.body.decided_by], ['approved', 'on call', manager.id]);
    isProblem(await t.request.post(`/api/v1/requests/${res.body.id}/deny`).set(bearer(manager.token)).send({}), 409, 'invalid_state');
  });

  it('answers bad input with 422 field pointers, and lists with filters and paging', async () => {
    const bad = await ask(requester.token, { customer_plan: 'gold', is_assigned: 'maybe', extra: 1 });
    isProblem(bad, 422, 'validation_failed');
    assert.deepEqual(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/flow_inputs/customer_plan', '/flow_inputs/extra', '/flow_inputs/is_assigned']);
    isProblem(await t.request.post('/api/v1/events/request').set(bearer(requester.token)).send({ flow: 'nope', flow_inputs: {} }), 422, 'validation_failed');
    isProblem(await ask(requester.token, { customer_plan: 'free\u0000', is_assigned: true }), 422, 'validation_failed');
    isProblem(await t.request.post('/api/v1/events/request').set(bearer(requester.token)).send({ flow: 'impersonate-customer', surprise: 1 }), 422, 'validation_failed');
    isProblem(
      await t.request
        .post('/api/v1/events/request')
        .set(bearer(requester.token))
        .send({ flow: 'impersonate-customer', flow_inputs: { customer_plan: 'free', is_assigned: true }, user_email: 'manager@example.com' }),
      403,
      'forbidden',
    );
    const byAdmin = await t.request
      .post('/api/v1/events/request')
      .set(bearer(t.admin))
      .send({ flow_name: 'impersonate-customer', flow_inputs: { customer_plan: 'pro', is_assigned: false }, user_email: 'colleague@example.com' });
    assert.equal(byAdmin.status, 201);
    assert.equal(byAdmin.body.requester.id, colleague.id);

    const first = await t.request.get('/api/v1/requests?flow=impersonate-customer&requester=support@example.com&limit=2').set(bearer(manager.token));
    assert.equal(first.status, 200);
    assert.equal(first.body.data.length, 2);
    assert.ok(first.body.next_page_token);
    const second = await t.request.get(`/api/v1/requests?flow=impersonate-customer&requester=support@example.com&limit=2&page_token=${first.body.next_page_token}`).set(bearer(manager.token));
    assert.equal(second.body.data.length, 1);
    assert.equal(second.body.next_page_token, null);
    const approvedOnly = await t.request.get('/api/v1/requests?state=approved').set(bearer(t.admin));
    assert.ok(approvedOnly.body.data.every((r: { state: string }) => r.state === 'approved'));
    isProblem(await t.request.get('/api/v1/requests?state=bogus').set(bearer(t.admin)), 422, 'validation_failed');
    isProblem(await t.request.get('/api/v1/requests/00000000-0000-4000-8000-000000000000').set(bearer(t.admin)), 404, 'not_found');
    isProblem(await t.request.get(`/api/v1/requests/${byAdmin.body.id}`).set(bearer(t.otherAdmin)), 404, 'not_found');
  });
});

describe('request API: expiry, revoke, pending TTL, failed deescalation (PGlite, real job queue)', () => {
  let user: { id: string; token: string };
  let lead: { id: string; token: string };

  before(async () => {
    const env = await create(t, 'entities/environments', { name: 'grants' });
    const target = await create(t, 'entities/access-targets', { type: 'custom', name: 'db' });
    const strategy = await create(t, 'entities/access-strategies', {
      type: 'custom',
      name: 'db-access',
      targets: [target],
      implementation: `import { AccessStrategy } from "sym/sdk/strategies";\nexport class S extends AccessStrategy {\n  fetch_remote_identity(user) { return user.email; }\n  escalate(target_id, event) {}\n  deescalate(target_id, event) {}\n}\n`,
    });
    // No reducers: any admin or member other than the requester may approve.
    const flow = (name: string, params: object = {}) =>
      create(t, 'entities/flows', {
        name,
        implementation: 'export function on_request(event) {}\n',
        environment_id: env,
        params: { strategy_id: strategy, prompt_field: [{ name: 'duration', type: 'duration', required: true }], ...params },
      });
    await flow('grant');
    await flow('fixed', { allow_revoke: false });
    user = await person(t, 'dev@example.com');
    lead = await person(t, 'lead@example.com', 'admin');
  });

  /** Requests `flow` for `duration` and approves it as the lead; returns the request id. */
  async function approved(flow: string, duration: string): Promise<string> {
    const res = await t.request
      .post('/api/v1/events/request')
      .set(bearer(user.token))
      .send({ flow, flow_inputs: { duration, target: 'db' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const ok = await t.request.post(`/api/v1/requests/${res.body.id}/approve`).set(bearer(lead.token));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    return res.body.id;
  }

  it('deescalates a 2-second grant exactly once', async () => {
    const id = await approved('grant', '2s');
    const active = await waitFor('the grant to become active', async () => {
      const r = await stateOf(t, id);
      return r.state === 'active' ? r : null;
    });
    assert.ok(active.active_until);
    const done = await waitFor('the grant to be deescalated', async () => {
      const r = await stateOf(t, id);
      return r.state === 'done' ? r : null;
    });
    const calls = strategies.calls.filter((c) => c.requestId === id);
    assert.deepEqual(
      calls.map((c) => [c.action, c.idempotencyKey]),
      [
        ['escalate', `escalate:${id}`],
        ['deescalate', `deescalate:${id}`],
      ],
    );
    assert.deepEqual(
      done.events.map((e: { type: string }) => e.type),
      ['request.created', 'request.approved', 'request.escalated', 'request.expired', 'request.deescalated'],
    );
    const open = await t.cp.db.prisma.job.count({ where: { requestId: id, state: { in: ['queued', 'running'] }, kind: { not: 'expire_pending' } } });
    assert.equal(open, 0, 'no escalation or deescalation work is left to repeat');
  });

  it('revokes active access, and refuses when the flow sets allow_revoke = false', async () => {
    const id = await approved('grant', '1h');
    await waitFor('active', async () => (await stateOf(t, id)).state === 'active');
    const revoked = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(user.token)).send({ reason: 'finished early' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const done = await waitFor('revoked access to be taken back', async () => {
      const r = await stateOf(t, id);
      return r.state === 'done' ? r : null;
    });
    assert.ok(done.events.some((e: { type: string; actor_user_id: string }) => e.type === 'request.revoked' && e.actor_user_id === user.id));
    assert.equal(strategies.calls.filter((c) => c.requestId === id && c.action === 'deescalate').length, 1);
    isProblem(await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(user.token)), 409, 'invalid_state');

    const fixed = await approved('fixed', '1h');
    await waitFor('active', async () => (await stateOf(t, fixed)).state === 'active');
    isProblem(await t.request.post(`/api/v1/requests/${fixed}/revoke`).set(bearer(lead.token)).send({}), 403, 'forbidden');
    assert.equal((await stateOf(t, fixed)).state, 'active');
  });

  it('expires a request nobody decides within the pending TTL', async () => {
    const env = await create(ttl, 'entities/environments', { name: 'ttl' });
    await create(ttl, 'entities/flows', {
      name: 'slow',
      implementation: 'export function on_request(event) {}\n',
      environment_id: env,
      params: { prompt_field: [{ name: 'why', type: 'string', required: false }] },
    });
    const someone = await person(ttl, 'waiting@example.com');
    const res = await ttl.request.post('/api/v1/events/request').set(bearer(someone.token)).send({ flow: 'slow', flow_inputs: {} });
    assert.equal(res.body.state, 'pending');
    const expired = await waitFor('the pending request to expire', async () => {
      const r = await stateOf(ttl, res.body.id);
      return r.state === 'expired' ? r : null;
    });
    assert.equal(expired.events.at(-1).type, 'request.expired');
  });
  it('shows a failing deescalation as deescalation_failed with its error and retries it until it succeeds', async () => {
    const env = await create(flaky, 'entities/environments', { name: 'flaky' });
    const target = await create(flaky, 'entities/access-targets', { type: 'custom', name: 'db' });
    const strategy = await create(flaky, 'entities/access-strategies', {
      type: 'custom',
      name: 'flaky',
      targets: [target],
      implementation: `import { AccessStrategy } from "sym/sdk/strategies";\nexport class S extends AccessStrategy {\n  escalate(target_id, event) {}\n  deescalate(target_id, event) {}\n}\n`,
    });
    await create(flaky, 'entities/flows', { name: 'grant', implementation: 'export function on_request(event) {}\n', environment_id: env, params: { strategy_id: strategy } });
    const dev = await person(flaky, 'dev@example.com');
    const lead = await person(flaky, 'lead@example.com');
    const res = await flaky.request.post('/api/v1/events/request').set(bearer(dev.token)).send({ flow: 'grant', flow_inputs: {} });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const id = res.body.id as string;
    assert.equal((await flaky.request.post(`/api/v1/requests/${id}/approve`).set(bearer(lead.token))).status, 200);
    await waitFor('active', async () => (await stateOf(flaky, id)).state === 'active');

    flakyStrategies.failing = true;
    assert.equal((await flaky.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(dev.token))).status, 200);
    const failed = await waitFor('the failed deescalation to show', async () => {
      const r = await stateOf(flaky, id);
      return r.state === 'deescalation_failed' && flakyStrategies.deescalations >= 2 ? r : null;
    });
    assert.match(failed.last_error, /grant API answered 503/);
    const listed = await flaky.request.get('/api/v1/requests?state=deescalation_failed').set(bearer(flaky.admin));
    assert.deepEqual(
      listed.body.data.map((r: { id: string }) => r.id),
      [id],
    );

    flakyStrategies.failing = false;
    const done = await waitFor('the retried deescalation to succeed', async () => {
      const r = await stateOf(flaky, id);
      return r.state === 'done' ? r : null;
    });
    assert.equal(done.last_error, null);
    const types = done.events.map((e: { type: string }) => e.type);
    assert.ok(types.filter((t: string) => t === 'request.deescalation_failed').length >= 2);
    assert.equal(types.at(-1), 'request.deescalated');
  });
});
