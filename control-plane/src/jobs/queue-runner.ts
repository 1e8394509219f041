/**
 * The worker half of the queue, independent of where jobs are stored: a poll loop that claims
 * due jobs up to a concurrency limit, runs their handlers, keeps their leases alive and records
 * the outcome. The Prisma queue and the in-memory fake both run on it, so they behave alike.
 */
import type { Logger } from 'pino';
import { groupCommit } from '../db/group-commit';
import type { Backoff } from './backoff';
import type { ClaimedJob, JobHandlers, JobQueue } from './job-queue';
import type { ClaimedRow, JobStore } from './job-store';

export interface RunnerOptions {
  store: JobStore;
  /** Inserts a job (the store-specific half of `enqueue`). */
  enqueue: JobQueue['enqueue'];
  /** Inserts a job on its own, batched with others (the store-specific half of `enqueueBatched`). */
  enqueueBatched: JobQueue['enqueueBatched'];
  /** The store's SQL for jobs enqueued inside a caller's statement (`JobQueue.insertCtes`). */
  insertCtes?: JobQueue['insertCtes'];
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  workerId: string;
  pollIntervalMs: number;
  leaseMs: number;
  batchSize: number;
  concurrency: number;
  backoff: Backoff;
}

export interface QueueRunner extends JobQueue {
  /** Claims what is due now (up to the free slots), runs it and waits for it; returns how many ran. */
  runOnce(handlers: JobHandlers): Promise<number>;
}

