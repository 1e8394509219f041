/** Chooses the next batch from a destination's pending events, within the sink's limits and order rules. */
import { deliveredEvent } from './delivered-event';
import type { PendingEvent } from './log-delivery-store';
import type { EncodedRecord, LogSink } from './sinks/log-sink';

/** A record of the batch and the outbox row it came from. */
export interface BatchRecord extends EncodedRecord {
  seq: bigint;
}

/**
 * Oldest first, until the record count or byte limit is reached (a single record over the byte
 * limit still goes alone, so the destination's refusal shows as the error instead of a stall).
 * For sinks that may accept part of a call, only the oldest pending event of each ordering key
 * is taken, so a refused record is retried before any later event of its request goes out.
 */
export function pickBatch(pending: readonly PendingEvent[], sink: Pick<LogSink, 'limits' | 'partial' | 'encode'>): BatchRecord[] {
  const { maxRecords, maxBytes, recordOverhead } = sink.limits;
  const batch: BatchRecord[] = [];
  const keys = new Set<string>();
  let bytes = 0;
  for (const row of pending) {
    if (batch.length >= maxRecords) break;
    if (sink.partial && keys.has(row.orderKey)) continue;
    const event = deliveredEvent(row.event);
    const body = sink.encode(event);
    const size = Buffer.byteLength(body, 'utf8') + recordOverhead;
    if (batch.length > 0 && bytes + size > maxBytes) break;
    bytes += size;
    keys.add(row.orderKey);
    batch.push({ seq: row.seq, orderKey: row.orderKey, event, body });
  }
  return batch;
}
