// The worker and store on PGlite with a fake sink: one holder per destination (the lease), the
// rerun handshake that keeps an event arriving while the holder lets go from being stranded, a
// crashed job taking its own lease back, and failures scheduling one retry with backoff.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { openDatabase, type Database } from '../../db/database';
import type { ClaimedJob } from '../../jobs';
import { migrationsDir } from '../../jobs/testing/migrations-dir';
import type { EntityRecord } from '../../shared/entity-record';
import { createLogDeliveryStore, LOG_DELIVERY_JOB, type LogDeliveryStore } from './log-delivery-store';
import { createLogDeliveryWorker } from './log-delivery-worker';
import { DeliveryError, type EncodedRecord, type LogSink } from './sinks/log-sink';

describe('log delivery worker (PGlite)', () => {
  let db: Database;
  let store: LogDeliveryStore;
  let orgId: string;
  let destination: EntityRecord;
  const calls: string[][] = [];
  let sendImpl: (batch: EncodedRecord[]) => Promise<{ failed: { index: number; error: string }[] }>;
  const sink: LogSink = {
    limits: { maxRecords: 500, maxBytes: 1_000_000, recordOverhead: 0 },
    partial: false,
    encode: (e) => JSON.stringify(e),
    send: (batch) => sendImpl(batch),
  };
  const job = (id = randomUUID()): ClaimedJob => ({ id, kind: LOG_DELIVERY_JOB, orgId, requestId: null, payload: { destinationId: destination.id }, attempt: 1, maxAttempts: 10 });
  const workerWith = (s: LogDeliveryStore) =>
    createLogDeliveryWorker({ store: s, entities: { findById: async () => destination }, sinks: async () => sink, backoff: () => 60_000, logger: pino({ level: 'silent' }) });

  /** An audit event queued for the destination, as the trigger would queue it. */
  const queueEvent = async (requestId = randomUUID()) => {
    const id = randomUUID();
    await db.prisma.auditEvent.create({ data: { id, orgId, type: 'request.created', actorTokenId: null, entityId: null, requestId, data: {} } });
    await db.prisma.logDeliveryOutbox.create({ data: { destinationId: destination.id, eventId: id, orderKey: requestId } });
    return id;
  };

  before(async () => {
    db = await openDatabase({ memory: true }, migrationsDir);
  });
  after(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    orgId = (await db.prisma.organization.create({ data: { slug: `org-${randomUUID()}` } })).id;
    destination = { id: randomUUID(), kind: 'log-destinations', type: 'http', name: null, data: {} };
    store = createLogDeliveryStore(
      db.prisma,
      async (tx, j) => void (await tx.job.create({ data: { kind: j.kind, orgId: j.orgId ?? null, payload: j.payload as object, runAt: j.runAt, dedupeKey: j.dedupeKey } })),
    );
    calls.length = 0;
    sendImpl = async (batch) => {
      calls.push(batch.map((r) => r.event.id));
      return { failed: [] };
    };
  });

  it('an event queued while the holder lets go is not stranded: the second job marks a rerun and the holder looks again', async () => {
    const first = await queueEvent();
    let late: string | undefined;
    let secondJob: Promise<void> | undefined;
    // Between the holder's last empty read and its release, a new event commits and its job runs.
    const racing: LogDeliveryStore = {
      ...store,
      release: async (destinationId, holder) => {
        if (!late) {
          late = await queueEvent();
          secondJob = workerWith(store)(job());
          await secondJob;
        }
        return store.release(destinationId, holder);
      },
    };
    await workerWith(racing)(job());
    await secondJob;
    assert.deepEqual(calls, [[first], [late!]], 'the second job left its event to the holder, who delivered it');
    const state = await db.prisma.logDeliveryState.findUniqueOrThrow({ where: { destinationId: destination.id } });
    assert.equal(state.leasedBy, null);
    assert.equal(state.rerun, false);
    assert.equal(Number(state.delivered), 2);
  });

  it('one holder at a time; a rerun of the same job (after a crash) takes its lease back; an expired lease is taken over', async () => {
    assert.equal(await store.acquire(orgId, destination.id, 'job-a', 60_000), 'acquired');
    assert.equal(await store.acquire(orgId, destination.id, 'job-b', 60_000), 'busy');
    assert.equal(await store.acquire(orgId, destination.id, 'job-a', 60_000), 'acquired', 'the same job again');
    await db.prisma.logDeliveryState.update({ where: { destinationId: destination.id }, data: { leasedUntil: new Date(Date.now() - 1000) } });
    assert.equal(await store.acquire(orgId, destination.id, 'job-b', 60_000), 'acquired', 'after the lease ran out');
    assert.equal(await store.release(destinationId(), 'job-a'), true, 'a lost lease: nothing to do');
  });
  const destinationId = () => destination.id;

  it('a failure keeps the events, records the error and schedules one retry job; jobs before it leave the work to it', async () => {
    await queueEvent();
    sendImpl = async () => {
      throw new DeliveryError('POST http://x/ answered 503');
    };
    await workerWith(store)(job());
    const state = await db.prisma.logDeliveryState.findUniqueOrThrow({ where: { destinationId: destination.id } });
    assert.equal(state.failures, 1);
    assert.equal(state.lastError, 'POST http://x/ answered 503');
    assert.equal(state.leasedBy, null);
    assert.ok(state.retryAt && state.retryAt.getTime() > Date.now() + 30_000, 'the backoff delay');
    const retries = await db.prisma.job.findMany({ where: { kind: LOG_DELIVERY_JOB, orgId } });
    assert.equal(retries.length, 1);
    assert.equal(retries[0]!.runAt.getTime(), state.retryAt!.getTime());
    assert.equal(await db.prisma.logDeliveryOutbox.count({ where: { destinationId: destination.id } }), 1, 'nothing dropped');
    assert.equal(await store.acquire(orgId, destination.id, 'another-job', 60_000), 'retry_scheduled');
  });

  it('records refused in a partly accepted call stay queued; the accepted ones are done', async () => {
    const [a, b, c] = [await queueEvent(), await queueEvent(), await queueEvent()];
    sendImpl = async (batch) => {
      calls.push(batch.map((r) => r.event.id));
      return { failed: [{ index: 1, error: 'ProvisionedThroughputExceededException: slow down' }] };
    };
    await workerWith(store)(job());
    assert.deepEqual(calls, [[a, b, c]]);
    const left = await db.prisma.logDeliveryOutbox.findMany({ where: { destinationId: destination.id } });
    assert.deepEqual(
      left.map((r) => r.eventId),
      [b],
    );
    const state = await db.prisma.logDeliveryState.findUniqueOrThrow({ where: { destinationId: destination.id } });
    assert.equal(Number(state.delivered), 2);
    assert.match(state.lastError!, /1 of 3 records refused \(first: ProvisionedThroughputExceededException: slow down\)/);
    assert.equal(state.lastEventId, c);
  });

  it('a deleted destination has its queue dropped', async () => {
    await queueEvent();
    await createLogDeliveryWorker({ store, entities: { findById: async () => null }, sinks: async () => sink, backoff: () => 1, logger: pino({ level: 'silent' }) })(job());
    assert.equal(await db.prisma.logDeliveryOutbox.count({ where: { destinationId: destination.id } }), 0);
    assert.deepEqual(calls, []);
  });
});
