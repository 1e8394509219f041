/**
 * Contract of the durable job queue (implemented in this folder). Jobs are rows of table `Job`:
 * enqueued in the same transaction as the state change that needs them, claimed with
 * `FOR UPDATE SKIP LOCKED` plus a lease, retried with backoff, and never dropped.
 */
import type { Prisma } from '../generated/prisma/client';

/** A Prisma client or an interactive transaction client: enqueue joins the caller's transaction. */
export type JobDb = Prisma.TransactionClient;

/** What to run later. */
export interface NewJob {
  /** Handler name, e.g. `escalate`, `deescalate`, `expire_pending`. */
  kind: string;
  orgId?: string | null;
  requestId?: string | null;
  payload?: Record<string, unknown>;
  /** Earliest start; default now. */
  runAt?: Date;
  /** At most one job with this key exists: enqueueing it again is a no-op, until the finished job is pruned (retention). */
  dedupeKey?: string;
  /** Attempts before the job is marked failed (default 10); failures before that are retried. */
  maxAttempts?: number;
  /**
   * At most one waiting job of this kind per request: while one is queued and unclaimed (due, or
   * never run and due later: then it is brought forward to this job's `runAt`), this enqueue is a
   * no-op. A retry waiting out its backoff absorbs nothing. That job cannot be claimed before the caller's transaction ends (the
   * enqueue locks it), so it runs after this change and sees it. For jobs that act on the request's
   * current state (`slack_sync` re-renders it), never for jobs whose payload differs. Needs `requestId`.
   */
  coalesce?: boolean;
}

/** A claimed job as a handler sees it. */
export interface ClaimedJob {
  id: string;
  kind: string;
  orgId: string | null;
  requestId: string | null;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** When the job became due (its `runAt`); the job-lag metric is the time from this to the claim. */
  dueAt?: Date;
}

/**
 * Runs one job. Resolve: done. Throw: retried with backoff until maxAttempts, then failed
 * (`onGiveUp` is called so the owner can record the failure state).
 */
export type JobHandler = (job: ClaimedJob) => Promise<void>;

export interface JobHandlers {
  [kind: string]: { run: JobHandler; onGiveUp?: (job: ClaimedJob, error: Error) => Promise<void> };
}

export interface JobQueue {
  /** Adds a job inside `db` (pass the transaction client to enqueue atomically with a state change). */
  enqueue(db: JobDb, job: NewJob): Promise<void>;
  /**
   * Adds a job on its own (no caller transaction), in one statement with the other jobs enqueued
   * this way at the same moment; resolves once it is committed. For many callers at once, such as
   * Slack acks, where one statement per job would queue them behind each other.
   */
  enqueueBatched(job: NewJob): Promise<void>;
  /**
   * The SQL that enqueues `jobs` as CTEs of the caller's own statement, applied when `when` holds
   * (`jobInsertCtes`); absent on queues that keep no table (the fake queue).
   */
  insertCtes?(jobs: readonly NewJob[], when: Prisma.Sql): Prisma.Sql[];
  /** Starts polling and running jobs with these handlers. */
  start(handlers: JobHandlers): void;
  /**
   * Stops claiming, waits for running jobs to finish (leases of unfinished ones expire and are retried).
   * With `timeoutMs`, stops waiting after that long: the leases of handlers still running are no
   * longer renewed, so other workers take those jobs over once the leases run out.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Wakes the poller now (after an enqueue whose runAt is due), instead of at the next tick. */
  poke(): void;
}
