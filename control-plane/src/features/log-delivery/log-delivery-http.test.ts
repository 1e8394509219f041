// Log destinations of type `http` through the API on PGlite, with the job queue running: every
// request event of the destination's environment arrives once, in order, with its event id;
// outages (503, connection refused) are retried with backoff and shown in the delivery state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { freePort } from '../../test-support/free-port';
import { waitFor } from '../../jobs/testing/wait-for';
import { setUpDelivery } from './testing/delivery-fixture';
import { startIntakeDouble, type IntakeDouble } from './testing/intake-double';

interface Delivered {
  id: string;
  type: string;
  request_id: string;
  at: string;
}

/** Every event the double accepted, in arrival order. */
const deliveredTo = (intake: IntakeDouble, path = '/hook'): Delivered[] => intake.accepted.filter((c) => c.path === path).flatMap((c) => (c.body as { events: Delivered[] }).events);

describe('http log destinations (API on PGlite, jobs running)', () => {
  let t: TestControlPlane;
  let intake: IntakeDouble;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });
  /** The audit trail of one request, oldest first, as the API shows it. */
  const trail = async (requestId: string) => {
    const res = await t.request.get(`/api/v1/audit?request_id=${requestId}&limit=200`).set(admin());
    assert.equal(res.status, 200);
    return (res.body.data as Delivered[]).map((e) => e.id).reverse();
  };

  before(async () => {
    process.env.SYM_SECRET_LOG_HEADERS = JSON.stringify({ authorization: 'Bearer hook-secret' });
    intake = await startIntakeDouble();
    t = await startTestControlPlane(undefined, { startJobs: true, workflow: { jobs: { pollIntervalMs: 10 }, logDelivery: { backoff: { baseMs: 10, maxMs: 50 } } } });
  });
  after(async () => {
    await t?.close();
    await intake?.close();
    delete process.env.SYM_SECRET_LOG_HEADERS;
  });

  it('delivers each request event of the environment once, in order, with its event id and the secret headers; the state shows it', async () => {
    const source = await t.request.post('/api/v1/entities/secret-sources').set(admin()).send({ type: 'env', name: 'log-env' });
    const secret = await t.request.post('/api/v1/entities/secrets').set(admin()).send({ path: 'SYM_SECRET_LOG_HEADERS', source_id: source.body.id });
    assert.equal(secret.status, 201, JSON.stringify(secret.body));
    const d = await setUpDelivery(t, 'ok', { type: 'http', settings: { url: `${intake.url}/hook`, headers_secret: secret.body.id } });
    const requests = [await d.request('one'), await d.request('two'), await d.request('three')];
    const expected = (await Promise.all(requests.map(trail))).flat();
    await waitFor('all events delivered', () => deliveredTo(intake).length >= expected.length);
    const got = deliveredTo(intake);
    assert.deepEqual(got.map((e) => e.id).sort(), [...expected].sort(), 'each event exactly once');
    for (const id of requests)
      assert.deepEqual(
        got.filter((e) => e.request_id === id).map((e) => e.id),
        await trail(id),
        'in order per request',
      );
    assert.ok(got.every((e) => e.type.startsWith('request.')));
    assert.ok(intake.accepted.every((c) => c.headers.authorization === 'Bearer hook-secret'));
    const state = await waitFor('state caught up', async () => {
      const s = await d.state();
      return s.pending === 0 && s.delivered === expected.length ? s : null;
    });
    assert.equal(state.last_event_id, got.at(-1)!.id);
    assert.equal(state.failing, false);
    assert.equal(state.last_error, null);
  });

  it('an outage (503) is retried with backoff until the destination recovers; nothing is lost or repeated', async () => {
    const d = await setUpDelivery(t, 'outage', { type: 'http', settings: { url: `${intake.url}/outage` } });
    intake.outage(4);
    const first = await d.request('during outage');
    const failing = await waitFor('the failure shows', async () => {
      const s = await d.state();
      return s.failing ? s : null;
    });
    assert.match(String(failing.last_error), /answered 503/);
    assert.ok((failing.pending as number) > 0);
    assert.ok(failing.next_attempt_at);
    const second = await d.request('after outage');
    const expected = [...(await trail(first)), ...(await trail(second))];
    await waitFor('delivered after recovery', () => deliveredTo(intake, '/outage').length >= expected.length);
    const got = deliveredTo(intake, '/outage').map((e) => e.id);
    assert.deepEqual(got, expected, 'once each, in order');
    assert.ok(intake.refused.filter((r) => r.path === '/outage').length >= 1);
    const state = await waitFor('recovered', async () => {
      const s = await d.state();
      return s.pending === 0 && !s.failing ? s : null;
    });
    assert.match(String(state.last_error), /503/, 'the last error stays visible with its time');
    assert.equal(state.consecutive_failures, 0);
  });

  it('connection refused is retried; fixing the URL delivers the backlog', async () => {
    const closedPort = await freePort();
    const d = await setUpDelivery(t, 'refused', { type: 'http', settings: { url: `http://127.0.0.1:${closedPort}/x` } });
    const id = await d.request('refused');
    const failing = await waitFor('the failure shows', async () => {
      const s = await d.state();
      return s.failing ? s : null;
    });
    assert.match(String(failing.last_error), /ECONNREFUSED/);
    const patched = await t.request
      .patch(`/api/v1/entities/log-destinations/${d.destinationId}`)
      .set(admin())
      .send({ settings: { url: `${intake.url}/fixed` } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const expected = await trail(id);
    await waitFor('delivered after the fix', () => deliveredTo(intake, '/fixed').length >= expected.length);
    assert.deepEqual(
      deliveredTo(intake, '/fixed').map((e) => e.id),
      expected,
    );
  });

  it('events of other environments and events without a request are not delivered', async () => {
    const d = await setUpDelivery(t, 'scoped', { type: 'http', settings: { url: `${intake.url}/scoped` } });
    const other = await setUpDelivery(t, 'other', { type: 'http', settings: { url: `${intake.url}/other` } });
    const mine = await d.request('mine');
    await other.request('theirs');
    await t.request.post('/api/v1/entities/runtimes').set(admin()).send({ name: 'not-a-request-event' });
    const expected = await trail(mine);
    await waitFor('delivered', () => deliveredTo(intake, '/scoped').length >= expected.length && deliveredTo(intake, '/other').length >= 2);
    await waitFor('settled', async () => (await d.state()).pending === 0);
    assert.deepEqual(
      deliveredTo(intake, '/scoped').map((e) => e.id),
      expected,
    );
  });

  it('the delivery state is for admins and members of the organization only', async () => {
    const d = await setUpDelivery(t, 'roles', { type: 'http', settings: { url: `${intake.url}/roles` } });
    const path = `/api/v1/entities/log-destinations/${d.destinationId}/delivery`;
    const fresh = await t.request.get(path).set({ Authorization: `Bearer ${t.member}` });
    assert.equal(fresh.status, 200);
    assert.deepEqual(fresh.body, {
      destination_id: d.destinationId,
      pending: 0,
      delivered: 0,
      last_event_id: null,
      last_event_at: null,
      last_delivered_at: null,
      last_error: null,
      last_error_at: null,
      failing: false,
      consecutive_failures: 0,
      next_attempt_at: null,
    });
    const guest = await t.request.post('/api/v1/users').set(admin()).send({ email: 'guest-roles@example.com', role: 'guest' });
    const guestToken = await t.request.post(`/api/v1/users/${guest.body.id}/tokens`).set(admin()).send({});
    assert.equal((await t.request.get(path).set({ Authorization: `Bearer ${guestToken.body.token}` })).status, 403);
    assert.equal((await t.request.get(path).set({ Authorization: `Bearer ${t.otherAdmin}` })).status, 404);
    assert.equal((await t.request.get('/api/v1/entities/log-destinations/00000000-0000-4000-8000-000000000000/delivery').set(admin())).status, 404);
    assert.equal((await t.request.get('/api/v1/entities/log-destinations/not-a-uuid/delivery').set(admin())).status, 404);
  });
});
