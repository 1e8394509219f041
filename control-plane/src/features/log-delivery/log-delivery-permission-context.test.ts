// A Kinesis log destination's `integration_id` (a permission_context, as in Sym's docs) is the role
// its records are put as: assumed with AssumeRole (its external id, a session naming the
// destination) from the control plane's credentials, taking precedence over the runtime role of
// the environments listing it. moto answers; the fault proxy in front of it records which access
// key signed each call, and moto's GetCallerIdentity says whose key it is. An integration these
// types cannot use, or that the other types would ignore, fails the delivery before any AWS call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createAwsCredentialResolver, createSecretReader, type EntityReader } from '../strategies';
import type { EntityRecord } from '../../shared/entity-record';
import { type AwsFaultProxy, startAwsFaultProxy } from '../../test-support/aws-fault-proxy';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';
import type { DeliveredEvent } from './delivered-event';
import { createDestinationAwsScope, destinationSessionName } from './destination-aws-scope';
import { createSinkFactory } from './sink-factory';
import { createAwsLogClients } from './sinks/aws-log-clients';
import { DeliveryError } from './sinks/log-sink';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-ctx-runtime';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/opensym-ctx-other';
const DESTINATION_ROLE = 'arn:aws:iam::123456789012:role/opensym-log-writer';
const FIREHOSE = 'context-audit';
const STREAM = 'context-audit-stream';
const ID: Record<string, string> = {};
const id = (name: string) => (ID[name] ??= `00000000-0000-4000-8000-${String(Object.keys(ID).length + 1).padStart(12, '0')}`);
const record = (kind: string, name: string, type: string | null, data: Record<string, unknown>): EntityRecord => ({ id: id(name), kind, type, name, data });
const records = [
  record('integrations', 'runtime-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: RUNTIME_ROLE } }),
  record('integrations', 'other-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: OTHER_ROLE } }),
  record('integrations', 'log-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: DESTINATION_ROLE, external_id: 'log-ext-1', cloud: 'aws' } }),
  record('integrations', 'no-role', 'permission_context', { external_id: '123456789012', settings: {} }),
  record('integrations', 'segment', 'segment', { external_id: 'workspace', settings: {} }),
  record('runtimes', 'runtime', null, { context_id: id('runtime-context') }),
  record('runtimes', 'other-runtime', null, { context_id: id('other-context') }),
  record('log-destinations', 'firehose', 'kinesis_firehose', { integration_id: id('log-context'), settings: { stream_name: FIREHOSE } }),
  record('log-destinations', 'shared-kinesis', 'kinesis_data_stream', { integration_id: id('log-context'), settings: { stream_name: STREAM } }),
  record('log-destinations', 'plain-kinesis', 'kinesis_data_stream', { integration_id: id('log-context'), settings: { stream_name: STREAM } }),
  record('log-destinations', 'segment-typed', 'kinesis_data_stream', { integration_id: id('segment'), settings: { stream_name: STREAM } }),
  record('log-destinations', 'roleless', 'kinesis_data_stream', { integration_id: id('no-role'), settings: { stream_name: STREAM } }),
  record('log-destinations', 'dangling', 'kinesis_firehose', { integration_id: '00000000-0000-4000-8000-999999999999', settings: { stream_name: FIREHOSE } }),
  record('log-destinations', 'segment-with-integration', 'segment', { integration_id: id('segment'), settings: { write_key_secret: id('unused') } }),
  // prod runs with the runtime role, other with another one: they disagree over shared-kinesis.
  record('environments', 'prod', null, { runtime_id: id('runtime'), log_destination_ids: [id('firehose'), id('shared-kinesis')] }),
  record('environments', 'other', null, { runtime_id: id('other-runtime'), log_destination_ids: [id('shared-kinesis')] }),
  record('environments', 'plain', null, { log_destination_ids: [id('plain-kinesis')] }),
];
const entities: EntityReader = { findById: async (_org, kind, key) => records.find((r) => r.kind === kind && r.id === key) ?? null };
const referrers = async (target: string) =>
  records.filter((r) => Array.isArray(r.data.log_destination_ids) && (r.data.log_destination_ids as string[]).includes(target)).map((r) => ({ id: r.id, kind: r.kind }));
const destination = (name: string) => records.find((r) => r.kind === 'log-destinations' && r.name === name)!;

const event = (n: number): DeliveredEvent =>
  ({
    id: `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`,
    type: 'request.created',
    at: new Date().toISOString(),
    actor: { user_id: null, token_id: null },
    entity_id: null,
    request_id: null,
    data: {},
  }) as unknown as DeliveredEvent;

describe("log destinations' permission_context (moto)", () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let env: Record<string, string>;

  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
    env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url };
    const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' };
    assert.equal((await fetch(`${moto.url}/context-audit-bucket`, { method: 'PUT', headers: auth })).status, 200);
    await new FirehoseClient(moto.clientConfig).send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: FIREHOSE,
        ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::context-audit-bucket', RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
      }),
    );
    await new KinesisClient({ ...moto.clientConfig, requestHandler: new NodeHttpHandler() }).send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
  });
  after(async () => {
    await proxy?.close();
  });

  const setUp = () => {
    const credentials = createAwsCredentialResolver({ entities, env });
    const sinks = createSinkFactory({
      entities,
      secrets: createSecretReader({ env }),
      aws: createAwsLogClients(env),
      credentials,
      scopeOf: createDestinationAwsScope({ entities, referrers }),
    });
    return { credentials, sinks };
  };
  /** Sends two events through the destination's sink; returns the access key that signed the put. */
  const deliver = async (sinks: ReturnType<typeof setUp>['sinks'], name: string, operation: string) => {
    const sink = await sinks('org', destination(name));
    const batch = [event(1), event(2)].map((e) => ({ event: e, body: sink.encode(e), orderKey: String(e.id) }));
    assert.deepEqual((await sink.send(batch)).failed, []);
    return proxy.calls.filter((c) => c.operation === operation).at(-1)!.accessKeyId;
  };
  const assumeCalls = () => proxy.calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole').map((c) => ({ params: new URLSearchParams(c.body), signedWith: c.accessKeyId }));
  /** The key the resolver holds for the destination's context, and whose it is according to moto. */
  const contextKey = async (credentials: ReturnType<typeof setUp>['credentials'], name: string) => {
    const principal = await credentials.forIntegration(
      { orgId: 'org', environmentId: null, sessionName: destinationSessionName(id(name)) },
      records.find((r) => r.name === 'log-context')!,
    );
    const arn = (await new STSClient({ ...moto.clientConfig, credentials: principal.credentials }).send(new GetCallerIdentityCommand({}))).Arn;
    return { key: principal.credentials!.accessKeyId, arn };
  };

  for (const [name, operation, listedBy] of [
    ['firehose', 'PutRecordBatch', 'an environment with a runtime role'],
    ['shared-kinesis', 'PutRecords', 'environments whose runtime roles disagree'],
    ['plain-kinesis', 'PutRecords', 'an environment without a runtime role'],
  ] as const) {
    it(`${name} (listed by ${listedBy}): ${operation} is signed as its permission_context, assumed with its external id`, async () => {
      const { credentials, sinks } = setUp();
      const before = assumeCalls().length;
      const signedWith = await deliver(sinks, name, operation);
      const assumed = assumeCalls().slice(before);
      assert.deepEqual(
        assumed.map((c) => [c.params.get('RoleArn'), c.params.get('ExternalId'), c.params.get('RoleSessionName'), c.signedWith]),
        [[DESTINATION_ROLE, 'log-ext-1', destinationSessionName(id(name)), 'testing']],
        "only the destination's role, assumed from the control plane's credentials",
      );
      const { key, arn } = await contextKey(credentials, name);
      assert.equal(signedWith, key);
      assert.equal(arn, `arn:aws:sts::123456789012:assumed-role/opensym-log-writer/${destinationSessionName(id(name))}`);
    });
  }

  it('an integration_id that is missing, not a permission_context, or without role_arn fails the delivery before any AWS call', async () => {
    const { sinks } = setUp();
    const before = proxy.calls.length;
    for (const [name, message] of [
      ['segment-typed', /integration_id must name a permission_context integration, not segment/],
      ['roleless', /permission_context no-role has no settings\.role_arn/],
      ['dangling', /integration_id 00000000-0000-4000-8000-999999999999 does not exist/],
    ] as const) {
      await assert.rejects(sinks('org', destination(name)), (error: unknown) => error instanceof DeliveryError && message.test(error.message));
    }
    assert.equal(proxy.calls.length, before);
  });

  it('a segment destination stored with an integration_id (before the plan-time rule) fails, naming the attribute, instead of ignoring it', async () => {
    const { sinks } = setUp();
    await assert.rejects(
      sinks('org', destination('segment-with-integration')),
      (error: unknown) => error instanceof DeliveryError && /integration_id is only used by kinesis_firehose and kinesis_data_stream/.test(error.message),
    );
  });
});
