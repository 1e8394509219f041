/**
 * The delivery outbox and per-destination state (tables `LogDeliveryOutbox`, `LogDeliveryState`).
 * Outbox rows are added by the `AuditEvent` trigger (migration `log_delivery`) in the transaction
 * that writes the event; this store reads them, deletes the delivered ones and keeps the state:
 * what was delivered last, the last error, the retry schedule and the lease of the one worker
 * that delivers to a destination at a time.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { JobQueue } from '../../jobs';
import type { AuditEventRecord } from '../audit/audit-log';

/** One outbox row with its audit event. */
export interface PendingEvent {
  seq: bigint;
  /** Events with one key go out in `seq` order (the request id). */
  orderKey: string;
  event: AuditEventRecord;
}

/** A destination's delivery state as the API shows it. */
export interface DeliveryState {
  destinationId: string;
  pending: number;
  delivered: number;
  lastEventId: string | null;
  lastEventAt: Date | null;
  lastDeliveredAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failures: number;
  retryAt: Date | null;
}

/** What `acquire` found: the lease is ours, or someone else delivers (now, or at the scheduled retry). */
export type AcquireOutcome = 'acquired' | 'busy' | 'retry_scheduled';

/** The store's operations; `holder` is the delivering job's id (stable across its reruns). */
export interface LogDeliveryStore {
  /** Takes the destination's lease unless another holder's lease runs or a retry is scheduled; then marks `rerun` for the holder. */
  acquire(orgId: string, destinationId: string, holder: string, leaseMs: number): Promise<AcquireOutcome>;
  /** The oldest `limit` pending events of the destination, in `seq` order. */
  pending(destinationId: string, limit: number): Promise<PendingEvent[]>;
  /** Deletes delivered outbox rows and records progress; extends the lease. */
  delivered(destinationId: string, holder: string, seqs: bigint[], last: { id: string; at: Date } | null, leaseMs: number): Promise<void>;
  /**
   * Records a failed attempt, lets the lease go and queues the retry job `delayMs` from now (the
   * database's clock), in one transaction. Returns the number of failures in a row.
   */
  failed(orgId: string, destinationId: string, holder: string, error: string, delayOf: (failures: number) => number): Promise<number>;
  /** Lets the lease go and returns true, unless a job asked for a rerun meanwhile: then clears the mark and returns false (look again). */
  release(destinationId: string, holder: string): Promise<boolean>;
  /** Drops the outbox and state of a destination that no longer exists. */
  forget(destinationId: string): Promise<void>;
  /** The state for the API; null when nothing was ever queued for the destination. */
  state(orgId: string, destinationId: string): Promise<DeliveryState | null>;
}

/** Longest `lastError` kept (the job queue trims the same way). */
const MAX_ERROR = 2000;

/** The job kind that delivers one destination's outbox (the trigger enqueues it too). */
export const LOG_DELIVERY_JOB = 'log_delivery';

