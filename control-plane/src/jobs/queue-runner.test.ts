import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobStore } from './job-store';
import { createQueueRunner } from './queue-runner';
import { waitFor } from './testing/wait-for';

describe('queue runner', () => {
  it('logs a failing claim and keeps polling', async () => {
    const errors: string[] = [];
    let claims = 0;
    const ran: string[] = [];
    const store: JobStore = {
      async claim() {
        claims++;
        if (claims === 1) throw new Error('connection reset');
        if (claims === 2) return [{ id: 'j1', kind: 'k', orgId: null, requestId: null, payload: {}, attempt: 1, maxAttempts: 3, reclaimed: false, giveUpError: null }];
        return [];
      },
      heartbeat: async () => 0,
      complete: async (_w, jobs) => jobs.map((j) => j.id),
      retry: async () => true,
      retryGiveUp: async () => true,
      fail: async () => true,
    };
    const runner = createQueueRunner({
      store,
      enqueue: async () => {},
      enqueueBatched: async () => {},
      logger: { info() {}, warn() {}, error: (_o: unknown, msg?: string) => void errors.push(String(msg)) },
      workerId: 'w',
      pollIntervalMs: 5,
      leaseMs: 1000,
      batchSize: 1,
      concurrency: 1,
      backoff: () => 0,
    });
    runner.start({ k: { run: async (j) => void ran.push(j.id) } });
    await waitFor('the job after the failed claim', () => ran.length === 1);
    await runner.stop();
    assert.deepEqual(errors, ['job queue: claiming jobs failed']);
  });

  it('defers a poke while fewer than half the slots are free, and claims once a finishing job frees them', async () => {
    const wants: number[] = [];
    const release = new Map<string, () => void>();
    let next = 0;
    const job = () => ({ id: `j${++next}`, kind: 'k', orgId: null, requestId: null, payload: {}, attempt: 1, maxAttempts: 3, reclaimed: false, giveUpError: null });
    const store: JobStore = {
      async claim(_w, limit) {
        wants.push(limit);
        // The first claim fills 3 of the 4 slots (no backlog); later ones find one job each.
        return wants.length === 1 ? [job(), job(), job()] : [job()];
      },
      heartbeat: async () => 0,
      complete: async (_w, jobs) => jobs.map((j) => j.id),
      retry: async () => true,
      retryGiveUp: async () => true,
      fail: async () => true,
    };
    const runner = createQueueRunner({
      store,
      enqueue: async () => {},
      enqueueBatched: async () => {},
      logger: { info() {}, warn() {}, error() {} },
      workerId: 'w',
      // Never ticks during the test: only pokes and finishing jobs wake the loop.
      pollIntervalMs: 3_600_000,
      leaseMs: 60_000,
      batchSize: 4,
      concurrency: 4,
      backoff: () => 0,
    });
    runner.start({ k: { run: (j) => new Promise<void>((resolve) => release.set(j.id, resolve)) } });
    await waitFor('three jobs running', () => release.size === 3);
    // One slot of four is free (a refill waits for two): these pokes must not each cost a claim.
    for (let i = 0; i < 3; i++) {
      runner.poke();
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(wants, [4]);
    release.get('j1')!();
    await waitFor('the deferred claim', () => wants.length === 2);
    assert.deepEqual(wants, [4, 2]);
    for (const [id, done] of release) if (id !== 'j1') done();
    await waitFor('the claimed job', () => release.size === 4);
    release.get('j4')!();
    await runner.stop();
  });
});
