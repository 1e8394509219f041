// Log destinations of type `http` through the API on PGlite, with the job queue running: every
// request event of the destination's environment arrives once, in order, with its event id, and
// every event without a request (entities, users, tokens) reaches each destination of the
// organization; outages (503, connection refused) are retried with backoff and shown in the
// delivery state.
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
  request_id: string | null;
  entity_id: string | null;
  at: string;
}

/** Every event the double accepted, in arrival order. */
const allDeliveredTo = (intake: IntakeDouble, path = '/hook'): Delivered[] => intake.accepted.filter((c) => c.path === path).flatMap((c) => (c.body as { events: Delivered[] }).events);
/** The request events among them (organization events arrive too, interleaved). */
const deliveredTo = (intake: IntakeDouble, path = '/hook'): Delivered[] => allDeliveredTo(intake, path).filter((e) => e.request_id !== null);

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
      return s.pending === 0 && s.delivered === allDeliveredTo(intake).length ? s : null;
    });
    assert.equal(state.last_event_id, allDeliveredTo(intake).at(-1)!.id);
    assert.equal(state.failing, false);
    assert.equal(state.last_error, null);
  });

  it('an outage (503) is retried with backoff until the destination recovers; nothing is lost or repeated', async () => {
    const d = await setUpDelivery(t, 'outage', { type: 'http', settings: { url: `${intake.url}/outage` } });
    intake.outage(4, '/outage');
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

  it('request events of other environments are not delivered; events without a request reach every destination of the organization, once each, in order', async () => {
    const d = await setUpDelivery(t, 'scoped', { type: 'http', settings: { url: `${intake.url}/scoped` } });
    const other = await setUpDelivery(t, 'other', { type: 'http', settings: { url: `${intake.url}/other` } });
    const mine = await d.request('mine');
    const theirs = await other.request('theirs');
    // Events of no request: an entity created and changed, a user's role changed, a token issued and revoked.
    const runtime = await t.request.post('/api/v1/entities/runtimes').set(admin()).send({ name: 'not-a-request-event' });
    assert.equal(runtime.status, 201, JSON.stringify(runtime.body));
    assert.equal((await t.request.patch(`/api/v1/entities/runtimes/${runtime.body.id}`).set(admin()).send({ label: 'Changed' })).status, 200);
    const user = await t.request.post('/api/v1/users').set(admin()).send({ email: 'org-events@example.com', role: 'member' });
    assert.equal((await t.request.patch(`/api/v1/users/${user.body.id}`).set(admin()).send({ role: 'admin' })).status, 200);
    const token = await t.request.post(`/api/v1/users/${user.body.id}/tokens`).set(admin()).send({});
    assert.equal((await t.request.delete(`/api/v1/tokens/${token.body.id}`).set(admin())).status, 204);

    // The organization's events without a request, oldest first, from each destination's environment on.
    const orgEvents = async (environmentId: string) => {
      const all: Delivered[] = [];
      let pageToken: string | null = null;
      do {
        const res: { status: number; body: { data: Delivered[]; next_page_token: string | null } } = await t.request
          .get(`/api/v1/audit?limit=200${pageToken ? `&page_token=${pageToken}` : ''}`)
          .set(admin());
        assert.equal(res.status, 200);
        all.push(...(res.body.data as Delivered[]));
        pageToken = res.body.next_page_token;
      } while (pageToken);
      const oldestFirst = all.reverse();
      const from = oldestFirst.findIndex((e) => e.type === 'entity.created' && e.entity_id === environmentId);
      return oldestFirst.slice(from).filter((e) => e.request_id === null);
    };
    const expectedScoped = await orgEvents(d.environmentId);
    const expectedOther = await orgEvents(other.environmentId);
    const types = new Set(expectedScoped.map((e) => e.type));
    for (const type of ['entity.created', 'entity.updated', 'user.created', 'user.updated', 'token.created', 'token.revoked']) assert.ok(types.has(type), `${type} in ${[...types].join(', ')}`);
    await waitFor('organization events delivered', () => allDeliveredTo(intake, '/scoped').length >= expectedScoped.length + 2 && allDeliveredTo(intake, '/other').length >= expectedOther.length + 2);
    await waitFor('settled', async () => (await d.state()).pending === 0 && (await other.state()).pending === 0);

    assert.deepEqual(
      deliveredTo(intake, '/scoped').map((e) => e.id),
      await trail(mine),
      'only the requests of its own environment',
    );
    assert.deepEqual(
      deliveredTo(intake, '/other').map((e) => e.id),
      await trail(theirs),
    );
    for (const [path, expected] of [
      ['/scoped', expectedScoped],
      ['/other', expectedOther],
    ] as const) {
      const got = allDeliveredTo(intake, path).filter((e) => e.request_id === null);
      assert.deepEqual(got.map((e) => e.id).sort(), expected.map((e) => e.id).sort(), `${path}: every organization event once`);
      assert.deepEqual(
        got.map((e) => e.at),
        [...got.map((e) => e.at)].sort(),
        `${path}: in order`,
      );
    }
    // The other environment's set-up (its destination, environment, flow, user) is an organization event for the first destination too.
    assert.ok(allDeliveredTo(intake, '/scoped').some((e) => e.type === 'entity.created' && e.entity_id === other.environmentId));
  });

  it('the delivery state is for admins and members of the organization only', async () => {
    // Listed by no environment: nothing is queued for it yet.
    const dest = await t.request
      .post('/api/v1/entities/log-destinations')
      .set(admin())
      .send({ type: 'http', settings: { url: `${intake.url}/roles` } });
    assert.equal(dest.status, 201, JSON.stringify(dest.body));
    const path = `/api/v1/entities/log-destinations/${dest.body.id}/delivery`;
    const fresh = await t.request.get(path).set({ Authorization: `Bearer ${t.member}` });
    assert.equal(fresh.status, 200);
    assert.deepEqual(fresh.body, {
      destination_id: dest.body.id,
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
