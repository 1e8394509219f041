/** In-memory RequestStore for unit tests; jobs go to the given queue (e.g. the jobs fake). */
import { randomUUID } from 'node:crypto';
import type { JobQueue, JobDb } from '../../jobs/job-queue';
import type { EntityRecord } from '../../shared/entity-record';
import type { RequestEventRecord, RequestRecord, RequestStore, UserRecord } from './request-store';

export interface FakeRequestStore extends RequestStore {
  requests: Map<string, RequestRecord>;
  allEvents: (RequestEventRecord & { requestId: string })[];
  addEntity(orgId: string, entity: EntityRecord): void;
  /** Deletes an entity (as `DELETE /entities/...` would). */
  removeEntity(id: string): void;
  addUser(orgId: string, user: UserRecord): void;
}

/** Throws like PostgreSQL (22P05) when a value to store holds U+0000, which it refuses in text and jsonb. */
function refuseUnstorable(value: unknown): void {
  if (JSON.stringify(value ?? null).includes('\\u0000')) throw new Error('unsupported Unicode escape sequence (22P05): U+0000 cannot be stored');
}

/** A store over maps; `now` stamps rows and events. It refuses what PostgreSQL refuses to store (U+0000). */
export function createFakeRequestStore(jobs: Pick<JobQueue, 'enqueue'>, now: () => Date = () => new Date()): FakeRequestStore {
  const requests = new Map<string, RequestRecord>();
  const entities: (EntityRecord & { orgId: string; updatedAt: Date })[] = [];
  const users: (UserRecord & { orgId: string })[] = [];
  const allEvents: (RequestEventRecord & { requestId: string; orgId: string })[] = [];
  const noDb = undefined as unknown as JobDb;
  const clone = <T>(v: T): T => structuredClone(v);
  let seq = 0;
  const push = (orgId: string, requestId: string, events: Parameters<RequestStore['record']>[2]) => {
    for (const e of events) allEvents.push({ ...clone(e), id: randomUUID(), at: new Date(now().getTime() + seq++ / 1000), orgId, requestId });
  };
  const strip = ({ orgId: _o, ...u }: UserRecord & { orgId: string }): UserRecord => clone(u);
  return {
    requests,
    allEvents,
    addEntity: (orgId, entity) => void entities.push({ ...entity, orgId, updatedAt: now() }),
    removeEntity: (id) => void entities.splice(0, entities.length, ...entities.filter((e) => e.id !== id)),
    addUser: (orgId, user) => void users.push({ ...user, orgId }),
    async findFlow(orgId, ref) {
      const e = entities.find((x) => x.orgId === orgId && x.kind === 'flows' && (x.id === ref || x.name?.toLowerCase() === ref.toLowerCase()));
      return e ? clone(e) : null;
    },
    async findEntity(orgId, kind, ref, byName = false) {
      const e = entities.find((x) => x.orgId === orgId && x.kind === kind && (x.id === ref || (byName && x.name?.toLowerCase() === ref.toLowerCase())));
      return e ? clone(e) : null;
    },
    async findUser(orgId, by) {
      const u = users.find((x) => x.orgId === orgId && ('id' in by ? x.id === by.id : x.email === by.email.toLowerCase()));
      return u ? strip(u) : null;
    },
    async create(request, events, newJobs) {
      refuseUnstorable([request, events]);
      const row: RequestRecord = { ...clone(request), createdAt: now(), updatedAt: now() };
      requests.set(row.id, row);
      push(row.orgId, row.id, events);
      for (const job of newJobs) await jobs.enqueue(noDb, job);
      return clone(row);
    },
    async get(orgId, id) {
      const r = requests.get(id);
      return r && r.orgId === orgId ? clone(r) : null;
    },
    async list(orgId, filter) {
      let rows = [...requests.values()].filter(
        (r) => r.orgId === orgId && (!filter.state || r.state === filter.state) && (!filter.flowId || r.flowId === filter.flowId) && (!filter.requesterId || r.requesterId === filter.requesterId),
      );
      rows = rows.reverse();
      if (filter.after) rows = rows.slice(rows.findIndex((r) => r.id === filter.after) + 1);
      return clone(rows.slice(0, filter.limit)).map((r) => ({ ...r, requesterEmail: users.find((u) => u.id === r.requesterId)?.email ?? '' }));
    },
    async events(orgId, requestId) {
      return clone(allEvents.filter((e) => e.orgId === orgId && e.requestId === requestId)).map(({ orgId: _o, requestId: _r, ...e }) => e);
    },
    async transition(t) {
      const r = requests.get(t.requestId);
      if (!r || r.orgId !== t.orgId || !t.from.includes(r.state)) return null;
      refuseUnstorable([t.set, t.events]);
      Object.assign(r, clone(t.set), { updatedAt: now() });
      push(t.orgId, t.requestId, t.events);
      for (const job of t.jobs ?? []) await jobs.enqueue(noDb, job);
      return clone(r);
    },
    async record(orgId, requestId, events, set) {
      refuseUnstorable([events, set]);
      const r = requests.get(requestId);
      if (r && set) Object.assign(r, set);
      push(orgId, requestId, events);
    },
    async enqueue(job) {
      await jobs.enqueue(noDb, job);
    },
  };
}
