// Deleting configuration a live grant needs (PGlite, real job queue, a strategy double): refused
// with 409 still_referenced naming the requests, until they are revoked and their access is back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gate, waitFor } from '../../jobs/testing/wait-for';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import type { StrategyInvocation, StrategyRegistry } from '../strategies/access-strategy';
import { LIVE_REQUESTS_NAMED } from './entity-service';

const STRATEGY = `import { AccessStrategy } from "sym/sdk/strategies";\nexport class S extends AccessStrategy {\n  escalate(target_id, event) {}\n  deescalate(target_id, event) {}\n}\n`;

/** Counts grants and revocations per request; an escalation can be held at a gate. */
function countingStrategies() {
  const calls: Pick<StrategyInvocation, 'action' | 'requestId'>[] = [];
  const held = new Map<string, ReturnType<typeof gate>>();
  const registry: StrategyRegistry = {
    runnerFor: () => ({
      escalate: async ({ action, requestId }) => {
        await held.get(requestId)?.promise;
        calls.push({ action, requestId });
        return {};
      },
      deescalate: async ({ action, requestId }) => {
        calls.push({ action, requestId });
        return {};
      },
    }),
  };
  return { calls, held, registry };
}

describe('deleting what a live grant needs (PGlite, job queue)', () => {
  const strategies = countingStrategies();
  let t: TestControlPlane;
  let requester: { id: string; token: string };
  let lead: { id: string; token: string };
  const ids = {} as Record<'env' | 'source' | 'secret' | 'integration' | 'target' | 'strategy' | 'flow' | 'plain', string>;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = async (path: string, body: object): Promise<string> => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer(t.admin)).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const person = async (email: string, role: string) => {
    const id = await create('users', { email, role });
    const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    return { id, token: issued.body.token as string };
  };
  const stateOf = async (id: string): Promise<string> => (await t.request.get(`/api/v1/requests/${id}`).set(bearer(t.admin))).body.state;
  const del = (kind: string, id: string) => t.request.delete(`/api/v1/entities/${kind}/${id}`).set(bearer(t.admin));
  /** Asks for `flow` and approves it as the lead; returns the request id. */
  const approve = async (flow: string, hold = false): Promise<string> => {
    const made = await t.request
      .post('/api/v1/events/request')
      .set(bearer(requester.token))
      .send({ flow, flow_inputs: { duration: '1h', ...(flow === 'grant' && { target: 'db' }) } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    if (hold) strategies.held.set(made.body.id, gate());
    const ok = await t.request.post(`/api/v1/requests/${made.body.id}/approve`).set(bearer(lead.token));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    return made.body.id as string;
  };
  const active = async (flow = 'grant') => {
    const id = await approve(flow);
    await waitFor(`${id} to become active`, async () => (await stateOf(id)) === 'active');
    return id;
  };
  const revoke = async (id: string) => {
    const res = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(lead.token)).send({ reason: 'cleaning up' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await waitFor(`${id} to be taken back`, async () => (await stateOf(id)) === 'done');
  };
  /** The 409 a delete must answer while `requests` are live. */
  const refused = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, requests: string[]) => {
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.equal(res.body.code, 'still_referenced');
    assert.equal(res.body.request_count, requests.length);
    assert.deepEqual((res.body.requests as { id: string }[]).map((r) => r.id).sort(), [...requests].sort());
    for (const id of requests) assert.ok(String(res.body.detail).includes(id), `detail names ${id}: ${String(res.body.detail)}`);
    assert.match(String(res.body.detail), /[Rr]evoke them .* or wait until they expire/);
  };

  before(async () => {
    t = await startTestControlPlane(undefined, { workflow: { strategies: strategies.registry, jobs: { pollIntervalMs: 20 } }, startJobs: true });
    ids.env = await create('entities/environments', { name: 'grants' });
    ids.source = await create('entities/secret-sources', { type: 'env', name: 'process-env' });
    ids.secret = await create('entities/secrets', { path: 'SYM_SECRET_GRANT_API_KEY', source_id: ids.source });
    ids.integration = await create('entities/integrations', { type: 'custom', name: 'grant-api', external_id: 'acct', settings: { secret_ids_json: JSON.stringify([ids.secret]) } });
    ids.target = await create('entities/access-targets', { type: 'custom', name: 'db' });
    ids.strategy = await create('entities/access-strategies', { type: 'custom', name: 'db-access', integration_id: ids.integration, targets: [ids.target], implementation: STRATEGY });
    const prompt = [{ name: 'duration', type: 'duration', required: true }];
    ids.flow = await create('entities/flows', {
      name: 'grant',
      implementation: 'export function on_request(event) {}\n',
      environment_id: ids.env,
      params: { strategy_id: ids.strategy, prompt_field: prompt },
    });
    // Approval only: `approved` is where its requests end, and nothing needs taking back.
    ids.plain = await create('entities/flows', { name: 'approval-only', implementation: 'export function on_request(event) {}\n', environment_id: ids.env, params: { prompt_field: prompt } });
    requester = await person('dev@example.com', 'member');
    lead = await person('lead@example.com', 'admin');
  });
  after(async () => {
    for (const g of strategies.held.values()) g.open();
    await t?.close();
  });

  it('refuses to delete the flow, strategy, target or secret of an active grant; a PATCH goes through; after revoke all deletes work', async () => {
    const id = await active();
    refused(await del('flows', ids.flow), [id]);
    // Updates are not blocked: the flow may stop using the strategy, whose delete is then
    // refused by the grant's snapshot of it rather than by the flow's reference.
    const other = await create('entities/access-strategies', { type: 'custom', name: 'other', targets: [], implementation: STRATEGY });
    const patched = await t.request
      .patch(`/api/v1/entities/flows/${ids.flow}`)
      .set(bearer(t.admin))
      .send({ params: { strategy_id: other, prompt_field: [{ name: 'duration', type: 'duration', required: true }] } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    refused(await del('access-strategies', ids.strategy), [id]);
    // The strategy may drop its target (and the target is then referenced by nothing) ...
    const dropped = await t.request.patch(`/api/v1/entities/access-strategies/${ids.strategy}`).set(bearer(t.admin)).send({ targets: [] });
    assert.equal(dropped.status, 200, JSON.stringify(dropped.body));
    refused(await del('access-targets', ids.target), [id]);
    // ... and the integration names its secret in a setting, which no reference protects.
    refused(await del('secrets', ids.secret), [id]);
    const integration = await del('integrations', ids.integration);
    assert.equal(integration.status, 409, 'the strategy still refers to its integration');

    await revoke(id);
    assert.deepEqual(
      strategies.calls.filter((c) => c.requestId === id).map((c) => c.action),
      ['escalate', 'deescalate'],
      'taken back once',
    );
    for (const [kind, entity] of [
      ['flows', ids.flow],
      ['access-strategies', ids.strategy],
      ['access-targets', ids.target],
      ['secrets', ids.secret],
      ['integrations', ids.integration],
      ['secret-sources', ids.source],
    ] as const) {
      const res = await del(kind, entity);
      assert.equal(res.status, 204, `${kind}: ${JSON.stringify(res.body)}`);
    }
  });
});

describe('deleting what a live grant needs: approved, many, approval-only (PGlite, job queue)', () => {
  const strategies = countingStrategies();
  let t: TestControlPlane;
  let requester: { id: string; token: string };
  let lead: { id: string; token: string };
  let flow: string;
  let plain: string;
  let strategy: string;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = async (path: string, body: object): Promise<string> => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer(t.admin)).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const person = async (email: string, role: string) => {
    const id = await create('users', { email, role });
    const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
    return { id, token: issued.body.token as string };
  };
  const stateOf = async (id: string): Promise<string> => (await t.request.get(`/api/v1/requests/${id}`).set(bearer(t.admin))).body.state;
  const approve = async (name: string, hold = false): Promise<string> => {
    const made = await t.request
      .post('/api/v1/events/request')
      .set(bearer(requester.token))
      .send({ flow: name, flow_inputs: { duration: '1h' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    if (hold) strategies.held.set(made.body.id, gate());
    const ok = await t.request.post(`/api/v1/requests/${made.body.id}/approve`).set(bearer(lead.token));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    return made.body.id as string;
  };

  before(async () => {
    t = await startTestControlPlane(undefined, { workflow: { strategies: strategies.registry, jobs: { pollIntervalMs: 20 } }, startJobs: true });
    const env = await create('entities/environments', { name: 'grants' });
    strategy = await create('entities/access-strategies', { type: 'custom', name: 'no-targets', targets: [], implementation: STRATEGY });
    const prompt = [{ name: 'duration', type: 'duration', required: true }];
    flow = await create('entities/flows', { name: 'grant', implementation: 'export function on_request(event) {}\n', environment_id: env, params: { strategy_id: strategy, prompt_field: prompt } });
    plain = await create('entities/flows', { name: 'approval-only', implementation: 'export function on_request(event) {}\n', environment_id: env, params: { prompt_field: prompt } });
    requester = await person('dev@example.com', 'member');
    lead = await person('lead@example.com', 'admin');
  });
  after(async () => {
    for (const g of strategies.held.values()) g.open();
    await t?.close();
  });

  it('counts an approved request whose escalate has not run yet', async () => {
    const id = await approve('grant', true);
    assert.equal(await stateOf(id), 'approved');
    const res = await t.request.delete(`/api/v1/entities/flows/${flow}`).set(bearer(t.admin));
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.deepEqual(res.body.requests, [{ id, state: 'approved' }]);
    strategies.held.get(id)!.open();
    await waitFor('the held grant to become active', async () => (await stateOf(id)) === 'active');
    const revoked = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(lead.token)).send({});
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    await waitFor('the grant to be taken back', async () => (await stateOf(id)) === 'done');
  });

  it(`names at most ${LIVE_REQUESTS_NAMED} requests and counts them all`, async () => {
    const made: string[] = [];
    for (let i = 0; i <= LIVE_REQUESTS_NAMED; i++) made.push(await approve('grant'));
    await waitFor('every grant to become active', async () => (await Promise.all(made.map(stateOf))).every((s) => s === 'active'));
    const res = await t.request.delete(`/api/v1/entities/flows/${flow}`).set(bearer(t.admin));
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.request_count, LIVE_REQUESTS_NAMED + 1);
    assert.equal(res.body.requests.length, LIVE_REQUESTS_NAMED);
    assert.match(res.body.detail, /and 1 more/);
    for (const id of made) {
      assert.equal((await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(lead.token)).send({})).status, 200);
    }
    await waitFor('every grant to be taken back', async () => (await Promise.all(made.map(stateOf))).every((s) => s === 'done'));
    assert.equal((await t.request.delete(`/api/v1/entities/flows/${flow}`).set(bearer(t.admin))).status, 204);
    assert.equal((await t.request.delete(`/api/v1/entities/access-strategies/${strategy}`).set(bearer(t.admin))).status, 204);
  });

  it('an approval-only flow whose requests are approved can be deleted', async () => {
    const id = await approve('approval-only');
    assert.equal(await stateOf(id), 'approved');
    const res = await t.request.delete(`/api/v1/entities/flows/${plain}`).set(bearer(t.admin));
    assert.equal(res.status, 204, JSON.stringify(res.body));
  });
});
