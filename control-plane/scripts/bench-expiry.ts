/**
 * Work half of `pnpm bench`'s expiry row (bench/src/bench-expiry.ts runs it): 10,000 `deescalate`
 * jobs due within a few seconds of each other, run by two queue processes on a throwaway
 * PostgreSQL (`postgres`) or one queue on file-backed PGlite (`pglite`). Prints one JSON line with
 * the lag (job marked done − runAt, both by the database clock) and how many jobs ran twice.
 *
 * The handler records its run in table `job_runs`; the request lifecycle is not driven here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openDatabase, type Database } from '../src/db/database';
import { createJobQueue } from '../src/jobs';
import { migrationsDir } from '../src/jobs/testing/migrations-dir';
import { spawnQueueProcess, type QueueProcess } from '../src/jobs/testing/spawn-queue-process';
import { startThrowawayPostgres } from '../src/test-support/throwaway-postgres';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    jobs: { type: 'string', default: '10000' },
    'lead-ms': { type: 'string', default: '3000' },
    'spread-ms': { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
  },
});
const mode = positionals[0];
if (mode !== 'postgres' && mode !== 'pglite') throw new Error('usage: bench-expiry.ts postgres|pglite');
const jobs = Number(values.jobs);
const leadMs = Number(values['lead-ms']);
const spreadMs = Number(values['spread-ms']);
const concurrency = values.concurrency!;
const progress = (message: string) => process.stderr.write(`[bench] expiry (${mode}): ${message}\n`);
const silent = pino({ level: 'warn' }, pino.destination(2));

const cleanups: (() => Promise<void>)[] = [];
try {
  let db: Database;
  let url = '';
  if (mode === 'postgres') {
    const server = await startThrowawayPostgres();
    if ('skip' in server) {
      process.stdout.write(`${JSON.stringify({ skipped: server.skip })}\n`);
      process.exit(0);
    }
    cleanups.unshift(() => server.close());
    url = server.url;
    db = await openDatabase({ url }, migrationsDir);
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'opensym-bench-expiry-'));
    cleanups.unshift(async () => rmSync(dir, { recursive: true, force: true }));
    db = await openDatabase({ dataDir: dir }, migrationsDir);
  }
  cleanups.unshift(() => db.close());
  await db.prisma.$executeRawUnsafe('CREATE TABLE job_runs (job_id uuid NOT NULL, worker text NOT NULL, event text NOT NULL, attempt int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())');

  // Workers first, so they are polling when the first job falls due.
  let workers: QueueProcess[] = [];
  let local: ReturnType<typeof createJobQueue> | null = null;
  if (mode === 'postgres') {
    workers = await Promise.all(['bench-1', 'bench-2'].map((id) => spawnQueueProcess({ DATABASE_URL: url, WORKER_ID: id, CONCURRENCY: concurrency })));
    cleanups.unshift(async () => void (await Promise.all(workers.map((w) => w.stop()))));
  } else {
    const queue = createJobQueue({ prisma: db.prisma, logger: silent, workerId: 'bench-1', concurrency: Number(concurrency) });
    const record = async (job: { id: string; attempt: number }) =>
      void (await db.prisma.$executeRaw`INSERT INTO job_runs (job_id, worker, event, attempt) VALUES (${job.id}::uuid, 'bench-1', 'done', ${job.attempt})`);
    queue.start({ deescalate: { run: record } });
    local = queue;
    cleanups.unshift(() => queue.stop());
  }

  // Enqueue (through the queue API) far in the future, then make them all fall due in one window
  // with a single UPDATE: enqueueing 10,000 jobs takes longer than the window on a slow machine.
  const enqueueStart = Date.now();
  const queue = local ?? createJobQueue({ prisma: db.prisma, logger: silent });
  const parked = Date.now() + 86_400_000;
  for (let i = 0; i < jobs; i += 500) {
    await db.prisma.$transaction(
      async (tx) => {
        for (let j = i; j < Math.min(jobs, i + 500); j++) {
          await queue.enqueue(tx, { kind: 'deescalate', payload: { grant: j }, runAt: new Date(parked), dedupeKey: `deescalate:${j}` });
        }
      },
      { timeout: 120_000 },
    );
  }
  const enqueueMs = Date.now() - enqueueStart;
  await db.prisma.$executeRawUnsafe(`UPDATE "Job" SET "runAt" = now() + make_interval(secs => ($1::float8 + ("payload"->>'grant')::float8 * $2::float8 / $3::float8) / 1000)`, leadMs, spreadMs, jobs);
  progress(`enqueued ${jobs} jobs in ${enqueueMs} ms; due from ${leadMs} ms to ${leadMs + spreadMs} ms from now`);
  const firstDue = Date.now() + leadMs;

  const deadline = firstDue + spreadMs + 300_000;
  for (;;) {
    const [{ n }] = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "Job" WHERE state IN ('done', 'failed')`);
    if (Number(n) === jobs || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const [lag] = await db.prisma.$queryRawUnsafe<{ p50: number; p99: number; max: number; done: bigint; failed: bigint }[]>(`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max,
           count(*) FILTER (WHERE state = 'done') AS done, count(*) FILTER (WHERE state = 'failed') AS failed
    FROM (SELECT state, extract(epoch FROM ("finishedAt" - "runAt")) * 1000 AS ms FROM "Job") t`);
  const [runs] = await db.prisma.$queryRawUnsafe<{ runs: bigint; distinct_jobs: bigint }[]>(`SELECT count(*) AS runs, count(DISTINCT job_id) AS distinct_jobs FROM job_runs`);
  const result = {
    mode,
    instances: mode === 'postgres' ? 2 : 1,
    jobs,
    concurrency: Number(concurrency),
    enqueueMs,
    done: Number(lag!.done),
    failed: Number(lag!.failed),
    p50Ms: Number(lag!.p50),
    p99Ms: Number(lag!.p99),
    maxMs: Number(lag!.max),
    duplicates: Number(runs!.runs) - Number(runs!.distinct_jobs),
    handler: 'records completion in a table; request lifecycle not driven',
    // Other work on the machine moves these numbers; say how busy it was.
    loadAverage: Number(os.loadavg()[0]!.toFixed(1)),
  };
  progress(JSON.stringify(result));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  for (const cleanup of cleanups) await cleanup().catch((err) => progress(`clean-up failed: ${err}`));
}
