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
});
