/**
 * `kinesis_firehose`: `PutRecordBatch` to the delivery stream `settings.stream_name`, one record
 * per event (JSON plus a newline, so objects Firehose writes to S3 hold one event a line). Records
 * the call refused (`FailedPutCount`) are reported by index and retried alone.
 */
import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { deliveryErrorFromAws } from './aws-sdk-error';
import type { LogSink } from './log-sink';

/** PutRecordBatch takes at most 500 records and 4 MiB. */
export const FIREHOSE_LIMITS = { maxRecords: 500, maxBytes: 4 * 1024 * 1024, recordOverhead: 0 };

/** A sink writing to one Firehose delivery stream. */
export function createFirehoseSink({ client, streamName }: { client: FirehoseClient; streamName: string }): LogSink {
  return {
    limits: FIREHOSE_LIMITS,
    partial: true,
    encode: (event) => `${JSON.stringify(event)}\n`,
    async send(batch) {
      let out;
      try {
        out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: streamName, Records: batch.map((r) => ({ Data: Buffer.from(r.body, 'utf8') })) }));
      } catch (error) {
        throw deliveryErrorFromAws(error, `PutRecordBatch to delivery stream ${streamName}`);
      }
      if (!out.FailedPutCount) return { failed: [] };
      const failed = (out.RequestResponses ?? []).flatMap((r, index) => (r.ErrorCode ? [{ index, error: r.ErrorMessage ? `${r.ErrorCode}: ${r.ErrorMessage}` : r.ErrorCode }] : []));
      return { failed };
    },
  };
}
