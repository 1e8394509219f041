import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingEvent } from './log-delivery-store';
import { pickBatch } from './pick-batch';
import type { LogSink } from './sinks/log-sink';

const pending = (keys: string[], dataBytes = 0): PendingEvent[] =>
  keys.map((orderKey, i) => ({
    seq: BigInt(i + 1),
    orderKey,
    event: { id: `e${i + 1}`, orgId: 'o', type: 't', actorTokenId: null, actorUserId: null, entityId: null, requestId: orderKey, at: new Date(0), data: { pad: 'x'.repeat(dataBytes) } },
  }));

const sink = (limits: Partial<LogSink['limits']>, partial = false): Pick<LogSink, 'limits' | 'partial' | 'encode'> => ({
  limits: { maxRecords: 500, maxBytes: 1_000_000, recordOverhead: 0, ...limits },
  partial,
  encode: (e) => JSON.stringify(e),
});

const ids = (batch: ReturnType<typeof pickBatch>) => batch.map((r) => r.event.id);

describe('pickBatch', () => {
  it('takes pending events oldest first up to the record limit', () => {
    assert.deepEqual(ids(pickBatch(pending(['a', 'a', 'b', 'c']), sink({ maxRecords: 3 }))), ['e1', 'e2', 'e3']);
  });

  it('stops before the byte limit, counting each record and its overhead', () => {
    const events = pending(['a', 'b', 'c'], 1000);
    const one = Buffer.byteLength(pickBatch(events.slice(0, 1), sink({}))[0]!.body, 'utf8');
    assert.equal(pickBatch(events, sink({ maxBytes: 2 * one + 2 * 36, recordOverhead: 36 })).length, 2);
    assert.equal(pickBatch(events, sink({ maxBytes: 2 * one + 2 * 36 - 1, recordOverhead: 36 })).length, 1);
  });

  it('sends a record over the byte limit alone, so the refusal shows instead of a stall', () => {
    assert.deepEqual(ids(pickBatch(pending(['a', 'b'], 5000), sink({ maxBytes: 100 }))), ['e1']);
  });

  it('for sinks that may refuse part of a call: only the oldest pending event of each request', () => {
    assert.deepEqual(ids(pickBatch(pending(['a', 'a', 'b', 'a', 'c', 'b']), sink({}, true))), ['e1', 'e3', 'e5']);
  });

  it('for all-or-nothing sinks: one request may fill the batch, in order', () => {
    assert.deepEqual(ids(pickBatch(pending(['a', 'a', 'b', 'a']), sink({}))), ['e1', 'e2', 'e3', 'e4']);
  });

  it('carries the event in the API shape', () => {
    const [r] = pickBatch(pending(['req']), sink({}));
    assert.deepEqual(JSON.parse(r!.body), { id: 'e1', type: 't', at: '1970-01-01T00:00:00.000Z', actor: { user_id: null, token_id: null }, entity_id: null, request_id: 'req', data: { pad: '' } });
  });
});
