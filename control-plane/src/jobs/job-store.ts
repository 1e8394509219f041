/**
 * SQL for the `Job` table. Raw statements because Prisma's query API has no `ON CONFLICT DO
 * NOTHING`, `FOR UPDATE SKIP LOCKED` or `UPDATE ... RETURNING` over a locked subquery. Times that
 * decide due-ness and leases come from the database (`now()`), so clocks of several processes
 * never have to agree.
 */
import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { ClaimedJob, JobDb, NewJob } from './job-queue';
import { checkNewJob } from './new-job';

/** Longest `lastError` kept; errors can carry whole response bodies. */
export const MAX_ERROR_LENGTH = 2000;

/**
 * A claimed job as the runner sees it. `attempt` doubles as the fencing token later updates must
 * match; `reclaimed` says the previous holder's lease ran out (it crashed or stalled).
 */
export interface ClaimedRow extends ClaimedJob {
  reclaimed: boolean;
  /** The error the job is giving up with, when an earlier onGiveUp failed (column `giveUpError`). */
  giveUpError: string | null;
}

/** The Prisma client the store runs on (PGlite or PostgreSQL adapter). */
export type JobStoreClient = PrismaClient;

export interface JobStore {
  claim(workerId: string, limit: number, leaseMs: number): Promise<ClaimedRow[]>;
  /** Extends the leases this worker still holds. */
  heartbeat(workerId: string, jobs: readonly { id: string; attempt: number }[], leaseMs: number): Promise<number>;
  /** These return false when the worker no longer owns the job (lease lost and re-claimed). */
  /** Marks jobs done in one statement; returns the ids this worker still owned (the others stay as they are). */
  complete(workerId: string, jobs: readonly ClaimedRow[]): Promise<string[]>;
  retry(workerId: string, job: ClaimedRow, delayMs: number, error: string): Promise<boolean>;
  /**
   * Requeues a job whose onGiveUp failed: `giveUpError` (what it gives up with) goes to its own
   * column for the next claim, `hookError` to lastError.
   */
  retryGiveUp(workerId: string, job: ClaimedRow, delayMs: number, giveUpError: string, hookError: string): Promise<boolean>;
  /** Marks the job failed for good with `error` as lastError; clears giveUpError. */
  fail(workerId: string, job: ClaimedRow, error: string): Promise<boolean>;
}

/**
 * The UPDATE by which a `coalesce` job joins the request's waiting job of its kind (when `when`
 * holds), returning it: one that is due, or one that has never run and waits for a later `runAt`
 * (a step's delayed sync, `slack-lifecycle.ts`), which is brought forward to this job's `runAt`.
 * A retry waiting out its backoff is never joined (nor brought forward): the new job is added.
 */
