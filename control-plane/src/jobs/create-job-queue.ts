/** The durable job queue on the `Job` table (PGlite or PostgreSQL, through Prisma). */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { toBackoff, type Backoff, type BackoffOptions } from './backoff';
import type { NewJob } from './job-queue';
import { groupCommit } from '../db/group-commit';
import { createJobStore, insertJob, insertJobs, jobInsertCtes, type JobStoreClient } from './job-store';
import { createQueueRunner, type QueueRunner } from './queue-runner';

export interface JobQueueOptions {
  prisma: JobStoreClient;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Written to `lockedBy`; unique per queue instance (default: host, pid and a random suffix). */
  workerId?: string;
  /** How often an idle worker looks for due jobs (default 1000 ms); `poke()` cuts the wait short. */
  pollIntervalMs?: number;
  /** How long a claim holds before another worker may take the job over (default 30 s); renewed every third of it while the handler runs. */
  leaseMs?: number;
  /** Jobs claimed per statement (default: `concurrency`). */
  batchSize?: number;
  /**
   * Handlers running at once in this instance (default 25). Most jobs wait on I/O (the database,
   * Slack, a strategy's API, a sandbox run slot); jobs that run side by side share grouped reads
   * and claims, so a burst of 50 Slack approvals costs a third fewer statements than at 10.
   */
  concurrency?: number;
  /**
   * How `enqueueBatched` groups its inserts (default: one statement in flight, no wait for the
   * turn): on PGlite pass `gatherTurn` (statements block the thread, so only jobs enqueued in the
   * same turn can share one), on PostgreSQL a few statements side by side.
   */
  batchedEnqueue?: { maxInFlight: number; gatherTurn: boolean };
  /** Delay before retry number n (default: 1 s doubling up to 10 min, with jitter). */
  backoff?: Backoff | BackoffOptions;
}

/** Handlers running at once when the caller does not say (`JobQueueOptions.concurrency`). */
export const DEFAULT_CONCURRENCY = 25;

export function createJobQueue(options: JobQueueOptions): QueueRunner {
  const concurrency = positive('concurrency', options.concurrency ?? DEFAULT_CONCURRENCY);
  const { maxInFlight, gatherTurn } = options.batchedEnqueue ?? { maxInFlight: 1, gatherTurn: false };
  const batched = groupCommit(
    async (jobs: NewJob[]) => {
      await insertJobs(options.prisma, jobs);
      return jobs.map(() => undefined);
    },
    { maxBatch: 200, maxInFlight, gatherTurn },
  );
  return createQueueRunner({
    store: createJobStore(options.prisma),
    enqueue: insertJob,
    enqueueBatched: batched,
    insertCtes: jobInsertCtes,
    logger: options.logger,
    workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs ?? 1000),
    leaseMs: positive('leaseMs', options.leaseMs ?? 30_000),
    batchSize: positive('batchSize', options.batchSize ?? concurrency),
    concurrency,
    backoff: toBackoff(options.backoff),
  });
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`job queue: ${name} must be a positive number`);
  return value;
}