/** The Prisma-backed store; `enqueue` is the job queue's, so the retry job joins the failure's transaction. */
export function createLogDeliveryStore(prisma: PrismaClient, enqueue: JobQueue['enqueue']): LogDeliveryStore {
  return {
    async acquire(orgId, destinationId, holder, leaseMs) {
      await prisma.$executeRaw`INSERT INTO "LogDeliveryState" ("destinationId", "orgId") VALUES (${destinationId}::uuid, ${orgId}::uuid) ON CONFLICT DO NOTHING`;
      // Each statement is atomic on the one row; a few rounds settle any race between them.
      for (let round = 0; round < 5; round++) {
        const taken = await prisma.$executeRaw`
          UPDATE "LogDeliveryState" SET "leasedBy" = ${holder}, "leasedUntil" = now() + ${leaseMs} * interval '1 millisecond', "rerun" = false, "updatedAt" = now()
          WHERE "destinationId" = ${destinationId}::uuid
            AND ("leasedBy" IS NULL OR "leasedBy" = ${holder} OR "leasedUntil" < now())
            AND ("retryAt" IS NULL OR "retryAt" <= now())`;
        if (taken === 1) return 'acquired';
        const scheduled = await prisma.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM "LogDeliveryState" WHERE "destinationId" = ${destinationId}::uuid AND "retryAt" > now()`;
        if (Number(scheduled[0]?.n ?? 0) > 0) return 'retry_scheduled';
        const marked = await prisma.$executeRaw`
          UPDATE "LogDeliveryState" SET "rerun" = true, "updatedAt" = now()
          WHERE "destinationId" = ${destinationId}::uuid AND "leasedBy" IS NOT NULL AND "leasedBy" <> ${holder} AND "leasedUntil" >= now()`;
        if (marked === 1) return 'busy';
      }
      throw new Error(`log delivery: could not settle the lease of destination ${destinationId}`);
    },

    async pending(destinationId, limit) {
      const rows = await prisma.$queryRaw<
        {
          seq: bigint;
          orderKey: string;
          id: string;
          orgId: string;
          type: string;
          actorTokenId: string | null;
          actorUserId: string | null;
          entityId: string | null;
          requestId: string | null;
          at: Date;
          data: Record<string, unknown>;
        }[]
      >`
        SELECT o."seq", o."orderKey", e."id", e."orgId", e."type", e."actorTokenId", e."actorUserId", e."entityId", e."requestId", e."at", e."data"
        FROM "LogDeliveryOutbox" o JOIN "AuditEvent" e ON e."id" = o."eventId"
        WHERE o."destinationId" = ${destinationId}::uuid
        ORDER BY o."seq" LIMIT ${limit}`;
      return rows.map(({ seq, orderKey, ...event }) => ({ seq, orderKey, event }));
    },

    async delivered(destinationId, holder, seqs, last, leaseMs) {
      await prisma.$transaction(async (tx) => {
        if (seqs.length > 0) await tx.logDeliveryOutbox.deleteMany({ where: { destinationId, seq: { in: seqs } } });
        await tx.$executeRaw`
          UPDATE "LogDeliveryState" SET
            "lastEventId" = COALESCE(${last?.id ?? null}::uuid, "lastEventId"),
            "lastEventAt" = COALESCE(${last?.at ?? null}::timestamptz, "lastEventAt"),
            "lastDeliveredAt" = now(),
            "delivered" = "delivered" + ${seqs.length},
            "failures" = 0, "retryAt" = NULL,
            "leasedUntil" = CASE WHEN "leasedBy" = ${holder} THEN now() + ${leaseMs} * interval '1 millisecond' ELSE "leasedUntil" END,
            "updatedAt" = now()
          WHERE "destinationId" = ${destinationId}::uuid`;
      });
    },

    async failed(orgId, destinationId, holder, error, delayOf) {
      return prisma.$transaction(async (tx) => {
        const counted = await tx.$queryRaw<{ failures: number }[]>`
          UPDATE "LogDeliveryState" SET "failures" = "failures" + 1 WHERE "destinationId" = ${destinationId}::uuid RETURNING "failures"`;
        const failures = counted[0]?.failures ?? 1;
        const rows = await tx.$queryRaw<{ retryAt: Date }[]>`
          UPDATE "LogDeliveryState" SET
            "lastError" = ${error.slice(0, MAX_ERROR)}, "lastErrorAt" = now(),
            "retryAt" = now() + ${delayOf(failures)} * interval '1 millisecond',
            "leasedBy" = CASE WHEN "leasedBy" = ${holder} THEN NULL ELSE "leasedBy" END,
            "leasedUntil" = CASE WHEN "leasedBy" = ${holder} THEN NULL ELSE "leasedUntil" END,
            "rerun" = false, "updatedAt" = now()
          WHERE "destinationId" = ${destinationId}::uuid
          RETURNING "retryAt"`;
        const runAt = rows[0]?.retryAt;
        // The retry job delivers whatever is pending then, including what arrives meanwhile
        // (delivery jobs of new events see retryAt ahead and leave it to this one).
        await enqueue(tx, {
          kind: LOG_DELIVERY_JOB,
          orgId,
          payload: { destinationId },
          runAt,
          dedupeKey: `log_delivery:${destinationId}:retry:${runAt?.toISOString()}:${failures}`,
        });
        return failures;
      });
    },

    async release(destinationId, holder) {
      const released = await prisma.$executeRaw`
        UPDATE "LogDeliveryState" SET "leasedBy" = NULL, "leasedUntil" = NULL, "updatedAt" = now()
        WHERE "destinationId" = ${destinationId}::uuid AND "leasedBy" = ${holder} AND NOT "rerun"`;
      if (released === 1) return true;
      // Still ours: a job asked for a rerun, so look again. Not ours (lease ran out and was taken): stop.
      const stillOurs = await prisma.$executeRaw`UPDATE "LogDeliveryState" SET "rerun" = false WHERE "destinationId" = ${destinationId}::uuid AND "leasedBy" = ${holder}`;
      return stillOurs === 0;
    },

    async forget(destinationId) {
      await prisma.$transaction([prisma.logDeliveryOutbox.deleteMany({ where: { destinationId } }), prisma.logDeliveryState.deleteMany({ where: { destinationId } })]);
    },

    async state(orgId, destinationId) {
      const [row, pending] = await Promise.all([prisma.logDeliveryState.findFirst({ where: { orgId, destinationId } }), prisma.logDeliveryOutbox.count({ where: { destinationId } })]);
      if (!row && pending === 0) return null;
      return {
        destinationId,
        pending,
        delivered: Number(row?.delivered ?? 0),
        lastEventId: row?.lastEventId ?? null,
        lastEventAt: row?.lastEventAt ?? null,
        lastDeliveredAt: row?.lastDeliveredAt ?? null,
        lastError: row?.lastError ?? null,
        lastErrorAt: row?.lastErrorAt ?? null,
        failures: row?.failures ?? 0,
        retryAt: row?.retryAt ?? null,
      };
    },
  };
}
