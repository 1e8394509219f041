/** What every log destination type implements: how one event is encoded, how many fit a call, and the call. */
import type { DeliveredEvent } from '../delivered-event';

/** Limits of one call to the destination. */
export interface BatchLimits {
  /** Most records per call (e.g. Firehose PutRecordBatch 500). */
  maxRecords: number;
  /** Most bytes of encoded records per call, counting `recordOverhead` for each. */
  maxBytes: number;
  /** Bytes a record adds besides its encoding (separators, partition keys). */
  recordOverhead: number;
}

/** One record of a batch: the event, its encoding and its ordering key (the request id). */
export interface EncodedRecord {
  event: DeliveredEvent;
  body: string;
  orderKey: string;
}

/** The records a destination refused in a call it otherwise accepted (by index in the batch). */
export interface SendOutcome {
  failed: { index: number; error: string }[];
}

/** A destination ready to receive batches. */
export interface LogSink {
  readonly limits: BatchLimits;
  /**
   * True when a call may accept part of a batch (Firehose, Kinesis): then a batch carries at most
   * one event per ordering key, so a refused record never lets a later one of its request pass it.
   */
  readonly partial: boolean;
  encode(event: DeliveredEvent): string;
  /** Resolves with the refused records (empty: all accepted); throws when the whole call failed. */
  send(batch: EncodedRecord[]): Promise<SendOutcome>;
}

/** A failure of a delivery attempt, with a message fit for `lastError` (never a secret). */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}
