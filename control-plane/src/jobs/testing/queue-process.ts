/**
 * A worker process for multi-process tests and the expiry benchmark: opens DATABASE_URL, runs a
 * job queue whose handlers write to table `job_runs` (created by the caller), prints one JSON
 * line `{"ready": workerId}` and on SIGTERM stops the queue and closes the database, then exits
 * on its own (so a leftover timer would show up as a process that never exits).
 *
 * Kinds: `record` and `deescalate` log a `done` event; `crashy` logs `started`, hangs when its
 * attempt equals payload.hangOnAttempt (the test kills the process there), else logs `completed`.
 */
import { pino } from 'pino';
import { openDatabase } from '../../db/database';
import { createJobQueue } from '../create-job-queue';
import type { ClaimedJob } from '../job-queue';
import { migrationsDir } from './migrations-dir';

const env = (name: string, fallback?: string) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const workerId = env('WORKER_ID', `worker-${process.pid}`);
const db = await openDatabase({ url: env('DATABASE_URL') }, migrationsDir);
const logger = pino({ level: env('LOG_LEVEL', 'warn') }, pino.destination(2));

const log = (job: ClaimedJob, event: string) => db.prisma.$executeRaw`INSERT INTO job_runs (job_id, worker, event, attempt) VALUES (${job.id}::uuid, ${workerId}, ${event}, ${job.attempt})`;
const record = { run: async (job: ClaimedJob) => void (await log(job, 'done')) };

const queue = createJobQueue({
  prisma: db.prisma,
  logger,
  workerId,
  leaseMs: Number(env('LEASE_MS', '30000')),
  pollIntervalMs: Number(env('POLL_MS', '100')),
  concurrency: Number(env('CONCURRENCY', '10')),
});
queue.start({
  record,
  deescalate: record,
  crashy: {
    run: async (job) => {
      await log(job, 'started');
      if (job.payload.hangOnAttempt === job.attempt) await new Promise(() => {});
      await log(job, 'completed');
    },
  },
});
process.stdout.write(`${JSON.stringify({ ready: workerId })}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await queue.stop();
    await db.close();
  })();
});