function joinWaiting(job: NewJob, when: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
      UPDATE "Job" SET "updatedAt" = now(), "runAt" = LEAST("runAt", COALESCE(${job.runAt ?? null}::timestamptz, now()))
      WHERE "requestId" = ${job.requestId}::uuid AND "kind" = ${job.kind} AND "state" = 'queued' AND ("runAt" <= now() OR "attempts" = 0) AND ${when}
      RETURNING "id"`;
}

/**
 * Inserts a job through `db` (a client or the caller's transaction); a taken dedupeKey is a no-op,
 * and so is a `coalesce` job whose kind already has a waiting job for the request (`joinWaiting`).
 */
export async function insertJob(db: JobDb, job: NewJob): Promise<void> {
  const { maxAttempts } = checkNewJob(job);
  const values = Prisma.sql`${randomUUID()}::uuid, ${job.kind}, ${job.orgId ?? null}::uuid, ${job.requestId ?? null}::uuid,
            ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.dedupeKey ?? null},
            COALESCE(${job.runAt ?? null}::timestamptz, now()), ${maxAttempts}, now()`;
  if (!job.coalesce) {
    await db.$executeRaw`
      INSERT INTO "Job" ("id", "kind", "orgId", "requestId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
      VALUES (${values})
      ON CONFLICT ("dedupeKey") DO NOTHING`;
    return;
  }
  // The UPDATE locks the waiting job until the caller's transaction ends: claims skip locked rows,
  // so it runs after this change commits. A job claimed meanwhile is 'running' when the UPDATE
  // re-reads it (READ COMMITTED re-checks the row after the lock wait), so a new one is inserted.
  await db.$executeRaw`
    WITH waiting AS (${joinWaiting(job, Prisma.sql`TRUE`)})
    INSERT INTO "Job" ("id", "kind", "orgId", "requestId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
    SELECT ${values} WHERE NOT EXISTS (SELECT 1 FROM waiting)
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}

/**
 * `insertJob` of each of `jobs` as CTEs (`name AS (...)`) of a caller's single statement, each
 * applied only when `when` holds (say `EXISTS (SELECT 1 FROM changed)`): a state change and the
 * jobs it needs then commit together without a transaction around several statements. The
 * coalescing UPDATE locks the waiting job until that statement commits, as in `insertJob`.
 */
export function jobInsertCtes(jobs: readonly NewJob[], when: Prisma.Sql, prefix = 'job'): Prisma.Sql[] {
  return jobs.flatMap((job, i) => {
    const { maxAttempts } = checkNewJob(job);
    const values = Prisma.sql`${randomUUID()}::uuid, ${job.kind}, ${job.orgId ?? null}::uuid, ${job.requestId ?? null}::uuid,
            ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.dedupeKey ?? null},
            COALESCE(${job.runAt ?? null}::timestamptz, now()), ${maxAttempts}, now()`;
    const insert = Prisma.raw(`${prefix}${i}`);
    if (!job.coalesce)
      return [
        Prisma.sql`${insert} AS (
      INSERT INTO "Job" ("id", "kind", "orgId", "requestId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
      SELECT ${values} WHERE ${when}
      ON CONFLICT ("dedupeKey") DO NOTHING)`,
      ];
    const waiting = Prisma.raw(`${prefix}${i}_waiting`);
    return [
      Prisma.sql`${waiting} AS (${joinWaiting(job, when)})`,
      Prisma.sql`${insert} AS (
      INSERT INTO "Job" ("id", "kind", "orgId", "requestId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
      SELECT ${values} WHERE ${when} AND NOT EXISTS (SELECT 1 FROM ${waiting})
      ON CONFLICT ("dedupeKey") DO NOTHING)`,
    ];
  });
}

/**
 * Inserts several jobs through `db` in one statement where it can: jobs without `coalesce` go in
 * one multi-row INSERT (a taken dedupeKey, even one taken by an earlier row of the same batch, is
 * a no-op for that row); `coalesce` jobs go one by one as `insertJob` does them.
 */
export async function insertJobs(db: JobDb, jobs: readonly NewJob[]): Promise<void> {
  const plain = jobs.filter((job) => !job.coalesce);
  if (plain.length > 0) {
    const rows = plain.map((job) => {
      const { maxAttempts } = checkNewJob(job);
      return Prisma.sql`(${randomUUID()}::uuid, ${job.kind}, ${job.orgId ?? null}::uuid, ${job.requestId ?? null}::uuid,
            ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.dedupeKey ?? null},
            COALESCE(${job.runAt ?? null}::timestamptz, now()), ${maxAttempts}, now())`;
    });
    await db.$executeRaw`
      INSERT INTO "Job" ("id", "kind", "orgId", "requestId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("dedupeKey") DO NOTHING`;
  }
  for (const job of jobs) if (job.coalesce) await insertJob(db, job);
}

/**
 * Deletes up to `limit` finished jobs (`done` or `failed`) that finished more than `olderThanMs`
 * ago; returns how many. Queued and running jobs are never touched. `SKIP LOCKED`: several
 * processes pruning at once split the rows instead of waiting on each other. A job finishes only
 * after it was due, so `runAt` is older still: that bound lets the index (state, runAt) find the
 * rows without a scan of every finished job.
 */
export async function deleteFinishedJobs(db: JobStoreClient, olderThanMs: number, limit: number): Promise<number> {
  const age = Prisma.sql`make_interval(secs => ${olderThanMs / 1000}::float8)`;
  return db.$executeRaw`
    DELETE FROM "Job" WHERE "id" IN (
      SELECT "id" FROM "Job"
      WHERE "state" IN ('done', 'failed') AND "runAt" < now() - ${age} AND "finishedAt" < now() - ${age}
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    )`;
}

interface Row {
  id: string;
  kind: string;
  orgId: string | null;
  requestId: string | null;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  giveUpError: string | null;
  previousState: string;
  runAt: Date;
}

export function createJobStore(prisma: JobStoreClient): JobStore {
  const owned = (workerId: string, job: ClaimedRow) => Prisma.sql`"id" = ${job.id}::uuid AND "state" = 'running' AND "lockedBy" = ${workerId} AND "attempts" = ${job.attempt}`;
  return {
    async claim(workerId, limit, leaseMs) {
      // One statement: the locked subqueries skip rows other workers are claiming right now, so
      // two workers never get the same row, and nobody waits on anybody. Queued and expired rows
      // are picked separately so each pick is an ordered scan of index (state, runAt) that stops
      // after `limit` rows; one OR-ed condition would sort every due row on every claim (11 ms
      // instead of 0.1 ms with 10,000 due). Rows locked but not kept are released at statement end.
      const rows = await prisma.$queryRaw<Row[]>`
        WITH queued AS (
          SELECT "id", "runAt", "state" FROM "Job"
          WHERE "state" = 'queued' AND "runAt" <= now()
          ORDER BY "runAt" LIMIT ${limit}::int
          FOR UPDATE SKIP LOCKED
        ), expired AS (
          SELECT "id", "runAt", "state" FROM "Job"
          WHERE "state" = 'running' AND "lockedUntil" < now()
          ORDER BY "runAt" LIMIT ${limit}::int
          FOR UPDATE SKIP LOCKED
        ), due AS (
          SELECT "id", "state" AS "previousState" FROM (SELECT * FROM queued UNION ALL SELECT * FROM expired) AS candidates
          ORDER BY "runAt" LIMIT ${limit}::int
        )
        UPDATE "Job" AS j
        SET "state" = 'running', "lockedBy" = ${workerId},
            "lockedUntil" = now() + make_interval(secs => ${leaseMs / 1000}::float8),
            "attempts" = j."attempts" + 1, "updatedAt" = now()
        FROM due WHERE j."id" = due."id"
        RETURNING j."id", j."kind", j."orgId", j."requestId", j."payload", j."attempts", j."maxAttempts",
                  j."giveUpError", j."runAt", due."previousState"`;
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        orgId: r.orgId,
        requestId: r.requestId,
        payload: isObject(r.payload) ? r.payload : {},
        attempt: Number(r.attempts),
        maxAttempts: Number(r.maxAttempts),
        reclaimed: r.previousState === 'running',
        giveUpError: r.giveUpError,
        dueAt: new Date(r.runAt),
      }));
    },
    async heartbeat(workerId, jobs, leaseMs) {
      if (jobs.length === 0) return 0;
      return prisma.$executeRaw`
        UPDATE "Job" SET "lockedUntil" = now() + make_interval(secs => ${leaseMs / 1000}::float8), "updatedAt" = now()
        WHERE "state" = 'running' AND "lockedBy" = ${workerId} AND ("id", "attempts") IN (${pairs(jobs)})`;
    },
    async complete(workerId, jobs) {
      if (jobs.length === 0) return [];
      // Two array parameters joined on the primary key, rather than 2 parameters per job in a
      // row-value IN list: a batch of hundreds parses and plans faster (PGlite runs one at a time).
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        UPDATE "Job" AS j SET "state" = 'done', "finishedAt" = now(), "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now()
        FROM unnest(${jobs.map((job) => job.id)}::uuid[], ${jobs.map((job) => job.attempt)}::int[]) AS c ("id", "attempt")
        WHERE j."id" = c."id" AND j."attempts" = c."attempt" AND j."state" = 'running' AND j."lockedBy" = ${workerId}
        RETURNING j."id"`;
      return rows.map((r) => r.id);
    },
    async retry(workerId, job, delayMs, error) {
      const n = await prisma.$executeRaw`
        UPDATE "Job" SET "state" = 'queued', "runAt" = now() + make_interval(secs => ${delayMs / 1000}::float8),
               "lastError" = ${trimError(error)}, "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now()
        WHERE ${owned(workerId, job)}`;
      return n === 1;
    },
    async retryGiveUp(workerId, job, delayMs, giveUpError, hookError) {
      const n = await prisma.$executeRaw`
        UPDATE "Job" SET "state" = 'queued', "runAt" = now() + make_interval(secs => ${delayMs / 1000}::float8),
               "giveUpError" = ${trimError(giveUpError)}, "lastError" = ${trimError(hookError)},
               "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now()
        WHERE ${owned(workerId, job)}`;
      return n === 1;
    },
    async fail(workerId, job, error) {
      const n = await prisma.$executeRaw`
        UPDATE "Job" SET "state" = 'failed', "finishedAt" = now(), "lastError" = ${trimError(error)}, "giveUpError" = NULL,
               "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now()
        WHERE ${owned(workerId, job)}`;
      return n === 1;
    },
  };
}

/** `(id, attempt)` pairs for a row-value IN list: the attempt is the fencing token. */
function pairs(jobs: readonly { id: string; attempt: number }[]) {
  return Prisma.join(jobs.map((j) => Prisma.sql`(${j.id}::uuid, ${j.attempt}::int)`));
}

/** Keeps stored errors bounded and on one readable line per cause. */
export function trimError(message: string): string {
  const text = message.trim();
  return text.length <= MAX_ERROR_LENGTH ? text : `${text.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
