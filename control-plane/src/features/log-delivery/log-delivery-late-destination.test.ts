// The trigger made by the first destination (migration `log_delivery_trigger_with_first_destination`): while an
// organization has no log destination, writing audit events queues nothing; once a destination is
// created and listed by the environment, the events written from then on are delivered, each once
// and in order, and the earlier ones are not (README: no backfill).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { startIntakeDouble, type IntakeDouble } from './testing/intake-double';

const APPROVE = 'import { events } from "sym/sdk";\nexport function on_request(event) {\n  return events.approval.approve();\n}\n';

describe('a log destination added after events were written (API on PGlite, jobs running)', () => {
  let t: TestControlPlane;
  let intake: IntakeDouble;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });
  const post = async (path: string, body: object, headers = admin()) => {
    const res = await t.request.post(`/api/v1${path}`).set(headers).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, string>;
  };
  /** Ids of a request's audit events, oldest first. */
  const trail = async (requestId: string) => {
    const res = await t.request.get(`/api/v1/audit?request_id=${requestId}&limit=200`).set(admin());
    assert.equal(res.status, 200);
    return (res.body.data as { id: string }[]).map((e) => e.id).reverse();
  };
  // Request events only: the environment's own update (an organization event) is delivered too.
  const delivered = () =>
    intake.accepted.filter((c) => c.path === '/late').flatMap((c) => (c.body as { events: { id: string; request_id: string | null }[] }).events.filter((e) => e.request_id !== null).map((e) => e.id));

  before(async () => {
    intake = await startIntakeDouble();
    t = await startTestControlPlane(undefined, { startJobs: true, workflow: { jobs: { pollIntervalMs: 10 }, logDelivery: { backoff: { baseMs: 10, maxMs: 50 } } } });
  });
  after(async () => {
    await t?.close();
    await intake?.close();
  });

  it('events written while the organization had no destination are not queued; those written after it is listed are delivered once each, in order', async () => {
    const env = await post('/entities/environments', { name: 'env-late' });
    await post('/entities/flows', { name: 'flow-late', implementation: APPROVE, environment_id: env.id, params: { prompt_field: [{ name: 'reason', type: 'string' }] } });
    const user = await post('/users', { email: 'late@example.com', role: 'member' });
    const as = { Authorization: `Bearer ${(await post(`/users/${user.id}/tokens`, {})).token}` };
    const ask = async (reason: string) => (await post('/events/request', { flow: 'flow-late', flow_inputs: { reason } }, as)).id!;

    const before = await ask('before any destination');
    assert.equal((await trail(before)).length, 2, 'created and approved');
    const prisma = t.cp.db.prisma;
    assert.equal(await prisma.logDeliveryOutbox.count(), 0, 'nothing queued without a destination');
    assert.equal(await prisma.job.count({ where: { kind: 'log_delivery' } }), 0);

    const destination = await post('/entities/log-destinations', { type: 'http', settings: { url: `${intake.url}/late` } });
    // Created but not yet listed by the environment: still nothing for this environment's events.
    const unlisted = await ask('destination not listed yet');
    assert.equal(await prisma.logDeliveryOutbox.count(), 0, 'the environment lists no destination');

    const patched = await t.request
      .patch(`/api/v1/entities/environments/${env.id}`)
      .set(admin())
      .send({ log_destination_ids: [destination.id] });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const after1 = await ask('after the destination');
    const after2 = await ask('and another');
    const expected = [...(await trail(after1)), ...(await trail(after2))];
    await waitFor('the later events delivered', () => delivered().length >= expected.length);
    await waitFor('settled', async () => (await prisma.logDeliveryOutbox.count()) === 0);
    assert.deepEqual(delivered(), expected, 'each later event once, in order; none written before the destination was listed');
    const earlier = new Set([...(await trail(before)), ...(await trail(unlisted))]);
    assert.ok(delivered().every((id) => !earlier.has(id)));
  });
});
