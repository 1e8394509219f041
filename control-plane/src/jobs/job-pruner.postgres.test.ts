import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase, type Database } from '../db/database';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test-support/throwaway-postgres';
import { createJobPruner } from './job-pruner';
import { migrationsDir } from './testing/migrations-dir';

const server = await startThrowawayPostgres();
const skip = 'skip' in server ? server.skip : false;
const logger = pino({ level: 'silent' });
const WEEK_MS = 7 * 86_400_000;

describe('job retention on PostgreSQL with several connections', { skip }, () => {
  const pgServer = server as ThrowawayPostgres;
  let a: Database;
  let b: Database;
  before(async () => {
    a = await openDatabase({ url: pgServer.url }, migrationsDir);
    b = await openDatabase({ url: pgServer.url }, migrationsDir);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await pgServer.close();
  });
  beforeEach(async () => {
    await a.prisma.$executeRawUnsafe('TRUNCATE "Job"');
  });

  /** `n` jobs in `state`, due and (unless queued/running) finished `days` ago. */
  const rows = (n: number, state: string, days: number) =>
    a.prisma.$executeRawUnsafe(
      `INSERT INTO "Job" ("id", "kind", "state", "runAt", "finishedAt", "updatedAt")
       SELECT gen_random_uuid(), 'deescalate', $1, now() - make_interval(days => $2::int),
              CASE WHEN $1 IN ('done', 'failed') THEN now() - make_interval(days => $2::int) END, now()
       FROM generate_series(1, $3::int)`,
      state,
      days,
      n,
    );
  const count = async (where: string) => Number((await a.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "Job" WHERE ${where}`))[0]!.n);

  it('skips finished rows another transaction holds instead of waiting for it, and takes them later', { timeout: 30_000 }, async () => {
    await rows(10, 'done', 8);
    const holder = new pg.Client({ connectionString: pgServer.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      const locked = await holder.query(`SELECT "id" FROM "Job" ORDER BY "id" LIMIT 3 FOR UPDATE`);
      assert.equal(locked.rowCount, 3);
      // Would hang (and time the test out) if the DELETE waited for the lock.
      assert.equal(await createJobPruner({ prisma: b.prisma, logger, retentionMs: WEEK_MS }).pruneOnce(), 7);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    assert.equal(await createJobPruner({ prisma: b.prisma, logger, retentionMs: WEEK_MS }).pruneOnce(), 3);
    assert.equal(await count('true'), 0);
  });

  it('two pruners at once split the old finished rows, and leave queued, running and recent ones', async () => {
    await rows(3000, 'done', 8);
    await rows(1000, 'failed', 30);
    await rows(200, 'done', 1);
    await rows(300, 'queued', 30);
    await rows(100, 'running', 30);
    const options = { logger, retentionMs: WEEK_MS, batchSize: 100, maxBatchesPerRound: 1000 };
    const [x, y] = await Promise.all([createJobPruner({ ...options, prisma: a.prisma }).pruneOnce(), createJobPruner({ ...options, prisma: b.prisma }).pruneOnce()]);
    assert.equal(x + y, 4000, `each row deleted once (${x} + ${y})`);
    assert.equal(await count(`"state" IN ('done', 'failed')`), 200);
    assert.equal(await count(`"state" = 'queued'`), 300);
    assert.equal(await count(`"state" = 'running'`), 100);
  });
});
