import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';

/** Something that happened, recorded for the audit trail. */
export interface AuditEventInput {
  orgId: string;
  /** Dotted name, e.g. `entity.created`, `request.approved`. */
  type: string;
  actorTokenId: string | null;
  /** The user behind the action (a user token's user, or the approver); null for bots and the system. */
  actorUserId?: string | null;
  entityId: string | null;
  /** The access request the event belongs to, if any. */
  requestId?: string | null;
  data: Record<string, unknown>;
}

/** A stored audit event. */
export interface AuditEventRecord {
  id: string;
  orgId: string;
  type: string;
  actorTokenId: string | null;
  actorUserId: string | null;
  entityId: string | null;
  requestId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/** Which events to list; every given condition must hold. */
export interface AuditFilter {
  /** Exact type, or a prefix when it ends in `.*` (`request.*`). */
  type?: string;
  requestId?: string;
  entityId?: string;
  /** Matches the acting user id or the acting token id. */
  actorId?: string;
  /** Inclusive lower bound of `at`. */
  since?: Date;
  /** Exclusive upper bound of `at`. */
  until?: Date;
}

/** Position after the last event of a page (newest-first order: `at` desc, then `id` desc). */
export interface AuditCursor {
  at: Date;
  id: string;
}

/** Where services send audit events. */
export interface AuditLog {
  record(event: AuditEventInput): Promise<void>;
}

/** Reading the audit trail. */
export interface AuditReader {
  /** Up to `limit` events matching `filter`, newest first, strictly after `after` when given. */
  query(orgId: string, filter: AuditFilter, page: { limit: number; after?: AuditCursor }): Promise<AuditEventRecord[]>;
  /** Every event of one access request, oldest first (`GET /requests/{id}` shows them). */
  listForRequest(orgId: string, requestId: string): Promise<AuditEventRecord[]>;
}

// `at` has millisecond precision and events of one request often share a millisecond (an
// auto-approved request is created, approved and escalated at once). Handing out strictly
// increasing times within the process keeps their order; ties across processes fall back to `id`.
let lastAt = 0;
/** A time for the next audit event: now, but always after the previous one of this process. */
export function nextAuditTime(): Date {
  lastAt = Math.max(Date.now(), lastAt + 1);
  return new Date(lastAt);
}

/** Where events are written: the client, or the caller's interactive transaction. */
export type AuditWriter = Pick<PrismaClient, 'auditEvent'> | Prisma.TransactionClient;

/** One event as a row of the AuditEvent table, stamped with {@link nextAuditTime} now. */
function rowOf(event: AuditEventInput) {
  return {
    id: randomUUID(),
    orgId: event.orgId,
    type: event.type,
    actorTokenId: event.actorTokenId,
    actorUserId: event.actorUserId ?? null,
    entityId: event.entityId,
    requestId: event.requestId ?? null,
    at: nextAuditTime(),
    data: event.data as Prisma.InputJsonValue,
  };
}

/**
 * The one way audit events are written: through `db`, which may be the caller's interactive
 * transaction, so a store records events atomically with the state change they describe.
 */
export async function recordAuditEvents(db: AuditWriter, events: readonly AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db.auditEvent.createMany({ data: events.map(rowOf) });
}

/** {@link recordAuditEvents} for one event. */
export async function recordAuditEvent(db: AuditWriter, event: AuditEventInput): Promise<void> {
  await recordAuditEvents(db, [event]);
}

/** The columns {@link auditEventsInsertSql} writes, in the order of its values. */
const AUDIT_COLUMNS = Prisma.raw('"id", "orgId", "type", "actorTokenId", "actorUserId", "entityId", "requestId", "at", "data"');

/**
 * The same write for a caller's single raw-SQL statement (the request store's one-round-trip
 * paths): an `INSERT INTO "AuditEvent" ...` to place as a data-modifying CTE,
 * `WITH ..., events AS (${auditEventsInsertSql(events)})`. With `onlyIf`, the rows are inserted
 * only when that SQL condition holds (e.g. `EXISTS (SELECT 1 FROM changed)`). `events` must not be empty.
 */
export function auditEventsInsertSql(events: readonly AuditEventInput[], onlyIf?: Prisma.Sql): Prisma.Sql {
  if (events.length === 0) throw new Error('auditEventsInsertSql needs at least one event');
  // One pass, straight from the events (this runs for every request created).
  const values = events.map(
    (e) =>
      Prisma.sql`(${randomUUID()}::uuid, ${e.orgId}::uuid, ${e.type}, ${e.actorTokenId}::uuid, ${e.actorUserId ?? null}::uuid, ${e.entityId}::uuid, ${e.requestId ?? null}::uuid, ${nextAuditTime()}::timestamptz, ${JSON.stringify(e.data)}::jsonb)`,
  );
  // A condition needs the rows as a SELECT; without one, plain VALUES is less for the server to plan.
  if (!onlyIf) return Prisma.sql`INSERT INTO "AuditEvent" (${AUDIT_COLUMNS}) VALUES ${Prisma.join(values)}`;
  return Prisma.sql`INSERT INTO "AuditEvent" (${AUDIT_COLUMNS}) SELECT e.* FROM (VALUES ${Prisma.join(values)}) AS e (${AUDIT_COLUMNS}) WHERE ${onlyIf}`;
}

type Row = Prisma.AuditEventGetPayload<object>;
const toRecord = (r: Row): AuditEventRecord => ({ ...r, data: r.data as Record<string, unknown> });

function whereOf(orgId: string, filter: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [{ orgId }];
  if (filter.type !== undefined) {
    // Prisma turns startsWith into LIKE without escaping its wildcards; `_` is common in types.
    const prefix = filter.type.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
    and.push(filter.type.endsWith('.*') ? { type: { startsWith: prefix } } : { type: filter.type });
  }
  if (filter.requestId !== undefined) and.push({ requestId: filter.requestId });
  if (filter.entityId !== undefined) and.push({ entityId: filter.entityId });
  if (filter.actorId !== undefined) and.push({ OR: [{ actorUserId: filter.actorId }, { actorTokenId: filter.actorId }] });
  if (filter.since !== undefined) and.push({ at: { gte: filter.since } });
  if (filter.until !== undefined) and.push({ at: { lt: filter.until } });
  return { AND: and };
}

/** The Prisma-backed audit log and reader (table AuditEvent). */
export function createAuditLog(prisma: PrismaClient): AuditLog & AuditReader & { list(orgId: string): Promise<AuditEventRecord[]> } {
  return {
    async record(event) {
      await recordAuditEvent(prisma, event);
    },
    async query(orgId, filter, { limit, after }) {
      const where = whereOf(orgId, filter);
      if (after) (where.AND as Prisma.AuditEventWhereInput[]).push({ OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] });
      const rows = await prisma.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit });
      return rows.map(toRecord);
    },
    async listForRequest(orgId, requestId) {
      const rows = await prisma.auditEvent.findMany({ where: { orgId, requestId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      return rows.map(toRecord);
    },
    async list(orgId) {
      const rows = await prisma.auditEvent.findMany({ where: { orgId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      return rows.map(toRecord);
    },
  };
}

/** In-memory AuditLog and reader for unit tests, with the same ordering and filters. */
export function createFakeAuditLog(): AuditLog & AuditReader & { events: AuditEventInput[] } {
  const events: AuditEventInput[] = [];
  const records: AuditEventRecord[] = [];
  let seq = 0;
  const matches = (r: AuditEventRecord, orgId: string, f: AuditFilter) =>
    r.orgId === orgId &&
    (f.type === undefined || (f.type.endsWith('.*') ? r.type.startsWith(f.type.slice(0, -1)) : r.type === f.type)) &&
    (f.requestId === undefined || r.requestId === f.requestId) &&
    (f.entityId === undefined || r.entityId === f.entityId) &&
    (f.actorId === undefined || r.actorUserId === f.actorId || r.actorTokenId === f.actorId) &&
    (f.since === undefined || r.at >= f.since) &&
    (f.until === undefined || r.at < f.until);
  const newestFirst = (a: AuditEventRecord, b: AuditEventRecord) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return {
    events,
    async record(event) {
      events.push(structuredClone(event));
      const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
      records.push({ ...structuredClone(event), id, actorUserId: event.actorUserId ?? null, requestId: event.requestId ?? null, at: nextAuditTime() });
    },
    async query(orgId, filter, { limit, after }) {
      return records
        .filter((r) => matches(r, orgId, filter))
        .filter((r) => !after || r.at < after.at || (r.at.getTime() === after.at.getTime() && r.id < after.id))
        .sort(newestFirst)
        .slice(0, limit)
        .map((r) => structuredClone(r));
    },
    async listForRequest(orgId, requestId) {
      return records
        .filter((r) => r.orgId === orgId && r.requestId === requestId)
        .sort((a, b) => -newestFirst(a, b))
        .map((r) => structuredClone(r));
    },
  };
}
