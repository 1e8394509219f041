// A restart of the control plane in the middle of a backlog (PGlite on disk): events queued for
// a destination that is down survive the restart and are delivered once each, in order, when it
// comes back; the retry that was scheduled before the restart is what delivers them.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { waitFor } from '../../jobs/testing/wait-for';
import { setUpDelivery } from './testing/delivery-fixture';
import { startIntakeDouble, type IntakeDouble } from './testing/intake-double';

describe('log delivery across a restart (PGlite on disk)', () => {
  let dir: string;
  let intake: IntakeDouble;
  let t: TestControlPlane | undefined;
  const options = { startJobs: true, workflow: { jobs: { pollIntervalMs: 10 }, logDelivery: { backoff: { baseMs: 50, maxMs: 200 } } } };
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'opensym-log-delivery-'));
    intake = await startIntakeDouble();
  });
  after(async () => {
    await t?.close();
    await intake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses nothing and repeats nothing', async () => {
    const first = await startTestControlPlane({ dataDir: dir }, options);
    t = first;
    const admin = { Authorization: `Bearer ${first.admin}` };
    const d = await setUpDelivery(first, 'restart', { type: 'http', settings: { url: `${intake.url}/restart` } });
    const everything = () => intake.accepted.filter((c) => c.path === '/restart').flatMap((c) => (c.body as { events: { id: string; request_id: string | null }[] }).events);
    // The requests' events (the organization's set-up events arrive first).
    const delivered = () =>
      everything()
        .filter((e) => e.request_id !== null)
        .map((e) => e.id);
    const before = await d.request('before the outage');
    await waitFor('the first request delivered', async () => (await d.state()).pending === 0 && delivered().length > 0);

    intake.outage(Number.MAX_SAFE_INTEGER);
    const during = [await d.request('backlog 1'), await d.request('backlog 2')];
    await waitFor('the backlog is failing', async () => {
      const s = await d.state();
      return s.failing && (s.pending as number) > 0;
    });
    await first.close();
    t = undefined;

    intake.outage(0);
    const second = await startTestControlPlane({ dataDir: dir }, options);
    t = second;
    const trail = async (requestId: string) => {
      const res = await second.request.get(`/api/v1/audit?request_id=${requestId}&limit=200`).set(admin);
      assert.equal(res.status, 200);
      return (res.body.data as { id: string }[]).map((e) => e.id).reverse();
    };
    const expected = (await Promise.all([before, ...during].map(trail))).flat();
    await waitFor('the backlog delivered after the restart', () => delivered().length >= expected.length);
    assert.deepEqual(delivered(), expected, 'each event once, in order');
    const state = await waitFor('state caught up', async () => {
      const res = await second.request.get(`/api/v1/entities/log-destinations/${d.destinationId}/delivery`).set(admin);
      return res.body.pending === 0 && !res.body.failing ? res.body : null;
    });
    assert.equal(new Set(everything().map((e) => e.id)).size, everything().length, 'organization events once each too');
    assert.equal(state.delivered, everything().length);
    assert.equal(state.last_event_id, expected.at(-1));
  });
});
