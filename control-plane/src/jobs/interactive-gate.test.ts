import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInteractiveGate } from './interactive-gate';
import type { JobStore } from './job-store';
import { createQueueRunner } from './queue-runner';
import { waitFor } from './testing/wait-for';

/** Whether `promise` has settled once pending callbacks have run. */
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('interactive gate', () => {
  it('is quiet at once with nothing in flight, and once the last interactive work has left', async () => {
    const gate = createInteractiveGate({ maxWaitMs: 60_000 });
    assert.equal(await settled(gate.quiet()), true);
    const leaveA = gate.enter();
    const leaveB = gate.enter();
    const quiet = gate.quiet();
    leaveA();
    leaveA(); // leaving twice counts once
    assert.equal(await settled(quiet), false, 'B is still in flight');
    leaveB();
    assert.equal(await settled(quiet), true);
  });

  it('stops waiting after maxWaitMs, so a stream of interactions cannot starve the jobs', async () => {
    const gate = createInteractiveGate({ maxWaitMs: 5 });
    gate.enter(); // never leaves
    await gate.quiet(); // resolves by itself (a hang fails the test by its timeout)
  });

  it('holds the job runner’s next claim until the interaction in flight is answered', async () => {
    const gate = createInteractiveGate({ maxWaitMs: 60_000 });
    let claims = 0;
    const store: JobStore = {
      async claim() {
        claims++;
        return [];
      },
      heartbeat: async () => 0,
      complete: async (_w, jobs) => jobs.map((j) => j.id),
      retry: async () => true,
      retryGiveUp: async () => true,
      fail: async () => true,
    };
    const leave = gate.enter();
    const runner = createQueueRunner({
      store,
      enqueue: async () => {},
      enqueueBatched: async () => {},
      beforeClaim: () => gate.quiet(),
      logger: { info() {}, warn() {}, error() {} },
      workerId: 'w',
      pollIntervalMs: 5,
      leaseMs: 1000,
      batchSize: 1,
      concurrency: 1,
      backoff: () => 0,
    });
    runner.start({});
    runner.poke();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(claims, 0, 'no claim while the interaction is in flight');
    leave();
    await waitFor('a claim once it is answered', () => claims > 0);
    await runner.stop();
  });
});
