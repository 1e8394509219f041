// The AWS sinks' reading of partial failures and whole-call errors, with stand-in clients (the
// calls themselves are checked against moto in log-delivery-moto.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { EncodedRecord } from './log-sink';
import { createFirehoseSink } from './firehose-sink';
import { createKinesisSink } from './kinesis-sink';

const record = (id: string, orderKey = 'req'): EncodedRecord => ({
  event: { id, type: 't', at: '1970-01-01T00:00:00.000Z', actor: { user_id: null, token_id: null }, entity_id: null, request_id: orderKey, data: {} },
  body: `{"id":"${id}"}`,
  orderKey,
});
const client = <T>(send: (command: { input: Record<string, unknown> }) => Promise<unknown>) => ({ send }) as unknown as T;

describe('AWS sinks', () => {
  it('firehose: FailedPutCount → the refused records by index, with their error codes', async () => {
    const sent: unknown[] = [];
    const sink = createFirehoseSink({
      streamName: 'audit',
      client: client<FirehoseClient>(async (c) => {
        sent.push(c.input);
        return { FailedPutCount: 1, RequestResponses: [{ RecordId: 'r1' }, { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }, { RecordId: 'r3' }] };
      }),
    });
    assert.deepEqual(await sink.send([record('a'), record('b'), record('c')]), { failed: [{ index: 1, error: 'ServiceUnavailableException: Slow down.' }] });
    const input = sent[0] as { DeliveryStreamName: string; Records: { Data: Uint8Array }[] };
    assert.equal(input.DeliveryStreamName, 'audit');
    assert.equal(Buffer.from(input.Records[0]!.Data).toString('utf8'), '{"id":"a"}');
  });

  it('kinesis: FailedRecordCount → the refused records by index; partition key is the request', async () => {
    let input: { Records: { PartitionKey: string }[] } | undefined;
    const sink = createKinesisSink({
      streamName: 's',
      client: client<KinesisClient>(async (c) => {
        input = c.input as never;
        return { FailedRecordCount: 2, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' }, { SequenceNumber: '1' }, { ErrorCode: 'InternalFailure' }] };
      }),
    });
    const out = await sink.send([record('a', 'r1'), record('b', 'r2'), record('c', 'r3')]);
    assert.deepEqual(out.failed, [
      { index: 0, error: 'ProvisionedThroughputExceededException: Rate exceeded' },
      { index: 2, error: 'InternalFailure' },
    ]);
    assert.deepEqual(
      input!.Records.map((r) => r.PartitionKey),
      ['r1', 'r2', 'r3'],
    );
  });

  it('a whole-call error is a DeliveryError naming the call and the AWS error', async () => {
    const sink = createKinesisSink({
      streamName: 'missing',
      client: client<KinesisClient>(async () => {
        throw Object.assign(new Error('Stream missing under account 123 not found.'), { name: 'ResourceNotFoundException' });
      }),
    });
    await assert.rejects(sink.send([record('a')]), { name: 'DeliveryError', message: 'PutRecords to stream missing failed: ResourceNotFoundException: Stream missing under account 123 not found.' });
  });
});
