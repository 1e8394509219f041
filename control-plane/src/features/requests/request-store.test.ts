// The request store on PGlite: a request without jobs is written with its events in one
// statement; what it returns must be what a later read returns, with the events in order.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type Database } from '../../db/database';
import { createFakeJobQueue } from '../../jobs/fake-job-queue';
import { insertJob, jobInsertCtes } from '../../jobs/job-store';
import { migrationsDir } from '../../jobs/testing/migrations-dir';
import { createRequestStore, type NewRequestEvent, type RequestStore } from './request-store';

describe('request store (PGlite)', () => {
  let dir: string;
  let db: Database;
  let store: RequestStore;
  let orgId: string;
  let userId: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'opensym-request-store-'));
    db = await openDatabase({ dataDir: dir }, migrationsDir);
    store = createRequestStore(db.prisma, createFakeJobQueue());
    const org = await db.prisma.organization.create({ data: { slug: 'store-test' } });
    orgId = org.id;
    userId = (await db.prisma.user.create({ data: { orgId, email: 'req@example.com' } })).id;
  });
  after(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const draft = (state: 'approved' | 'pending') => ({
    id: randomUUID(),
    orgId,
    flowId: randomUUID(),
    flowName: 'auto',
    flowVersion: '2026-01-01T00:00:00.000Z',
    flowSnapshot: { params: { prompt_field: [{ name: 'reason' }] }, implementation: 'x', nested: { a: [1, 'two', null, true] } },
    requesterId: userId,
    fields: { reason: 'it\'s "quoted" ✓' },
    targetId: null,
    durationSeconds: null,
    state,
    decidedById: null,
    reason: null,
    pendingUntil: null,
    activeUntil: null,
    lastError: null,
  });
  const events: NewRequestEvent[] = [
    { type: 'request.created', actorUserId: null, actorTokenId: null, data: { to: 'pending', fields: { reason: 'x' } } },
    { type: 'request.approved', actorUserId: null, actorTokenId: null, data: { from: 'pending', to: 'approved', redirected_by: 'on_request' } },
  ];

  it('writes a request without jobs and its events in one statement, as a read returns them', async () => {
    const input = draft('approved');
    const evs: NewRequestEvent[] = events.map((e, i) => (i === 0 ? { ...e, actorUserId: userId } : e));
    const created = await store.create(input, evs, []);
    assert.deepEqual(await store.get(orgId, input.id), created);
    assert.deepEqual({ ...created, createdAt: undefined, updatedAt: undefined }, { ...input, createdAt: undefined, updatedAt: undefined });
    assert.ok(created.createdAt instanceof Date && created.updatedAt instanceof Date);
    const stored = await store.events(orgId, input.id);
    assert.deepEqual(
      stored.map((e) => ({ type: e.type, actorUserId: e.actorUserId, actorTokenId: e.actorTokenId, data: e.data })),
      evs,
    );
    assert.ok(stored[0]!.at < stored[1]!.at, 'events keep their order');
  });

  it('writes nothing when the statement fails (a duplicate id)', async () => {
    const input = draft('approved');
    await store.create(input, events, []);
    await assert.rejects(store.create({ ...input, flowName: 'again' }, events, []));
    assert.equal((await store.events(orgId, input.id)).length, 2);
    assert.equal((await store.get(orgId, input.id))?.flowName, 'auto');
  });

  it('still writes a request with jobs in a transaction', async () => {
    const input = { ...draft('pending'), pendingUntil: new Date(Date.now() + 60_000) };
    const created = await store.create(input, events.slice(0, 1), [{ kind: 'expire_pending', orgId, requestId: input.id, runAt: input.pendingUntil, dedupeKey: `expire_pending:${input.id}` }]);
    assert.deepEqual(await store.get(orgId, input.id), created);
    assert.equal((await store.events(orgId, input.id)).length, 1);
  });
  it('writes concurrent creates in shared statements (group commit), each with its events and jobs', async () => {
    const queue = createFakeJobQueue();
    let statements = 0;
    // Counts round trips that carry request inserts; a transaction counts once.
    const counting = new Proxy(db.prisma, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key === '$queryRaw' || key === '$transaction') {
          return (...args: unknown[]) => {
            statements++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const grouped = createRequestStore(counting, queue);
    const inputs = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? draft('approved') : { ...draft('pending'), pendingUntil: new Date(Date.now() + 60_000) }));
    const created = await Promise.all(
      inputs.map((input) =>
        grouped.create(
          input,
          input.state === 'approved' ? events : events.slice(0, 1),
          input.state === 'pending' ? [{ kind: 'expire_pending', orgId, requestId: input.id, runAt: input.pendingUntil!, dedupeKey: `expire_pending:${input.id}` }] : [],
        ),
      ),
    );
    assert.ok(statements < inputs.length / 2, `${statements} round trips for ${inputs.length} concurrent creates`);
    for (const [i, input] of inputs.entries()) {
      assert.deepEqual(await store.get(orgId, input.id), created[i]);
      assert.equal((await store.events(orgId, input.id)).length, input.state === 'approved' ? 2 : 1);
    }
    assert.deepEqual(
      queue
        .jobs()
        .map((job) => job.requestId)
        .sort(),
      inputs
        .filter((input) => input.state === 'pending')
        .map((input) => input.id)
        .sort(),
    );
  });

  it('fails only the bad create of a batch that cannot be written', async () => {
    const existing = draft('approved');
    await store.create(existing, events, []);
    const good = [draft('approved'), draft('approved'), draft('approved')];
    const results = await Promise.allSettled([
      store.create(draft('approved'), events, []),
      store.create(good[0]!, events, []),
      store.create({ ...existing, flowName: 'duplicate id' }, events, []),
      store.create(good[1]!, events, []),
      store.create(good[2]!, events, []),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    for (const input of good) assert.equal((await store.events(orgId, input.id)).length, 2);
    assert.equal((await store.get(orgId, existing.id))?.flowName, 'auto');
    assert.equal((await store.events(orgId, existing.id)).length, 2);
  });

  it('applies a transition without jobs in one statement, only from the expected state', async () => {
    const input = { ...draft('pending'), pendingUntil: new Date(Date.now() + 60_000) };
    const created = await store.create(input, events.slice(0, 1), []);
    const approve = {
      orgId,
      requestId: input.id,
      from: ['pending'] as const,
      set: { state: 'approved' as const, decidedById: userId, reason: 'ok ✓', pendingUntil: null },
      events: [{ type: 'request.approved', actorUserId: userId, actorTokenId: null, data: { from: 'pending', to: 'approved' } }],
    };
    const updated = await store.transition(approve);
    assert.ok(updated);
    assert.deepEqual(
      { state: updated.state, decidedById: updated.decidedById, reason: updated.reason, pendingUntil: updated.pendingUntil, fields: updated.fields },
      { state: 'approved', decidedById: userId, reason: 'ok ✓', pendingUntil: null, fields: input.fields },
    );
    assert.ok(updated.updatedAt >= created.updatedAt);
    assert.deepEqual(await store.get(orgId, input.id), updated);
    assert.equal(await store.transition(approve), null, 'no longer pending: nothing applies');
    const stored = await store.events(orgId, input.id);
    assert.deepEqual(
      stored.map((e) => [e.type, e.actorUserId]),
      [
        ['request.created', null],
        ['request.approved', userId],
      ],
    );
    assert.equal(await store.transition({ ...approve, orgId: randomUUID(), from: ['approved'] }), null, 'another organization cannot touch it');
    assert.equal((await store.events(orgId, input.id)).length, 2);
  });
  it('applies a transition with jobs as one statement: its jobs only when it applied, a coalescing job joining the waiting one', async () => {
    let statements = 0;
    // Counts every round trip; a transaction would count as one more each for BEGIN and COMMIT.
    const counting = new Proxy(db.prisma, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key === '$queryRaw' || key === '$executeRaw' || key === '$transaction') {
          return (...args: unknown[]) => {
            statements += key === '$transaction' ? 2 : 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const withSql = createRequestStore(counting, { enqueue: insertJob, insertCtes: jobInsertCtes });
    const input = { ...draft('pending'), pendingUntil: new Date(Date.now() + 60_000) };
    await store.create(input, events.slice(0, 1), []);
    // A sync already waiting for this request: the coalescing job of the transition joins it.
    await insertJob(db.prisma, { kind: 'test_sync', orgId, requestId: input.id, coalesce: true });
    const approve = {
      orgId,
      requestId: input.id,
      from: ['pending'] as const,
      set: { state: 'approved' as const, decidedById: userId, pendingUntil: null },
      events: [{ type: 'request.approved', actorUserId: userId, actorTokenId: null, data: { from: 'pending', to: 'approved' } }],
      jobs: [
        { kind: 'test_escalate', orgId, requestId: input.id, dedupeKey: `test_escalate:${input.id}` },
        { kind: 'test_sync', orgId, requestId: input.id, coalesce: true },
      ],
    };
    const updated = await withSql.transition(approve);
    assert.equal(statements, 1, 'the UPDATE, its event and its jobs in one statement');
    assert.equal(updated?.state, 'approved');
    const jobsOf = async () => (await db.prisma.job.findMany({ where: { requestId: input.id }, orderBy: { kind: 'asc' } })).map((j) => j.kind);
    assert.deepEqual(await jobsOf(), ['test_escalate', 'test_sync'], 'one escalate; the sync joined the waiting one');
    assert.equal(await withSql.transition({ ...approve, jobs: [{ kind: 'test_other', orgId, requestId: input.id }] }), null, 'no longer pending');
    assert.deepEqual(await jobsOf(), ['test_escalate', 'test_sync'], 'a transition that did not apply enqueues nothing');
    assert.deepEqual(
      (await store.events(orgId, input.id)).map((e) => e.type),
      ['request.created', 'request.approved'],
    );
    // Once the waiting sync is claimed (running), a new step's sync is a new job.
    await db.prisma.job.updateMany({ where: { requestId: input.id, kind: 'test_sync' }, data: { state: 'running' } });
    await withSql.transition({ ...approve, from: ['approved'], set: { state: 'active' as never }, events: [], jobs: [{ kind: 'test_sync', orgId, requestId: input.id, coalesce: true }] });
    assert.deepEqual(await jobsOf(), ['test_escalate', 'test_sync', 'test_sync']);
  });
});
