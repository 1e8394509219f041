import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFakeJobQueue } from './fake-job-queue';
import type { JobDb } from './job-queue';
import { waitFor } from './testing/wait-for';

// The fake ignores the transaction client.
const noDb = {} as JobDb;

describe('fake job queue', () => {
  it('honours runAt against its clock and dedupeKey', async () => {
    let now = new Date('2026-12-01T12:00:00Z');
    const q = createFakeJobQueue({ now: () => now });
    const ran: string[] = [];
    const handlers = { deescalate: { run: async (j: { payload: Record<string, unknown> }) => void ran.push(String(j.payload.name)) } };
    await q.enqueue(noDb, { kind: 'deescalate', payload: { name: 'soon' }, runAt: new Date('2026-12-01T12:05:00Z'), dedupeKey: 'd:1' });
    await q.enqueue(noDb, { kind: 'deescalate', payload: { name: 'copy' }, dedupeKey: 'd:1' });
    await q.enqueue(noDb, { kind: 'deescalate', payload: { name: 'now' } });
    assert.equal(await q.runDue(handlers), 1);
    assert.deepEqual(ran, ['now']);
    now = new Date('2026-12-01T12:05:00Z');
    assert.equal(await q.runDue(handlers), 1);
    assert.deepEqual(ran, ['now', 'soon']);
    assert.deepEqual(q.jobs().map((j) => [j.payload.name, j.state]), [['soon', 'done'], ['now', 'done']]);
  });

  it('retries, then gives up with onGiveUp and lastError', async () => {
    const q = createFakeJobQueue();
    const gaveUp: string[] = [];
    await q.enqueue(noDb, { kind: 'escalate', maxAttempts: 2 });
    const runs = await q.runDue({
      escalate: {
        run: async (j) => {
          throw new Error(`boom ${j.attempt}`);
        },
        onGiveUp: async (_j, e) => void gaveUp.push(e.message),
      },
    });
    assert.equal(runs, 2);
    const [job] = q.jobs();
    assert.equal(job!.state, 'failed');
    assert.equal(job!.attempts, 2);
    assert.equal(job!.lastError, 'boom 2');
    assert.deepEqual(gaveUp, ['boom 2']);
  });

  it('runs jobs by itself once started, and stops', async () => {
    const q = createFakeJobQueue();
    let runs = 0;
    q.start({ k: { run: async () => void runs++ } });
    await q.enqueue(noDb, { kind: 'k' });
    q.poke();
    await waitFor('the job', () => q.jobs()[0]?.state === 'done');
    await q.stop();
    assert.equal(runs, 1);
  });
});
