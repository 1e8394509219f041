/** Persistence of access requests, their audit events and their jobs; the only request code that touches Prisma. */
import type { JsonValue } from '@opensym/schemas';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { JobQueue, NewJob } from '../../jobs/job-queue';
import { groupCommit } from '../../db/group-commit';
import { groupRead } from '../../db/group-read';
import { createEntityLookup, type EntityLookup } from '../entities/entity-lookup-store';
import { createUserLookup, type UserLookup, type UserSummary } from '../users/user-lookup-store';
import { auditEventsInsertSql, recordAuditEvents, type AuditEventInput } from '../audit/audit-log';
import type { EntityRecord } from '../../shared/entity-record';
import type { RequestState } from './request-states';

/** A stored request. `flowSnapshot` is the flow's data when the request was made. */
export interface RequestRecord {
  id: string;
  orgId: string;
  flowId: string;
  flowName: string;
  flowVersion: string;
  flowSnapshot: Record<string, JsonValue>;
  requesterId: string;
  fields: Record<string, JsonValue>;
  targetId: string | null;
  durationSeconds: number | null;
  state: RequestState;
  decidedById: string | null;
  reason: string | null;
  pendingUntil: Date | null;
  activeUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A request's audit event. */
export interface RequestEventRecord {
  id: string;
  type: string;
  at: Date;
  actorUserId: string | null;
  actorTokenId: string | null;
  data: Record<string, JsonValue>;
}

/** An event to write with a transition. */
export interface NewRequestEvent {
  type: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  data: Record<string, JsonValue>;
}

/** A user as the lifecycle needs one (the users feature's lookup answers it). */
export type UserRecord = UserSummary;

/** Columns a transition may change. */
export type RequestPatch = Partial<Pick<RequestRecord, 'state' | 'decidedById' | 'reason' | 'pendingUntil' | 'activeUntil' | 'lastError'>>;

/** A state change applied only if the request is still in one of `from`, with its events and jobs, atomically. */
export interface Transition {
  orgId: string;
  requestId: string;
  from: readonly RequestState[];
  set: RequestPatch;
  events: NewRequestEvent[];
  jobs?: NewJob[];
}

/** Filters of `GET /requests`. */
export interface RequestFilter {
  state?: RequestState;
  flowId?: string;
  requesterId?: string;
  limit: number;
  /** Id of the last request of the previous page. */
  after?: string;
}

/** What the lifecycle service needs from the database. */
export interface RequestStore {
  /** A flow by id or (case-insensitive) name. */
  findFlow(orgId: string, ref: string): Promise<(EntityRecord & { updatedAt: Date }) | null>;
  /** An entity of `kind` by id, or by name when `byName` (targets are chosen by either). */
  findEntity(orgId: string, kind: string, ref: string, byName?: boolean): Promise<EntityRecord | null>;
  findUser(orgId: string, by: { id: string } | { email: string }): Promise<UserRecord | null>;
  /** Inserts a request with its first events and jobs in one transaction. */
  create(request: Omit<RequestRecord, 'createdAt' | 'updatedAt'>, events: NewRequestEvent[], jobs: NewJob[]): Promise<RequestRecord>;
  get(orgId: string, id: string): Promise<RequestRecord | null>;
  /** A page of requests, each with its requester's email (read through the users feature's lookup). */
  list(orgId: string, filter: RequestFilter): Promise<(RequestRecord & { requesterEmail: string })[]>;
  events(orgId: string, requestId: string): Promise<RequestEventRecord[]>;
  /** Applies the transition; null when the request is no longer in one of `from` (nothing written). */
  transition(t: Transition): Promise<RequestRecord | null>;
  /** Records events without changing state (hook failures, retried strategy errors). */
  record(orgId: string, requestId: string, events: NewRequestEvent[], set?: Pick<RequestPatch, 'lastError'>): Promise<void>;
  /** Enqueues a job outside any transition (re-scheduling a given-up deescalation). */
  enqueue(job: NewJob): Promise<void>;
}

type RequestRow = Prisma.AccessRequestGetPayload<object>;

function toRecord(row: RequestRow): RequestRecord {
  return {
    ...row,
    state: row.state as RequestState,
    flowSnapshot: row.flowSnapshot as Record<string, JsonValue>,
    fields: row.fields as Record<string, JsonValue>,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A request to insert with its first events and jobs. */
interface NewRequestRows {
  request: Omit<RequestRecord, 'createdAt' | 'updatedAt'>;
  events: NewRequestEvent[];
  jobs: NewJob[];
}
type CreatedTimes = Pick<RequestRecord, 'createdAt' | 'updatedAt'>;
type CreatedRow = CreatedTimes & { id: string };

/** How the store writes. */
export interface RequestStoreOptions {
  /** Request-creating batches written at the same time: 1 for PGlite's single connection (default), more for a pool. */
  writeConcurrency?: number;
  /** Gather creates for the rest of the event-loop turn before writing (a database on this thread). */
  gatherTurn?: boolean;
  /** Flows, strategies and targets, read through the entities feature (default: its Prisma lookup on `prisma`). */
  entities?: EntityLookup;
  /** Requesters and approvers, read through the users feature (default: its Prisma lookup on `prisma`). */
  users?: UserLookup;
}

/** The Prisma-backed request store; jobs are enqueued through `jobs` inside the same transactions. */
export function createRequestStore(prisma: PrismaClient, jobs: Pick<JobQueue, 'enqueue' | 'insertCtes'>, options: RequestStoreOptions = {}): RequestStore {
  // The Entity and User tables belong to their features: this store reads them only through their lookups.
  const entities = options.entities ?? createEntityLookup(prisma);
  const users = options.users ?? createUserLookup(prisma);
  // Events are written by the audit feature (`recordAuditEvents`, `auditEventsInsertSql`), inside this store's transaction or statement.
  const eventRows = (orgId: string, requestId: string, events: NewRequestEvent[]): AuditEventInput[] =>
    events.map((e) => ({ orgId, requestId, entityId: null, type: e.type, actorUserId: e.actorUserId, actorTokenId: e.actorTokenId, data: e.data }));

  /**
   * `INSERT` of requests and their events as one statement (a CTE), plus their jobs in the same
   * transaction when there are any. Returns only the times the database set: sending the flow
   * snapshot back and parsing it again would cost more than the insert.
   */
  async function insertBatch(items: NewRequestRows[]): Promise<CreatedTimes[]> {
    const requestValues = items.map(
      ({ request: r }) => Prisma.sql`(${r.id}::uuid, ${r.orgId}::uuid, ${r.flowId}::uuid, ${r.flowName}, ${r.flowVersion}, ${JSON.stringify(r.flowSnapshot)}::jsonb,
                ${r.requesterId}::uuid, ${JSON.stringify(r.fields)}::jsonb, ${r.targetId}::uuid, ${r.durationSeconds}::int, ${r.state},
                ${r.decidedById}::uuid, ${r.reason}, ${r.pendingUntil}::timestamptz, ${r.activeUntil}::timestamptz, ${r.lastError}, now())`,
    );
    const eventRowsOfAll = items.flatMap(({ request: r, events }) => eventRows(r.orgId, r.id, events));
    const insertEvents = eventRowsOfAll.length === 0 ? Prisma.empty : Prisma.sql`, events AS (${auditEventsInsertSql(eventRowsOfAll)})`;
    const statement = Prisma.sql`
      WITH request AS (
        INSERT INTO "AccessRequest" ("id", "orgId", "flowId", "flowName", "flowVersion", "flowSnapshot", "requesterId", "fields", "targetId",
                                     "durationSeconds", "state", "decidedById", "reason", "pendingUntil", "activeUntil", "lastError", "updatedAt")
        VALUES ${Prisma.join(requestValues)}
        RETURNING "id", "createdAt", "updatedAt"
      )${insertEvents}
      SELECT "id"::text AS "id", "createdAt", "updatedAt" FROM request`;
    const newJobs = items.flatMap((item) => item.jobs);
    // Without jobs the statement is atomic on its own: one round trip, no BEGIN/COMMIT.
    const rows =
      newJobs.length === 0
        ? await prisma.$queryRaw<CreatedRow[]>(statement)
        : await prisma.$transaction(async (tx) => {
            const inserted = await tx.$queryRaw<CreatedRow[]>(statement);
            for (const job of newJobs) await jobs.enqueue(tx, job);
            return inserted;
          });
    const byId = new Map(rows.map((row) => [row.id.toLowerCase(), row]));
    return items.map(({ request }) => {
      const row = byId.get(request.id.toLowerCase());
      if (!row) throw new Error(`request ${request.id} was not inserted`);
      return { createdAt: row.createdAt, updatedAt: row.updatedAt };
    });
  }
  // Concurrent creates share round trips (see db/group-commit.ts).
  const insertGrouped = groupCommit(insertBatch, { maxBatch: 50, maxInFlight: options.writeConcurrency ?? 1, gatherTurn: options.gatherTurn ?? false });
  // Concurrent lookups of a request, or of a request's events, share a statement (db/group-read.ts).
  const readOptions = { maxInFlight: options.writeConcurrency ?? 1 };
  type Key = { orgId: string; id: string };
  const requestsById = groupRead(
    (keys: Key[]) => prisma.accessRequest.findMany({ where: { id: { in: [...new Set(keys.map((k) => k.id))] } } }),
    (row, key: Key) => row.id === key.id && row.orgId === key.orgId,
    readOptions,
  );
  const eventsByRequest = groupRead(
    (keys: Key[]) => prisma.auditEvent.findMany({ where: { requestId: { in: [...new Set(keys.map((k) => k.id))] } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
    (row, key: Key) => row.requestId === key.id && row.orgId === key.orgId,
    readOptions,
  );

  /** SQL for each column a transition may set, with its type. */
  const patchColumns: { [K in keyof Required<RequestPatch>]: (v: RequestPatch[K]) => Prisma.Sql } = {
    state: (v) => Prisma.sql`"state" = ${v}`,
    decidedById: (v) => Prisma.sql`"decidedById" = ${v}::uuid`,
    reason: (v) => Prisma.sql`"reason" = ${v}`,
    pendingUntil: (v) => Prisma.sql`"pendingUntil" = ${v}::timestamptz`,
    activeUntil: (v) => Prisma.sql`"activeUntil" = ${v}::timestamptz`,
    lastError: (v) => Prisma.sql`"lastError" = ${v}`,
  };

  /**
   * A transition as one statement: the guarded UPDATE, and the events inserted only for the row it
   * changed (jobs follow in the caller's transaction). Nothing is written (and no row returned)
   * when the state moved on.
   */
  function transitionStatement(t: Transition, db: Pick<PrismaClient, '$queryRaw'> = prisma, withJobs: readonly NewJob[] = []): Promise<RequestRow[]> {
    const sets = (Object.keys(t.set) as (keyof RequestPatch)[]).filter((k) => t.set[k] !== undefined).map((k) => (patchColumns[k] as (v: unknown) => Prisma.Sql)(t.set[k]));
    const events = eventRows(t.orgId, t.requestId, t.events);
    // Only for the row the guarded UPDATE changed: nothing is recorded or enqueued when the state moved on.
    const changed = Prisma.sql`EXISTS (SELECT 1 FROM changed)`;
    const ctes = [...(events.length === 0 ? [] : [Prisma.sql`events AS (${auditEventsInsertSql(events, changed)})`]), ...(withJobs.length === 0 ? [] : jobs.insertCtes!(withJobs, changed))];
    const insertEvents = ctes.length === 0 ? Prisma.empty : Prisma.sql`, ${Prisma.join(ctes, ', ')}`;
    return db.$queryRaw<RequestRow[]>`
      WITH changed AS (
        UPDATE "AccessRequest" SET ${Prisma.join([...sets, Prisma.sql`"updatedAt" = now()`])}
        WHERE "id" = ${t.requestId}::uuid AND "orgId" = ${t.orgId}::uuid AND "state" IN (${Prisma.join([...t.from])})
        RETURNING *
      )${insertEvents}
      SELECT * FROM changed`;
  }

  return {
    async findFlow(orgId, ref) {
      return entities.findFlow(orgId, ref);
    },
    async findEntity(orgId, kind, ref, byName = false) {
      return entities.findEntity(orgId, kind, ref, byName);
    },
    async findUser(orgId, by) {
      return users.findUser(orgId, by);
    },
    async create(request, events, newJobs) {
      const { createdAt, updatedAt } = await insertGrouped({ request, events, jobs: newJobs });
      return { ...request, createdAt, updatedAt };
    },
    async get(orgId, id) {
      if (!uuidPattern.test(id)) return null;
      const [row] = await requestsById({ orgId, id: id.toLowerCase() });
      return row ? toRecord(row) : null;
    },
    async list(orgId, filter) {
      const rows = await prisma.accessRequest.findMany({
        where: {
          orgId,
          ...(filter.state && { state: filter.state }),
          ...(filter.flowId && { flowId: filter.flowId }),
          ...(filter.requesterId && { requesterId: filter.requesterId }),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit,
        ...(filter.after && { cursor: { id: filter.after }, skip: 1 }),
      });
      const emails = await users.emailsOf(
        orgId,
        rows.map((r) => r.requesterId),
      );
      return rows.map((row) => ({ ...toRecord(row), requesterEmail: emails.get(row.requesterId) ?? '' }));
    },
    async events(orgId, requestId) {
      if (!uuidPattern.test(requestId)) return [];
      const rows = await eventsByRequest({ orgId, id: requestId.toLowerCase() });
      return rows.map((r) => ({ id: r.id, type: r.type, at: r.at, actorUserId: r.actorUserId, actorTokenId: r.actorTokenId, data: r.data as Record<string, JsonValue> }));
    },
    async transition(t) {
      // One statement: the guarded UPDATE, its events and its jobs (when the queue writes SQL).
      if (!t.jobs?.length || jobs.insertCtes) {
        const rows = await transitionStatement(t, prisma, t.jobs ?? []);
        return rows[0] ? toRecord(rows[0]) : null;
      }
      // A queue without SQL (the fake one): the guarded statement, then the jobs, in one transaction.
      const row = await prisma.$transaction(async (tx) => {
        const [changed] = await transitionStatement(t, tx);
        if (!changed) return null;
        for (const job of t.jobs ?? []) await jobs.enqueue(tx, job);
        return changed;
      });
      return row && toRecord(row);
    },
    async record(orgId, requestId, events, set) {
      await prisma.$transaction(async (tx) => {
        if (set) await tx.accessRequest.updateMany({ where: { id: requestId, orgId }, data: set });
        await recordAuditEvents(tx, eventRows(orgId, requestId, events));
      });
    },
    async enqueue(job) {
      await prisma.$transaction(async (tx) => jobs.enqueue(tx, job));
    },
  };
}
