import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { openDatabase, type Database } from '../db/database';
import { createJobQueue, type JobQueueOptions } from './create-job-queue';
import type { ClaimedJob, JobHandlers } from './job-queue';
import { migrationsDir } from './testing/migrations-dir';
import { gate, waitFor } from './testing/wait-for';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('job queue on PGlite', () => {
  let db: Database;
  before(async () => {
    db = await openDatabase({ memory: true }, migrationsDir);
  });
  after(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.prisma.job.deleteMany();
  });

  const queue = (options: Partial<JobQueueOptions> = {}) => createJobQueue({ prisma: db.prisma, logger, pollIntervalMs: 20, ...options });
  const job = (id: string) => db.prisma.job.findUniqueOrThrow({ where: { id } });
  const onlyJob = async () => {
    const all = await db.prisma.job.findMany();
    assert.equal(all.length, 1);
    return all[0]!;
  };
  const settled = (id: string) => async () => {
    const row = await job(id);
    return row.state === 'done' || row.state === 'failed' ? row : null;
  };

  it('enqueueBatched: jobs enqueued in one turn share one insert; dedupeKeys (in the batch too) and coalesce still hold', async () => {
    let inserts = 0;
    // Counts the statements the queue's own inserts send.
    const counted = new Proxy(db.prisma, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== '$executeRaw' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          inserts++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const q = createJobQueue({ prisma: counted, logger, pollIntervalMs: 20, batchedEnqueue: { maxInFlight: 1, gatherTurn: true } });
    await q.enqueue(db.prisma, { kind: 'slack_decide', dedupeKey: 'taken' });
    const requestId = '00000000-0000-4000-8000-0000000000b1';
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => q.enqueueBatched({ kind: 'slack_decide', dedupeKey: `click:${i}`, payload: { i } })),
      q.enqueueBatched({ kind: 'slack_decide', dedupeKey: 'click:0', payload: { i: 'again' } }),
      q.enqueueBatched({ kind: 'slack_decide', dedupeKey: 'taken', payload: { i: 'taken' } }),
    ]);
    assert.equal(inserts, 1);
    const rows = await db.prisma.job.findMany({ where: { kind: 'slack_decide' } });
    assert.equal(rows.length, 21);
    assert.deepEqual((await db.prisma.job.findFirstOrThrow({ where: { dedupeKey: 'click:0' } })).payload, { i: 0 });
    await Promise.all([q.enqueueBatched({ kind: 'slack_sync', requestId, coalesce: true }), q.enqueueBatched({ kind: 'slack_sync', requestId, coalesce: true })]);
    assert.equal(await db.prisma.job.count({ where: { kind: 'slack_sync' } }), 1);
  });

  it('runs due jobs with their payload and leaves future ones until their runAt', async () => {
    const q = queue();
    const seen: ClaimedJob[] = [];
    await q.enqueue(db.prisma, { kind: 'deescalate', payload: { target: 't1' }, requestId: '00000000-0000-4000-8000-000000000001' });
    await q.enqueue(db.prisma, { kind: 'deescalate', payload: { target: 'later' }, runAt: new Date(Date.now() + 3_600_000) });
    const [now, later] = await db.prisma.job.findMany({ orderBy: { runAt: 'asc' } });
    q.start({ deescalate: { run: async (j) => void seen.push(j) } });
    try {
      const done = await waitFor('the due job', settled(now!.id));
      assert.equal(done.state, 'done');
      assert.ok(done.finishedAt);
      assert.equal(done.lockedBy, null);
      assert.deepEqual(seen, [
        { id: now!.id, kind: 'deescalate', orgId: null, requestId: '00000000-0000-4000-8000-000000000001', payload: { target: 't1' }, attempt: 1, maxAttempts: 10, dueAt: now!.runAt },
      ]);
      const waiting = await job(later!.id);
      assert.equal(waiting.state, 'queued');
      assert.equal(waiting.attempts, 0);

      // Once its time has come (moved, not waited for), the same worker picks it up.
      await db.prisma.job.update({ where: { id: later!.id }, data: { runAt: new Date(Date.now() - 1000) } });
      q.poke();
      assert.equal((await waitFor('the second job', settled(later!.id))).state, 'done');
      assert.deepEqual(
        seen.map((j) => j.payload.target),
        ['t1', 'later'],
      );
    } finally {
      await q.stop();
    }
  });

  it('treats a repeated dedupeKey as a no-op, before and after the job ran', async () => {
    const q = queue();
    let runs = 0;
    await q.enqueue(db.prisma, { kind: 'expire_pending', dedupeKey: 'expire:r1', payload: { n: 1 } });
    await q.enqueue(db.prisma, { kind: 'expire_pending', dedupeKey: 'expire:r1', payload: { n: 2 } });
    const first = await onlyJob();
    assert.deepEqual(first.payload, { n: 1 });
    q.start({ expire_pending: { run: async () => void runs++ } });
    try {
      await waitFor('the job', settled(first.id));
      await q.enqueue(db.prisma, { kind: 'expire_pending', dedupeKey: 'expire:r1' });
      assert.equal((await onlyJob()).state, 'done');
      assert.equal(runs, 1);
    } finally {
      await q.stop();
    }
  });

  it('coalesce: one waiting job per kind and request; a claimed or future one does not absorb a new one', async () => {
    // One slot: while the first job is held, nothing else is claimed.
    const q = queue({ concurrency: 1 });
    const r1 = '00000000-0000-4000-8000-0000000000c1';
    const r2 = '00000000-0000-4000-8000-0000000000c2';
    const rows = (requestId: string) => db.prisma.job.findMany({ where: { requestId }, orderBy: { createdAt: 'asc' } });
    await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r1, coalesce: true });
    await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r1, coalesce: true });
    await q.enqueue(db.prisma, { kind: 'other', requestId: r1, coalesce: true });
    await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r2, coalesce: true });
    assert.deepEqual((await rows(r1)).map((j) => j.kind).sort(), ['other', 'slack_sync']);
    assert.equal((await rows(r2)).length, 1);
    await db.prisma.job.deleteMany({ where: { NOT: { requestId: r1, kind: 'slack_sync' } } });

    // Once claimed, the job may already have read the request: the next change needs a job of its own.
    const hold = gate();
    const started = gate();
    q.start({ slack_sync: { run: async () => (started.open(), hold.promise) } });
    try {
      await started.promise;
      await waitFor('the claim', async () => (await rows(r1)).some((j) => j.kind === 'slack_sync' && j.state === 'running'));
      await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r1, coalesce: true, runAt: new Date(Date.now() + 3_600_000) });
      // A retry waiting out its backoff would hold the change back (and must keep its backoff): a due one is added.
      await db.prisma.job.updateMany({ where: { requestId: r1, state: 'queued' }, data: { attempts: 1 } });
      await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r1, coalesce: true });
      await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r1, coalesce: true });
      const syncs = (await rows(r1)).filter((j) => j.kind === 'slack_sync');
      assert.deepEqual(syncs.map((j) => `${j.state}${j.runAt.getTime() > Date.now() ? ' later' : ''}`).sort(), ['queued', 'queued later', 'running']);
    } finally {
      hold.open();
      await q.stop();
    }
    await assert.rejects(q.enqueue(db.prisma, { kind: 'slack_sync', coalesce: true }), /needs a requestId/);
  });

  // A step with due work of its own delays its sync (slack-lifecycle.ts): the next step's sync joins
  // that waiting job and brings it forward instead of adding a second one.
  it('coalesce: a job never run and due later absorbs a new one and is brought forward to its runAt', async () => {
    const q = queue({ concurrency: 1 });
    const r = '00000000-0000-4000-8000-0000000000c3';
    const later = new Date(Date.now() + 3_600_000);
    await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r, coalesce: true, runAt: later });
    // A later runAt does not push the waiting job back.
    await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r, coalesce: true, runAt: new Date(later.getTime() + 60_000) });
    let syncs = await db.prisma.job.findMany({ where: { requestId: r } });
    assert.equal(syncs.length, 1);
    assert.equal(syncs[0]!.runAt.getTime(), later.getTime());
    await q.enqueue(db.prisma, { kind: 'slack_sync', requestId: r, coalesce: true });
    syncs = await db.prisma.job.findMany({ where: { requestId: r } });
    assert.equal(syncs.length, 1);
    assert.ok(syncs[0]!.runAt.getTime() <= Date.now(), 'brought forward: due now');
    assert.equal(await q.runOnce({ slack_sync: { run: async () => {} } }), 1);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const delays: number[] = [];
    const q = queue({ backoff: (attempt) => (delays.push(attempt), 10) });
    const attempts: number[] = [];
    await q.enqueue(db.prisma, { kind: 'escalate' });
    const { id } = await onlyJob();
    q.start({
      escalate: {
        run: async (j) => {
          attempts.push(j.attempt);
          if (j.attempt < 3) throw new Error(`strategy unavailable (attempt ${j.attempt})`);
        },
      },
    });
    try {
      const row = await waitFor('the job to succeed', settled(id));
      assert.equal(row.state, 'done');
      assert.equal(row.attempts, 3);
      assert.equal(row.lastError, 'strategy unavailable (attempt 2)', 'the last failure stays visible');
      assert.deepEqual(attempts, [1, 2, 3]);
      assert.deepEqual(delays, [1, 2], 'backoff asked for after each failed attempt');
    } finally {
      await q.stop();
    }
  });

  it('moves a failed retry to runAt = now + backoff', async () => {
    const q = queue({ backoff: () => 3_600_000 });
    await q.enqueue(db.prisma, { kind: 'escalate' });
    const { id } = await onlyJob();
    const before = Date.now();
    assert.equal(
      await q.runOnce({
        escalate: {
          run: async () => {
            throw new Error('nope');
          },
        },
      }),
      1,
    );
    const row = await job(id);
    assert.equal(row.state, 'queued');
    assert.equal(row.lockedBy, null);
    assert.ok(row.runAt.getTime() >= before + 3_500_000, `runAt ${row.runAt.toISOString()} is about an hour ahead`);
    assert.equal(await q.runOnce({ escalate: { run: async () => {} } }), 0, 'not due yet');
  });

  it('gives up after maxAttempts: the row stays failed with lastError and onGiveUp is called once', async () => {
    const q = queue({ backoff: () => 5 });
    const gaveUp: { job: ClaimedJob; error: string }[] = [];
    await q.enqueue(db.prisma, { kind: 'deescalate', maxAttempts: 3 });
    const { id } = await onlyJob();
    q.start({
      deescalate: {
        run: async (j) => {
          throw new Error(`revoke failed on attempt ${j.attempt}: ${'x'.repeat(5000)}`);
        },
        onGiveUp: async (j, error) => void gaveUp.push({ job: j, error: error.message }),
      },
    });
    try {
      const row = await waitFor('the job to fail', settled(id));
      assert.equal(row.state, 'failed');
      assert.equal(row.attempts, 3);
      assert.ok(row.finishedAt);
      assert.match(row.lastError!, /^revoke failed on attempt 3: x+…$/);
      assert.ok(row.lastError!.length <= 2000, 'lastError is trimmed');
      await waitFor('onGiveUp', () => gaveUp.length === 1);
      assert.equal(gaveUp[0]!.job.id, id);
      assert.equal(gaveUp[0]!.job.attempt, 3);
      assert.match(gaveUp[0]!.error, /^revoke failed on attempt 3/);
    } finally {
      await q.stop();
    }
  });

  it('keeps retrying the give-up while onGiveUp fails, without rerunning the handler', async () => {
    const q = queue({ backoff: () => 5 });
    let runs = 0;
    let hookCalls = 0;
    const hookErrors: string[] = [];
    await q.enqueue(db.prisma, { kind: 'deescalate', maxAttempts: 1 });
    const { id } = await onlyJob();
    q.start({
      deescalate: {
        run: async () => {
          runs++;
          throw new Error('revoke failed');
        },
        onGiveUp: async (_job, error) => {
          hookErrors.push(error.message);
          if (++hookCalls < 3) throw new Error('database busy');
        },
      },
    });
    try {
      const row = await waitFor('the job to fail', settled(id));
      assert.equal(row.state, 'failed');
      assert.equal(row.lastError, 'revoke failed', 'the job error, without the hook failures');
      assert.equal(runs, 1);
      assert.equal(hookCalls, 3);
      assert.deepEqual(hookErrors, ['revoke failed', 'revoke failed', 'revoke failed']);
    } finally {
      await q.stop();
    }
  });

  it('keeps the give-up error in the giveUpError column while onGiveUp is retried, and clears it once failed', async () => {
    const q = queue({ backoff: () => 5 });
    const jobError = 'upstream said: [onGiveUp failed: not ours]';
    await q.enqueue(db.prisma, { kind: 'deescalate', maxAttempts: 1 });
    const { id } = await onlyJob();
    const seen: Array<{ error: string; giveUpError: string | null; lastError: string | null }> = [];
    q.start({
      deescalate: {
        run: async () => {
          throw new Error(jobError);
        },
        onGiveUp: async (_job, error) => {
          const row = await job(id);
          seen.push({ error: error.message, giveUpError: row.giveUpError, lastError: row.lastError });
          if (seen.length === 1) throw new Error('database busy');
        },
      },
    });
    try {
      const row = await waitFor('the job to fail', settled(id));
      assert.deepEqual(seen, [
        { error: jobError, giveUpError: null, lastError: null },
        { error: jobError, giveUpError: jobError, lastError: 'onGiveUp failed: database busy' },
      ]);
      assert.deepEqual([row.state, row.lastError, row.giveUpError], ['failed', jobError, null]);
    } finally {
      await q.stop();
    }
  });

  it('fails a job of an unknown kind with a clear lastError', async () => {
    const q = queue();
    await q.enqueue(db.prisma, { kind: 'no_such_kind' });
    const { id } = await onlyJob();
    q.start({});
    try {
      const row = await waitFor('the job to fail', settled(id));
      assert.equal(row.state, 'failed');
      assert.equal(row.lastError, 'no handler registered for job kind "no_such_kind"');
    } finally {
      await q.stop();
    }
  });

  it('enqueues inside the caller transaction: a rollback leaves no job, a commit keeps it', async () => {
    const q = queue();
    await assert.rejects(
      db.prisma.$transaction(async (tx) => {
        await q.enqueue(tx, { kind: 'escalate', dedupeKey: 'escalate:r1' });
        assert.equal(await tx.job.count(), 1, 'visible inside the transaction');
        throw new Error('state change failed');
      }),
      /state change failed/,
    );
    assert.equal(await db.prisma.job.count(), 0);
    await db.prisma.$transaction(async (tx) => {
      await q.enqueue(tx, { kind: 'escalate', dedupeKey: 'escalate:r1' });
    });
    assert.equal((await onlyJob()).dedupeKey, 'escalate:r1');
  });

  it('stop() stops claiming and waits for the running handler to finish', async () => {
    const q = queue();
    const release = gate();
    const started: string[] = [];
    await q.enqueue(db.prisma, { kind: 'slow' });
    const { id } = await onlyJob();
    q.start({
      slow: {
        run: async (j) => {
          started.push(j.id);
          await release.promise;
        },
      },
    });
    await waitFor('the handler to start', () => started.length === 1);
    let stopped = false;
    const stopping = q.stop().then(() => (stopped = true));
    await q.enqueue(db.prisma, { kind: 'slow', payload: { second: true } });
    q.poke();
    // Give the stopped loop every chance to claim the second job or to resolve early.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, 'stop() waits for the running handler');
    release.open();
    await stopping;
    assert.equal((await job(id)).state, 'done', 'its completion was recorded before stop() resolved');
    assert.deepEqual(started, [id], 'nothing new was claimed after stop()');
    assert.equal(await db.prisma.job.count({ where: { state: 'queued' } }), 1);
  });

  it('stop({ timeoutMs }) gives up waiting for a hung handler and leaves its job to lease expiry', async () => {
    const q = queue({ workerId: 'stuck' });
    const release = gate();
    let started = false;
    await q.enqueue(db.prisma, { kind: 'hang' });
    const { id } = await onlyJob();
    q.start({
      hang: {
        run: async () => {
          started = true;
          await release.promise;
        },
      },
    });
    await waitFor('the handler to start', () => started);
    await q.stop({ timeoutMs: 20 });
    const row = await job(id);
    assert.equal(row.state, 'running');
    assert.equal(row.lockedBy, 'stuck');
    release.open();
  });

  it('extends the lease while the handler runs', async () => {
    const q = queue({ leaseMs: 300 });
    const release = gate();
    await q.enqueue(db.prisma, { kind: 'slow' });
    const { id } = await onlyJob();
    q.start({ slow: { run: () => release.promise } });
    try {
      const first = await waitFor('the claim', async () => (await job(id)).lockedUntil);
      await waitFor('a heartbeat to move lockedUntil', async () => ((await job(id)).lockedUntil?.getTime() ?? 0) > first.getTime());
      assert.equal((await job(id)).attempts, 1, 'not re-claimed');
    } finally {
      release.open();
      await q.stop();
    }
  });

  it('applies completion only while this worker still owns the job', async () => {
    const a = queue({ workerId: 'worker-a' });
    const b = queue({ workerId: 'worker-b' });
    const release = gate();
    const runs: string[] = [];
    await a.enqueue(db.prisma, { kind: 'slow' });
    const { id } = await onlyJob();
    const running = a.runOnce({
      slow: {
        run: async () => {
          runs.push('a');
          await release.promise;
        },
      },
    });
    await waitFor('worker a to run the job', () => runs.includes('a'));
    // Worker a stalls past its lease (simulated by moving the lease into the past); b takes over.
    await db.prisma.job.update({ where: { id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    assert.equal(await b.runOnce({ slow: { run: async () => void runs.push('b') } }), 1);
    let row = await job(id);
    assert.equal(row.state, 'done');
    assert.equal(row.attempts, 2);
    release.open();
    await running;
    row = await job(id);
    assert.equal(row.state, 'done');
    assert.equal(row.attempts, 2, "a's late completion changed nothing");
    assert.deepEqual(runs.sort(), ['a', 'b']);
  });

  it('gives up a job whose last attempt lost its lease (crash on the last attempt)', async () => {
    const q = queue({ workerId: 'w' });
    const errors: string[] = [];
    await q.enqueue(db.prisma, { kind: 'deescalate', maxAttempts: 1 });
    const { id } = await onlyJob();
    // A worker that claimed it and died: running, lease expired, attempts used up.
    await db.prisma.job.update({ where: { id }, data: { state: 'running', attempts: 1, lockedBy: 'dead', lockedUntil: new Date(Date.now() - 1000) } });
    let ran = false;
    const handlers: JobHandlers = { deescalate: { run: async () => void (ran = true), onGiveUp: async (_j, e) => void errors.push(e.message) } };
    assert.equal(await q.runOnce(handlers), 1);
    const row = await job(id);
    assert.equal(row.state, 'failed');
    assert.equal(ran, false);
    assert.match(row.lastError!, /stopped before finishing \(lease expired\)/);
    assert.equal(errors.length, 1);
  });
});
