/**
 * In-memory job queue for other features' unit tests. It runs on the same runner as the real
 * queue (claims, leases, retries with backoff, give-up, dedupeKey, runAt), with a clock the test
 * may control. It cannot join a database transaction: `enqueue` ignores `db` and inserts at once.
 */
import { randomUUID } from 'node:crypto';
import { toBackoff, type Backoff, type BackoffOptions } from './backoff';
import type { JobHandlers, JobQueue, NewJob } from './job-queue';
import { trimError, type ClaimedRow, type JobStore } from './job-store';
import { checkNewJob } from './new-job';
import { createQueueRunner } from './queue-runner';

/** A job as the fake stores it (the columns of table `Job` that matter to tests). */
export interface FakeJobRow {
  id: string;
  kind: string;
  orgId: string | null;
  requestId: string | null;
  payload: Record<string, unknown>;
  dedupeKey: string | null;
  state: 'queued' | 'running' | 'done' | 'failed';
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  /** As the `giveUpError` column: the error a job gives up with while its onGiveUp is retried. */
  giveUpError: string | null;
  finishedAt: Date | null;
}

export interface FakeJobQueueOptions {
  /** The clock deciding due-ness, leases and backoff (default: the real one). */
  now?: () => Date;
  /** Default: no delay, so retries are due at once. */
  backoff?: Backoff | BackoffOptions;
  pollIntervalMs?: number;
  leaseMs?: number;
  concurrency?: number;
}

export interface FakeJobQueue extends JobQueue {
  /** Copies of every job, in insertion order. */
  jobs(): FakeJobRow[];
  /**
   * Runs due jobs until none is due (retries that become due at once included) and waits for them;
   * uses the handlers given to `start` unless others are passed. Returns how many runs happened.
   */
  runDue(handlers?: JobHandlers): Promise<number>;
}

export function createFakeJobQueue(options: FakeJobQueueOptions = {}): FakeJobQueue {
  const now = options.now ?? (() => new Date());
  const rows: FakeJobRow[] = [];
  const store = createMemoryStore(rows, now);
  let started: JobHandlers | null = null;
  const silent = { info() {}, warn() {}, error() {} };
  const runner = createQueueRunner({
    store,
    enqueue: async (_db, job) => store.insert(job),
    enqueueBatched: async (job) => store.insert(job),
    logger: silent,
    workerId: 'fake-worker',
    pollIntervalMs: options.pollIntervalMs ?? 10,
    leaseMs: options.leaseMs ?? 30_000,
    batchSize: options.concurrency ?? 10,
    concurrency: options.concurrency ?? 10,
    backoff: options.backoff === undefined ? () => 0 : toBackoff(options.backoff),
  });
  return {
    enqueue: runner.enqueue,
    enqueueBatched: runner.enqueueBatched,
    poke: runner.poke,
    stop: runner.stop,
    start(handlers) {
      started = handlers;
      runner.start(handlers);
    },
    jobs: () => rows.map((r) => ({ ...r, payload: structuredClone(r.payload) })),
    async runDue(handlers) {
      const use = handlers ?? started;
      if (!use) throw new Error('runDue needs handlers (pass them or call start first)');
      let total = 0;
      for (let n = await runner.runOnce(use); n > 0; n = await runner.runOnce(use)) total += n;
      return total;
    },
  };
}

function createMemoryStore(rows: FakeJobRow[], now: () => Date): JobStore & { insert(job: NewJob): void } {
  const later = (ms: number) => new Date(now().getTime() + ms);
  const find = (workerId: string, job: ClaimedRow) => rows.find((r) => r.id === job.id && r.state === 'running' && r.lockedBy === workerId && r.attempts === job.attempt);
  const release = (row: FakeJobRow) => {
    row.lockedBy = null;
    row.lockedUntil = null;
  };
  return {
    insert(job) {
      const { maxAttempts } = checkNewJob(job);
      if (job.dedupeKey !== undefined && rows.some((r) => r.dedupeKey === job.dedupeKey)) return;
      // As the SQL store's joinWaiting: a due job, or one never run (brought forward); not a retry in backoff.
      const waiting = job.coalesce && rows.find((r) => r.kind === job.kind && r.requestId === job.requestId && r.state === 'queued' && (r.runAt <= now() || r.attempts === 0));
      if (waiting) {
        const runAt = job.runAt ? new Date(job.runAt) : now();
        if (runAt < waiting.runAt) waiting.runAt = runAt;
        return;
      }
      rows.push({
        id: randomUUID(),
        kind: job.kind,
        orgId: job.orgId ?? null,
        requestId: job.requestId ?? null,
        // As jsonb would: plain data only, dates become strings.
        payload: JSON.parse(JSON.stringify(job.payload ?? {})),
        dedupeKey: job.dedupeKey ?? null,
        state: 'queued',
        runAt: job.runAt ? new Date(job.runAt) : now(),
        attempts: 0,
        maxAttempts,
        lockedBy: null,
        lockedUntil: null,
        lastError: null,
        giveUpError: null,
        finishedAt: null,
      });
    },
    async claim(workerId, limit, leaseMs) {
      const t = now().getTime();
      const due = rows
        .filter((r) => (r.state === 'queued' && r.runAt.getTime() <= t) || (r.state === 'running' && r.lockedUntil!.getTime() < t))
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime())
        .slice(0, limit);
      return due.map((r) => {
        const reclaimed = r.state === 'running';
        Object.assign(r, { state: 'running', lockedBy: workerId, lockedUntil: later(leaseMs), attempts: r.attempts + 1 });
        return {
          id: r.id,
          kind: r.kind,
          orgId: r.orgId,
          requestId: r.requestId,
          payload: structuredClone(r.payload),
          attempt: r.attempts,
          maxAttempts: r.maxAttempts,
          reclaimed,
          giveUpError: r.giveUpError,
          dueAt: new Date(r.runAt),
        };
      });
    },
    async heartbeat(workerId, jobs, leaseMs) {
      let n = 0;
      for (const j of jobs) {
        const row = rows.find((r) => r.id === j.id && r.state === 'running' && r.lockedBy === workerId && r.attempts === j.attempt);
        if (row) {
          row.lockedUntil = later(leaseMs);
          n++;
        }
      }
      return n;
    },
    async complete(workerId, jobs) {
      const ids: string[] = [];
      for (const job of jobs) {
        const row = find(workerId, job);
        if (!row) continue;
        Object.assign(row, { state: 'done', finishedAt: now() });
        release(row);
        ids.push(row.id);
      }
      return ids;
    },
    async retry(workerId, job, delayMs, error) {
      const row = find(workerId, job);
      if (!row) return false;
      Object.assign(row, { state: 'queued', runAt: later(delayMs), lastError: trimError(error) });
      release(row);
      return true;
    },
    async retryGiveUp(workerId, job, delayMs, giveUpError, hookError) {
      const row = find(workerId, job);
      if (!row) return false;
      Object.assign(row, { state: 'queued', runAt: later(delayMs), giveUpError: trimError(giveUpError), lastError: trimError(hookError) });
      release(row);
      return true;
    },
    async fail(workerId, job, error) {
      const row = find(workerId, job);
      if (!row) return false;
      Object.assign(row, { state: 'failed', finishedAt: now(), lastError: trimError(error), giveUpError: null });
      release(row);
      return true;
    },
  };
}
