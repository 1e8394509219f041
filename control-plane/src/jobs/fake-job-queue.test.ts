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
    assert.deepEqual(
      q.jobs().map((j) => [j.payload.name, j.state]),
      [
        ['soon', 'done'],
        ['now', 'done'],
      ],
    );
  });

  it('coalesces like the table: one queued, due job per kind and request', async () => {
    const q = createFakeJobQueue();
    const requestId = '00000000-0000-4000-8000-0000000000c1';
    await q.enqueue(noDb, { kind: 'slack_sync', requestId, coalesce: true });
    await q.enqueue(noDb, { kind: 'slack_sync', requestId, coalesce: true });
    await q.enqueue(noDb, { kind: 'slack_sync', requestId: '00000000-0000-4000-8000-0000000000c2', coalesce: true });
    assert.equal(q.jobs().length, 2);
    assert.equal(await q.runDue({ slack_sync: { run: async () => {} } }), 2);
    await q.enqueue(noDb, { kind: 'slack_sync', requestId, coalesce: true });
    assert.equal(q.jobs().filter((j) => j.requestId === requestId).length, 2);
    // A job never run and due later absorbs a due one and is brought forward.
    const delayed = '00000000-0000-4000-8000-0000000000c3';
    await q.enqueue(noDb, { kind: 'slack_sync', requestId: delayed, coalesce: true, runAt: new Date(Date.now() + 60_000) });
    await q.enqueue(noDb, { kind: 'slack_sync', requestId: delayed, coalesce: true });
    assert.equal(q.jobs().filter((j) => j.requestId === delayed).length, 1);
    assert.equal(await q.runDue({ slack_sync: { run: async () => {} } }), 2);
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

  it('keeps the give-up error in its own column while onGiveUp is retried (any text, even one that looks like the old marker)', async () => {
    const q = createFakeJobQueue();
    const jobError = 'upstream said: [onGiveUp failed: not ours]';
    const seen: Array<{ error: string; giveUpError: string | null; lastError: string | null }> = [];
    await q.enqueue(noDb, { kind: 'escalate', maxAttempts: 1 });
    await q.runDue({
      escalate: {
        run: async () => {
          throw new Error(jobError);
        },
        onGiveUp: async (_j, e) => {
          const [row] = q.jobs();
          seen.push({ error: e.message, giveUpError: row!.giveUpError, lastError: row!.lastError });
          if (seen.length === 1) throw new Error('database busy');
        },
      },
    });
    assert.deepEqual(seen, [
      { error: jobError, giveUpError: null, lastError: null },
      // Second claim: the reason comes from the column, the hook's failure is what lastError shows.
      { error: jobError, giveUpError: jobError, lastError: 'onGiveUp failed: database busy' },
    ]);
    const [job] = q.jobs();
    assert.deepEqual([job!.state, job!.lastError, job!.giveUpError], ['failed', jobError, null]);
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
