/**
 * `kinesis_data_stream`: `PutRecords` to the stream `settings.stream_name`, one record per event,
 * partitioned by request (so one request's events share a shard). Records the call refused
 * (`FailedRecordCount`) are reported by index and retried alone.
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { deliveryErrorFromAws } from './aws-sdk-error';
import type { LogSink } from './log-sink';

/** PutRecords takes at most 500 records and 5 MiB including partition keys (a uuid here: 36 bytes). */
export const KINESIS_LIMITS = { maxRecords: 500, maxBytes: 5 * 1024 * 1024, recordOverhead: 36 };

/** A sink writing to one Kinesis data stream. */
export function createKinesisSink({ client, streamName }: { client: KinesisClient; streamName: string }): LogSink {
  return {
    limits: KINESIS_LIMITS,
    partial: true,
    encode: (event) => JSON.stringify(event),
    async send(batch) {
      let out;
      try {
        out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: batch.map((r) => ({ Data: Buffer.from(r.body, 'utf8'), PartitionKey: r.orderKey })) }));
      } catch (error) {
        throw deliveryErrorFromAws(error, `PutRecords to stream ${streamName}`);
      }
      if (!out.FailedRecordCount) return { failed: [] };
      const failed = (out.Records ?? []).flatMap((r, index) => (r.ErrorCode ? [{ index, error: r.ErrorMessage ? `${r.ErrorCode}: ${r.ErrorMessage}` : r.ErrorCode }] : []));
      return { failed };
    },
  };
}
