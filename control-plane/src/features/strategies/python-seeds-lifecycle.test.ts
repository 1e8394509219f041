// The seeds' Python, unchanged, inside the whole control plane (PGlite, API, durable jobs): a
// flow whose implementation is the routing-rules impl.py and a custom strategy whose
// implementation is custom_strategy.py (its placeholder API address pointed at an HTTP double).
// Requests go through the API; hooks and the strategy run in the sandbox's Python engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { createLogger } from '../../logging/logger';
import { createSandbox } from '../../sandbox';
import { type HttpDouble, LOOPBACK_EGRESS, startHttpDouble } from '../../sandbox/http-double';
import { CUSTOM_STRATEGY_PY, ROUTING_RULES_IMPL_PY } from '../../test-support/python-seeds';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createEntityStore } from '../entities/entity-store';
import type { StrategyRegistry } from './access-strategy';
import { createIdentityCacheStore } from './identity-cache-store';
import { createStrategyRegistry } from './strategy-registry';

const TOKEN = 'python-lifecycle-token-9b3e';

describe("the seeds' Python implementations in the request lifecycle (PGlite, job queue, HTTP double)", () => {
  let t: TestControlPlane;
  let api: HttpDouble;
  const sandbox = createSandbox({ egress: LOOPBACK_EGRESS });
  const lines: string[] = [];
  let registry: StrategyRegistry | undefined;
  let requester: { id: string; token: string };
  let environment: string;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = async (path: string, body: object, token = t.admin) => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer(token)).send(body);
    return res;
  };
  const created = async (path: string, body: object): Promise<string> => {
    const res = await create(path, body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const person = async (email: string, role: string) => {
    const id = await created('users', { email, role });
    const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    return { id, token: issued.body.token as string };
  };
  const stateOf = async (id: string) => (await t.request.get(`/api/v1/requests/${id}`).set(bearer(t.admin))).body;
  const request = async (fields: Record<string, unknown>) => {
    const made = await t.request
      .post('/api/v1/events/request')
      .set(bearer(requester.token))
      .send({ flow: 'impersonate', flow_inputs: { reason: 'support ticket', duration: '1h', ...fields } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    return made.body.id as string;
  };

  before(async () => {
    api = await startHttpDouble();
    const lazy: StrategyRegistry = { runnerFor: (strategy) => registry!.runnerFor(strategy) };
    t = await startTestControlPlane(undefined, { workflow: { strategies: lazy, jobs: { pollIntervalMs: 50 } }, startJobs: true, sandbox });
    registry = createStrategyRegistry({
      entities: createEntityStore(t.cp.db.prisma),
      identityCache: createIdentityCacheStore(t.cp.db.prisma),
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
      sandbox,
      env: { SYM_SECRET_PY_API_KEY: TOKEN },
    });
    environment = await created('entities/environments', { name: 'python' });
    const source = await created('entities/secret-sources', { type: 'env', name: 'process-env' });
    const secret = await created('entities/secrets', { path: 'SYM_SECRET_PY_API_KEY', source_id: source });
    const integration = await created('entities/integrations', {
      type: 'custom',
      name: 'custom-integration',
      external_id: 'my-account',
      settings: { secret_ids_json: JSON.stringify([secret]), allowed_hosts: api.host },
    });
    const target = await created('entities/access-targets', { type: 'custom', name: 'custom-target', settings: { identifier: 'some-resource' } });
    const strategy = await created('entities/access-strategies', {
      type: 'custom',
      name: 'custom-access',
      integration_id: integration,
      targets: [target],
      implementation: CUSTOM_STRATEGY_PY.replaceAll('https://some-api.invalid', api.url),
    });
    await created('entities/flows', {
      name: 'impersonate',
      implementation: ROUTING_RULES_IMPL_PY,
      environment_id: environment,
      params: {
        strategy_id: strategy,
        prompt_field: [
          { name: 'reason', type: 'string', required: true },
          { name: 'duration', type: 'duration', required: true },
          { name: 'customer_plan', type: 'string', required: true },
          { name: 'is_assigned', type: 'bool', required: true },
        ],
      },
    });
    requester = await person('dev@example.com', 'member');
  });
  after(async () => {
    await t?.close();
    await Promise.all([api?.close()]);
  });

  it('a free-plan request is approved by on_request and escalated, then deescalated, by the Python strategy', async () => {
    const id = await request({ customer_plan: 'free', is_assigned: false });
    await waitFor('the request to become active', async () => (await stateOf(id)).state === 'active');
    const revoked = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(requester.token)).send({ reason: 'done' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const done = await waitFor('the request to be deescalated', async () => ((await stateOf(id)).state === 'done' ? stateOf(id) : null));
    assert.deepEqual(
      api.requests.map((r) => [r.path, r.headers.authorization, JSON.parse(r.body)]),
      [
        ['/escalate', `Bearer ${TOKEN}`, { user_id: 'dev@example.com', resource_id: 'some-resource' }],
        ['/deescalate', `Bearer ${TOKEN}`, { user_id: 'dev@example.com', resource_id: 'some-resource' }],
      ],
    );
    assert.ok(done.events.some((e: { type: string }) => e.type === 'request.escalated'));
    assert.ok(!JSON.stringify(done).includes(TOKEN));
    assert.ok(
      lines.every((line) => !line.includes(TOKEN)),
      'no log line holds the token',
    );
  });

  it("get_approver's slack.user(req.user) lets an assigned requester approve their own request", async () => {
    const id = await request({ customer_plan: 'pro', is_assigned: true });
    assert.equal((await stateOf(id)).state, 'pending');
    const approved = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(requester.token));
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    await waitFor('the self-approved request to become active', async () => (await stateOf(id)).state === 'active');
  });

  it('a Python flow with a forbidden import is refused at store time with its line (422)', async () => {
    const res = await create('entities/flows', {
      name: 'bad-python',
      implementation: 'from sym.sdk.annotations import hook\nimport os\n\n@hook\ndef on_request(event):\n    return None\n',
      environment_id: environment,
    });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(JSON.stringify(res.body), /line 2: module \\"os\\" is not available in the sandbox/);
  });

  it('a Python syntax error is refused at store time with its line (422)', async () => {
    const res = await create('entities/flows', { name: 'bad-syntax', implementation: 'from sym.sdk import events\n\ndef on_request(event)\n    return None\n', environment_id: environment });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(JSON.stringify(res.body), /line 3: SyntaxError/);
  });
});
