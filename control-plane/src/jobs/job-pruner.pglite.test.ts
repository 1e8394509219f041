import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { openDatabase, type Database } from '../db/database';
import { createJobQueue } from './create-job-queue';
import { createJobPruner, type JobPrunerOptions } from './job-pruner';
import { migrationsDir } from './testing/migrations-dir';
import { waitFor } from './testing/wait-for';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const DAY_MS = 86_400_000;

describe('job retention on PGlite', () => {
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

  const pruner = (options: Partial<JobPrunerOptions> = {}) => createJobPruner({ prisma: db.prisma, logger, retentionMs: 7 * DAY_MS, ...options });
  /** Inserts a job as it looks after its life; ages are days before the database's now(). */
  const row = async (state: string, ages: { runAt: number; finishedAt?: number }, dedupeKey: string | null = null) => {
    const id = randomUUID();
    await db.prisma.$executeRaw`
      INSERT INTO "Job" ("id", "kind", "state", "runAt", "finishedAt", "attempts", "updatedAt", "dedupeKey")
      VALUES (${id}::uuid, 'deescalate', ${state}, now() - make_interval(days => ${ages.runAt}::int),
              CASE WHEN ${ages.finishedAt ?? null}::int IS NULL THEN NULL ELSE now() - make_interval(days => ${ages.finishedAt ?? null}::int) END,
              1, now(), ${dedupeKey})`;
    return id;
  };
  const remaining = async () => (await db.prisma.job.findMany({ select: { id: true } })).map((j) => j.id).sort();

  it('deletes only done and failed jobs that finished longer ago than the retention', async () => {
    await row('done', { runAt: 9, finishedAt: 8 });
    await row('failed', { runAt: 20, finishedAt: 8 });
    const kept = [
      await row('done', { runAt: 6, finishedAt: 6 }),
      // Due long ago, retried until an hour ago: its retention counts from when it finished.
      await row('failed', { runAt: 30, finishedAt: 0 }),
      // Never pending or running work, however old its times look.
      await row('queued', { runAt: 30, finishedAt: 30 }),
      await row('running', { runAt: 30 }),
      await row('queued', { runAt: -1 }),
    ];
    assert.equal(await pruner().pruneOnce(), 2);
    assert.deepEqual(await remaining(), [...kept].sort());
    assert.equal(await pruner().pruneOnce(), 0, 'a second round finds nothing');
  });

  it('deletes in bounded batches; a round stops at its limit and the next one goes on', async () => {
    for (let i = 0; i < 25; i++) await row('done', { runAt: 10, finishedAt: 10 });
    const queued = await row('queued', { runAt: 10 });
    const p = pruner({ batchSize: 10, maxBatchesPerRound: 2 });
    assert.equal(await p.pruneOnce(), 20);
    assert.equal(await p.pruneOnce(), 5);
    assert.equal(await p.pruneOnce(), 0);
    assert.deepEqual(await remaining(), [queued]);
  });

  it('prunes jobs the queue finished (done and given up) once they are past the retention', async () => {
    const q = createJobQueue({ prisma: db.prisma, logger, pollIntervalMs: 20, backoff: { baseMs: 1, maxMs: 1 } });
    await q.enqueue(db.prisma, { kind: 'ok', dedupeKey: 'ok:1' });
    await q.enqueue(db.prisma, { kind: 'broken', maxAttempts: 1 });
    await q.enqueue(db.prisma, { kind: 'later', runAt: new Date(Date.now() + 3_600_000) });
    q.start({ ok: { run: async () => {} }, broken: { run: async () => Promise.reject(new Error('no')) }, later: { run: async () => {} } });
    try {
      await waitFor('both due jobs to finish', async () => (await db.prisma.job.count({ where: { state: { in: ['done', 'failed'] } } })) === 2);
    } finally {
      await q.stop();
    }
    assert.equal(await pruner().pruneOnce(), 0, 'just finished: kept');
    // A week and a day pass (moved, not waited for).
    await db.prisma.$executeRaw`UPDATE "Job" SET "runAt" = "runAt" - interval '8 days', "finishedAt" = "finishedAt" - interval '8 days'`;
    assert.equal(await pruner().pruneOnce(), 2);
    const [left] = await db.prisma.job.findMany();
    assert.deepEqual([left?.kind, left?.state], ['later', 'queued']);

    // The dedupeKey went with the row: enqueueing it again makes a new job.
    await q.enqueue(db.prisma, { kind: 'ok', dedupeKey: 'ok:1' });
    assert.equal(await db.prisma.job.count({ where: { dedupeKey: 'ok:1', state: 'queued' } }), 1);
  });

  it('runs a round at start and then every interval, until stopped', async () => {
    await row('done', { runAt: 10, finishedAt: 10 });
    const p = pruner({ intervalMs: 20 });
    p.start();
    try {
      assert.throws(() => p.start(), /already started/);
      await waitFor('the first round', async () => (await db.prisma.job.count()) === 0);
      await row('failed', { runAt: 10, finishedAt: 10 });
      const pending = await row('queued', { runAt: 10 });
      await waitFor('a later round', async () => (await db.prisma.job.count({ where: { state: 'failed' } })) === 0);
      assert.deepEqual(await remaining(), [pending]);
    } finally {
      await p.stop();
    }
  });

  it('refuses a retention, interval or batch size that is not positive', () => {
    for (const bad of [{ retentionMs: 0 }, { intervalMs: -1 }, { batchSize: Number.NaN }, { maxBatchesPerRound: 0 }]) {
      assert.throws(() => pruner(bad), /must be a positive number/, JSON.stringify(bad));
    }
  });
});
