// Firehose and Kinesis log destinations against moto (an independent implementation of the AWS
// APIs), read back from where the records land: the S3 bucket behind the Firehose delivery
// stream, and the Kinesis stream through GetRecords. A record Kinesis refuses (FailedRecordCount)
// is retried alone, before any later event of its request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { waitFor } from '../../jobs/testing/wait-for';
import { createAwsLogClients, type AwsLogClients } from './sinks/aws-log-clients';
import { setUpDelivery } from './testing/delivery-fixture';
import { sharedMotoServer, type MotoServer } from '../../test-support/moto-server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Delivered {
  id: string;
  type: string;
  /** Null for the organization's events (entities, users, tokens), which every destination gets too. */
  request_id: string | null;
}

describe('firehose and kinesis log destinations (moto)', () => {
  let moto: MotoServer;
  let t: TestControlPlane;
  /** Ids of events whose first PutRecords attempt the test made Kinesis refuse. */
  const refusedOnce: string[] = [];
  let failNextKinesisBatch = false;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });
  const config = () => ({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const trail = async (requestId: string) => {
    const res = await t.request.get(`/api/v1/audit?request_id=${requestId}&limit=200`).set(admin());
    return (res.body.data as Delivered[]).map((e) => e.id).reverse();
  };

  before(async () => {
    moto = await sharedMotoServer();
    const base = createAwsLogClients(moto.env);
    const patched = new WeakSet<KinesisClient>();
    // A partial failure as Kinesis reports it: the first record of a batch is not written and
    // comes back with an ErrorCode, the others are written (moto itself never refuses records).
    const aws: AwsLogClients = {
      firehose: base.firehose,
      kinesis(destination, region, credentials) {
        const client = base.kinesis(destination, region, credentials);
        if (!patched.has(client)) {
          patched.add(client);
          client.middlewareStack.add(
            (next) => async (args) => {
              const input = args.input as { Records?: { Data: Uint8Array }[] };
              if (!failNextKinesisBatch || !input.Records || input.Records.length < 2) return next(args);
              failNextKinesisBatch = false;
              const [victim, ...rest] = input.Records;
              refusedOnce.push((JSON.parse(Buffer.from(victim!.Data).toString('utf8')) as Delivered).id);
              const result = await next({ ...args, input: { ...input, Records: rest } });
              const output = result.output as PutRecordsCommandOutput;
              output.Records = [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000' }, ...(output.Records ?? [])];
              output.FailedRecordCount = (output.FailedRecordCount ?? 0) + 1;
              return result;
            },
            { step: 'initialize', name: 'refuseFirstRecordOnce' },
          );
        }
        return client;
      },
    };
    t = await startTestControlPlane(undefined, { workflow: { jobs: { pollIntervalMs: 10 }, logDelivery: { backoff: { baseMs: 10, maxMs: 50 }, aws } } });
  });
  after(async () => {
    await t?.close();
  });

  it('firehose: every event lands once in the S3 objects of the delivery stream, one JSON line each', async () => {
    const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' };
    assert.equal((await fetch(`${moto.url}/audit-bucket`, { method: 'PUT', headers: auth })).status, 200);
    await new FirehoseClient(config()).send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'audit',
        ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::audit-bucket', RoleARN: 'arn:aws:iam::123456789012:role/firehose', Prefix: 'opensym/' },
      }),
    );
    const d = await setUpDelivery(t, 'firehose', { type: 'kinesis_firehose', settings: { stream_name: 'audit', region: 'us-east-1' } });
    const requests = [await d.request('a'), await d.request('b')];
    t.cp.jobs.start();
    const expected = (await Promise.all(requests.map(trail))).flat();
    const landed = async () => {
      const list = await (await fetch(`${moto.url}/audit-bucket?list-type=2&prefix=opensym/`, { headers: auth })).text();
      const keys = [...list.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!);
      const bodies = await Promise.all(keys.map(async (k) => (await fetch(`${moto.url}/audit-bucket/${k}`, { headers: auth })).text()));
      return bodies.flatMap((b) => b.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Delivered);
    };
    const events = await waitFor('records in S3', async () => {
      const got = (await landed()).filter((e) => e.request_id !== null);
      return got.length >= expected.length ? got : null;
    });
    assert.deepEqual(events.map((e) => e.id).sort(), [...expected].sort(), 'each event once');
    const state = await waitFor('state caught up', async () => {
      const s = await d.state();
      return s.pending === 0 ? s : null;
    });
    const all = await landed();
    assert.equal(new Set(all.map((e) => e.id)).size, all.length, 'organization events once each too');
    assert.equal(state.delivered, all.length);
    await t.cp.jobs.stop();
  });

  it('kinesis: records partitioned by request; a refused record is retried alone and still precedes the later events of its request', async () => {
    const kinesis = new KinesisClient({ ...config(), requestHandler: new NodeHttpHandler() });
    await kinesis.send(new CreateStreamCommand({ StreamName: 'audit-stream', ShardCount: 1 }));
    const d = await setUpDelivery(t, 'kinesis', { type: 'kinesis_data_stream', settings: { stream_name: 'audit-stream' } });
    const requests = [await d.request('a'), await d.request('b'), await d.request('c')];
    failNextKinesisBatch = true;
    t.cp.jobs.start();
    const expected = (await Promise.all(requests.map(trail))).flat();
    const shard = (await kinesis.send(new ListShardsCommand({ StreamName: 'audit-stream' }))).Shards![0]!.ShardId!;
    const readAll = async () => {
      let iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'audit-stream', ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      const out: { event: Delivered; partitionKey: string }[] = [];
      while (iterator) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
        for (const r of page.Records ?? []) out.push({ event: JSON.parse(Buffer.from(r.Data!).toString('utf8')), partitionKey: r.PartitionKey! });
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
      return out;
    };
    const records = await waitFor('records in the stream', async () => {
      const got = (await readAll()).filter((r) => r.event.request_id !== null);
      return got.length >= expected.length ? got : null;
    });
    assert.equal(refusedOnce.length, 1, 'one record was refused');
    assert.deepEqual(records.map((r) => r.event.id).sort(), [...expected].sort(), 'each event once: the refused one only on its retry');
    const all = await readAll();
    assert.equal(all.filter((r) => r.event.id === refusedOnce[0]).length, 1, 'the refused record (whichever it was) written once, on its retry');
    for (const id of requests) {
      assert.deepEqual(
        records.filter((r) => r.event.request_id === id).map((r) => r.event.id),
        await trail(id),
        'in order per request',
      );
    }
    assert.ok(records.every((r) => r.partitionKey === r.event.request_id));
    const state = await waitFor('state caught up', async () => {
      const s = await d.state();
      return s.pending === 0 ? s : null;
    });
    assert.match(String(state.last_error), /1 of \d+ records refused \(first: ProvisionedThroughputExceededException/);
    assert.equal(state.failing, false);
    await t.cp.jobs.stop();
  });
});