export function createQueueRunner(o: RunnerOptions): QueueRunner {
  let handlers: JobHandlers | null = null;
  let active = false;
  let loop: Promise<void> | null = null;
  const inFlight = new Map<string, { job: ClaimedRow; done: Promise<void> }>();
  // Set when the last claim filled every slot asked for: more is probably due, so a finished job
  // should trigger the next claim instead of waiting for the poll interval.
  let backlog = false;
  // With a backlog, refill once half a batch of slots is free rather than after every job: one
  // claim per finished job would cost a statement per job again.
  const refillAt = Math.max(1, Math.floor(Math.min(o.batchSize, o.concurrency) / 2));
  const canRefill = () => o.concurrency - inFlight.size >= refillAt;
  // Set when a poke or tick came while fewer than `refillAt` slots were free: the claim it asked
  // for waits until a finishing job frees them. Claiming the one or two free slots at every poke
  // cost a claim statement per enqueued job under load (most Slack claims were of 1-3 jobs).
  let deferred = false;
  let heartbeat: NodeJS.Timeout | null = null;

  // Wake-up for the idle wait; a poke that arrives while we are claiming is remembered.
  let wakeUp: (() => void) | null = null;
  let wokenEarly = false;
  const wake = () => {
    if (wakeUp) wakeUp();
    else wokenEarly = true;
  };
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wokenEarly) {
        wokenEarly = false;
        return resolve();
      }
      const finish = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      wakeUp = finish;
    });

  const startHeartbeat = () => {
    if (heartbeat) return;
    // A third of the lease: two beats may be lost (slow database, busy event loop) before it runs out.
    heartbeat = setInterval(
      () => {
        const jobs = [...inFlight.values()].map(({ job }) => ({ id: job.id, attempt: job.attempt }));
        o.store.heartbeat(o.workerId, jobs, o.leaseMs).then(
          (n) => {
            if (n < jobs.length) o.logger.warn({ workerId: o.workerId, held: jobs.length, extended: n }, 'job queue: some leases were lost; those jobs may run again elsewhere');
          },
          (err) => o.logger.error({ err, workerId: o.workerId }, 'job queue: heartbeat failed'),
        );
      },
      Math.max(10, Math.floor(o.leaseMs / 3)),
    );
  };
  const stopHeartbeat = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
  };

  // Group commit: completions that arrive while one UPDATE runs, or in the same event-loop turn,
  // go together in the next one, so a busy worker spends one statement per batch instead of one per
  // job (the turn matters on PGlite, whose statements block this thread).
  const complete = groupCommit(
    async (jobs: ClaimedRow[]) => {
      const done = new Set(await o.store.complete(o.workerId, jobs));
      return jobs.map((job) => done.has(job.id));
    },
    { maxBatch: 500, maxInFlight: 1, gatherTurn: true },
  );

  const settle = async (what: string, job: ClaimedRow, write: Promise<boolean>) => {
    if (!(await write))
      o.logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempt, workerId: o.workerId }, `job queue: lease lost before the job was marked ${what}; another worker owns it now`);
  };

  const giveUp = async (job: ClaimedRow, on: JobHandlers[string], error: Error) => {
    if (on.onGiveUp) {
      try {
        await on.onGiveUp(publicJob(job), error);
      } catch (hookError) {
        // Never drop a give-up: keep the job queued; its next claim (attempt > maxAttempts) goes
        // straight back here without running the handler again.
        o.logger.error({ err: hookError, jobId: job.id, kind: job.kind }, 'job queue: onGiveUp failed; will retry it');
        await settle('for another give-up', job, o.store.retryGiveUp(o.workerId, job, o.backoff(job.attempt), error.message, `onGiveUp failed: ${message(hookError)}`));
        return;
      }
    }
    o.logger.error({ jobId: job.id, kind: job.kind, attempts: job.attempt, error: error.message }, 'job queue: job failed for good');
    await settle('failed', job, o.store.fail(o.workerId, job, error.message));
  };

  const execute = async (job: ClaimedRow, hs: JobHandlers) => {
    const on = Object.hasOwn(hs, job.kind) ? hs[job.kind] : undefined;
    if (!on) {
      o.logger.error({ jobId: job.id, kind: job.kind }, 'job queue: no handler for this kind');
      await settle('failed', job, o.store.fail(o.workerId, job, `no handler registered for job kind "${job.kind}"`));
      return;
    }
    if (job.attempt > job.maxAttempts) {
      // The last allowed attempt never reported back (crash or stall), or its give-up hook failed.
      const reason = job.reclaimed
        ? `the worker running attempt ${job.maxAttempts} of ${job.maxAttempts} stopped before finishing (lease expired)`
        : (job.giveUpError ?? `gave up after ${job.maxAttempts} attempts`);
      await giveUp(job, on, new Error(reason));
      return;
    }
    try {
      await on.run(publicJob(job));
    } catch (err) {
      const error = toError(err);
      if (job.attempt >= job.maxAttempts) return giveUp(job, on, error);
      const delayMs = o.backoff(job.attempt);
      o.logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempt, retryInMs: delayMs, error: error.message }, 'job queue: job failed; will retry');
      await settle('for retry', job, o.store.retry(o.workerId, job, delayMs, error.message));
      return;
    }
    await settle('done', job, complete(job));
  };

  const launch = (job: ClaimedRow, hs: JobHandlers): Promise<void> => {
    const key = `${job.id}#${job.attempt}`;
    const done = execute(job, hs)
      // Failing to record an outcome leaves the lease to expire; the job then runs again.
      .catch((err) => o.logger.error({ err, jobId: job.id, kind: job.kind }, 'job queue: could not record the outcome of a job'))
      .finally(() => {
        inFlight.delete(key);
        if (inFlight.size === 0) stopHeartbeat();
        if ((backlog || deferred) && canRefill()) {
          deferred = false;
          wake();
        }
      });
    inFlight.set(key, { job, done });
    startHeartbeat();
    return done;
  };

  /** One claim round; returns the claimed jobs' completion promises. */
  const claimRound = async (hs: JobHandlers): Promise<Promise<void>[]> => {
    const want = Math.min(o.batchSize, o.concurrency - inFlight.size);
    if (want <= 0) return [];
    const jobs = await o.store.claim(o.workerId, want, o.leaseMs);
    backlog = jobs.length === want;
    return jobs.map((job) => launch(job, hs));
  };

  const pollLoop = async () => {
    while (active) {
      if (!canRefill()) {
        deferred = true;
        await idle(o.pollIntervalMs);
        continue;
      }
      deferred = false;
      try {
        await claimRound(handlers ?? {});
      } catch (err) {
        backlog = false;
        o.logger.error({ err, workerId: o.workerId }, 'job queue: claiming jobs failed');
      }
      if (!active) break;
      if (backlog && canRefill()) continue;
      await idle(o.pollIntervalMs);
    }
  };

  return {
    enqueue: o.enqueue,
    enqueueBatched: o.enqueueBatched,
    ...(o.insertCtes && { insertCtes: o.insertCtes }),
    start(h) {
      if (active) throw new Error('job queue already started');
      handlers = h;
      active = true;
      wokenEarly = false;
      loop = pollLoop();
    },
    async stop({ timeoutMs }: { timeoutMs?: number } = {}) {
      active = false;
      wake();
      await loop;
      loop = null;
      wokenEarly = false;
      const running = Promise.all([...inFlight.values()].map((f) => f.done));
      if (timeoutMs === undefined) await running;
      else {
        let timer: NodeJS.Timeout | undefined;
        const finished = await Promise.race([running.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)))]);
        clearTimeout(timer);
        if (!finished) o.logger.warn({ workerId: o.workerId, abandoned: inFlight.size }, 'job queue: stopped without waiting for running jobs; their leases will expire');
      }
      stopHeartbeat();
    },
    poke() {
      if (active) wake();
    },
    async runOnce(h) {
      const runs = await claimRound(h);
      await Promise.all(runs);
      return runs.length;
    },
  };
}

/** What a handler sees: the job without the runner's bookkeeping. */
function publicJob(job: ClaimedRow): ClaimedJob {
  const { id, kind, orgId, requestId, payload, attempt, maxAttempts, dueAt } = job;
  return { id, kind, orgId, requestId, payload, attempt, maxAttempts, ...(dueAt && { dueAt }) };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(message(value));
}

function message(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
