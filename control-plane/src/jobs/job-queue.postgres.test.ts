import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { openDatabase, type Database } from '../db/database';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test-support/throwaway-postgres';
import { createJobQueue } from './create-job-queue';
import { createJobStore } from './job-store';
import { migrationsDir } from './testing/migrations-dir';
import { spawnQueueProcess, type QueueProcess } from './testing/spawn-queue-process';
import { waitFor } from './testing/wait-for';

const server = await startThrowawayPostgres();
const skip = 'skip' in server ? server.skip : false;

describe('job queue on PostgreSQL with several processes', { skip }, () => {
  const pgServer = server as ThrowawayPostgres;
  let db: Database;
  const workers: QueueProcess[] = [];
  before(async () => {
    db = await openDatabase({ url: pgServer.url }, migrationsDir);
    await db.prisma.$executeRawUnsafe(
      'CREATE TABLE job_runs (job_id uuid NOT NULL, worker text NOT NULL, event text NOT NULL, attempt int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())',
    );
  });
  after(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await db?.close();
    await pgServer.close();
  });
  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe('TRUNCATE job_runs, "Job"');
  });
  const spawnWorkers = async (n: number, env: { LEASE_MS?: string; CONCURRENCY?: string } = {}) => {
    const started = await Promise.all(Array.from({ length: n }, (_, i) => spawnQueueProcess({ DATABASE_URL: pgServer.url, WORKER_ID: `w${i + 1}`, POLL_MS: '50', ...env })));
    workers.push(...started);
    return started;
  };
  const count = async (sql: string) => Number((await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]!.n);
  // Enqueues through the queue API, in one transaction like a state change would.
  const enqueue = (jobs: { kind: string; payload?: Record<string, unknown> }[]) => {
    const q = createJobQueue({ prisma: db.prisma, logger: pino({ level: 'silent' }) });
    return db.prisma.$transaction(
      async (tx) => {
        for (const job of jobs) await q.enqueue(tx, job);
      },
      { timeout: 60_000 },
    );
  };

  it('three processes drain 1,000 jobs and every job runs exactly once', async () => {
    const procs = await spawnWorkers(3, { CONCURRENCY: '8' });
    await enqueue(Array.from({ length: 1000 }, (_, i) => ({ kind: 'record', payload: { i } })));
    await waitFor('all 1,000 jobs done', async () => (await count(`SELECT count(*) AS n FROM "Job" WHERE state = 'done'`)) === 1000, 120_000, 100);

    assert.equal(await count('SELECT count(*) AS n FROM job_runs'), 1000, 'one run per job');
    assert.equal(await count('SELECT count(DISTINCT job_id) AS n FROM job_runs'), 1000);
    assert.equal(await count('SELECT count(*) AS n FROM job_runs r JOIN "Job" j ON j.id = r.job_id'), 1000);
    assert.equal(await count(`SELECT count(*) AS n FROM "Job" WHERE attempts <> 1 OR "lockedBy" IS NOT NULL`), 0);
    const perWorker = await db.prisma.$queryRawUnsafe<{ worker: string }[]>('SELECT DISTINCT worker FROM job_runs');
    assert.ok(perWorker.length >= 2, `jobs were shared between processes (${perWorker.map((w) => w.worker).join(', ')})`);

    // Stopped processes exit by themselves: nothing (poll timer, heartbeat, pool) keeps them alive.
    assert.deepEqual(await Promise.all(procs.map((p) => p.stop())), [0, 0, 0]);
  });

  it('coalesce: the waiting job is not claimed until the enqueuing transaction commits; a job claimed first gets a successor', async () => {
    const q = createJobQueue({ prisma: db.prisma, logger: pino({ level: 'silent' }) });
    const store = createJobStore(db.prisma);
    const requestId = '00000000-0000-4000-8000-0000000000c1';
    const sync = { kind: 'slack_sync', requestId, coalesce: true } as const;
    await q.enqueue(db.prisma, sync);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let enqueued!: () => void;
    const inside = new Promise<void>((resolve) => (enqueued = resolve));
    // A state change that coalesces onto the waiting job, still open.
    const tx = db.prisma.$transaction(async (t) => {
      await q.enqueue(t, sync);
      enqueued();
      await held;
    });
    await inside;
    // Claimed now, the job could render the request before the change commits: it is skipped.
    assert.deepEqual(await store.claim('w-test', 10, 30_000), []);
    release();
    await tx;
    const claimed = await store.claim('w-test', 10, 30_000);
    assert.equal(claimed.length, 1);
    assert.equal(await count(`SELECT count(*) AS n FROM "Job"`), 1);
    // The job is running (it may have read the request already): the next change queues another.
    await q.enqueue(db.prisma, sync);
    assert.equal(await count(`SELECT count(*) AS n FROM "Job" WHERE state = 'queued'`), 1);
  });

  it('reruns a job whose process was killed mid-handler once its lease expires; it completes once', async () => {
    const procs = await spawnWorkers(2, { LEASE_MS: '1000' });
    await enqueue([{ kind: 'crashy', payload: { hangOnAttempt: 1 } }]);
    const [started] = await waitFor('the handler to start', () =>
      db.prisma.$queryRawUnsafe<{ worker: string; job_id: string }[]>(`SELECT worker, job_id::text FROM job_runs WHERE event = 'started'`).then((rows) => (rows.length ? rows : null)),
    );
    const victim = procs.find((p) => p.workerId === started!.worker)!;
    const survivor = procs.find((p) => p !== victim)!;
    victim.child.kill('SIGKILL');
    assert.equal(await victim.exited, 'SIGKILL');

    const job = await waitFor(
      'the job to be done',
      async () => {
        const row = await db.prisma.job.findUniqueOrThrow({ where: { id: started!.job_id } });
        return row.state === 'done' ? row : null;
      },
      60_000,
    );
    assert.equal(job.attempts, 2);
    assert.equal(job.lockedBy, null);
    const events = await db.prisma.$queryRawUnsafe<{ worker: string; event: string; attempt: number }[]>('SELECT worker, event, attempt FROM job_runs ORDER BY at');
    assert.deepEqual(events, [
      { worker: victim.workerId, event: 'started', attempt: 1 },
      { worker: survivor.workerId, event: 'started', attempt: 2 },
      { worker: survivor.workerId, event: 'completed', attempt: 2 },
    ]);
    assert.equal(await survivor.stop(), 0);
  });
});
