// Segment and Datadog log destinations against local doubles of their intakes (Segment's
// `POST /v1/batch` with the write key as Basic-auth user, Datadog's `POST /api/v2/logs` with
// `DD-API-KEY`), keys read from `sym_secret`s; a wrong key shows as the destination's error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { waitFor } from '../../jobs/testing/wait-for';
import { setUpDelivery } from './testing/delivery-fixture';
import { startIntakeDouble, type IntakeDouble } from './testing/intake-double';

describe('segment and datadog log destinations (API on PGlite, jobs running)', () => {
  let t: TestControlPlane;
  let intake: IntakeDouble;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });
  const secretOf = async (name: string) => {
    const source = await t.request
      .post('/api/v1/entities/secret-sources')
      .set(admin())
      .send({ type: 'env', name: `src-${name}` });
    const secret = await t.request.post('/api/v1/entities/secrets').set(admin()).send({ path: name, source_id: source.body.id });
    assert.equal(secret.status, 201, JSON.stringify(secret.body));
    return secret.body.id as string;
  };
  const trail = async (requestId: string) => {
    const res = await t.request.get(`/api/v1/audit?request_id=${requestId}&limit=200`).set(admin());
    return (res.body.data as { id: string; type: string }[]).reverse();
  };

  before(async () => {
    process.env.SYM_SECRET_SEGMENT_KEY = 'seg-write-key';
    process.env.SYM_SECRET_DD_KEY = 'dd-api-key';
    process.env.SYM_SECRET_DD_WRONG = 'not-the-key';
    intake = await startIntakeDouble({ segmentWriteKey: 'seg-write-key', datadogApiKey: 'dd-api-key' });
    t = await startTestControlPlane(undefined, { startJobs: true, workflow: { jobs: { pollIntervalMs: 10 }, logDelivery: { backoff: { baseMs: 10, maxMs: 50 } } } });
  });
  after(async () => {
    await t?.close();
    await intake?.close();
    for (const k of ['SYM_SECRET_SEGMENT_KEY', 'SYM_SECRET_DD_KEY', 'SYM_SECRET_DD_WRONG']) delete process.env[k];
  });

  it('segment: one track call per event, named after its type, with the event id as messageId', async () => {
    const d = await setUpDelivery(t, 'segment', { type: 'segment', settings: { write_key_secret: await secretOf('SYM_SECRET_SEGMENT_KEY'), api_url: intake.url } });
    const id = await d.request('segment');
    const expected = await trail(id);
    // The request's events (the organization's own events, entities and users, arrive too).
    const calls = () =>
      intake.accepted
        .filter((c) => c.path === '/v1/batch')
        .flatMap((c) => (c.body as { batch: Record<string, unknown>[] }).batch)
        .filter((m) => (m.properties as { request_id: string | null }).request_id !== null);
    await waitFor('segment got the events', () => calls().length >= expected.length);
    assert.deepEqual(
      calls().map((m) => [m.type, m.event, m.messageId]),
      expected.map((e) => ['track', e.type, e.id]),
    );
    // Segment needs a user: the acting user, else the token, else `opensym` (the system).
    assert.ok(calls().every((m) => (typeof m.userId === 'string') !== (typeof m.anonymousId === 'string') && (m.properties as { request_id: string }).request_id === id));
    assert.ok(
      calls().some((m) => typeof m.userId === 'string'),
      'the requester acts in request.created',
    );
  });

  it('datadog: log entries with the event as JSON message; a wrong API key is the last error until it is fixed', async () => {
    const wrong = await secretOf('SYM_SECRET_DD_WRONG');
    const d = await setUpDelivery(t, 'datadog', { type: 'datadog', settings: { api_key_secret: wrong, api_url: intake.url } });
    const id = await d.request('datadog');
    const failing = await waitFor('the 403 shows', async () => {
      const s = await d.state();
      return s.failing ? s : null;
    });
    assert.match(String(failing.last_error), /answered 403/);
    assert.doesNotMatch(String(failing.last_error), /not-the-key/, 'the key is never in the error');
    const right = await secretOf('SYM_SECRET_DD_KEY');
    const patched = await t.request
      .patch(`/api/v1/entities/log-destinations/${d.destinationId}`)
      .set(admin())
      .send({ settings: { api_key_secret: right, api_url: intake.url } });
    assert.equal(patched.status, 200);
    const expected = await trail(id);
    const entries = () =>
      intake.accepted
        .filter((c) => c.path === '/api/v2/logs')
        .flatMap((c) => c.body as Record<string, unknown>[])
        .filter((e) => JSON.parse(String(e.message)).request_id !== null);
    await waitFor('datadog got the events', () => entries().length >= expected.length);
    assert.deepEqual(
      entries().map((e) => [e.ddsource, e.event_id, JSON.parse(String(e.message)).type]),
      expected.map((e) => ['opensym', e.id, e.type]),
    );
  });
});
