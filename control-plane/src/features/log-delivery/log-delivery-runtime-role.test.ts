// Issue 11 §2 for log destinations: the Firehose and Kinesis calls of a destination, and the
// Secrets Manager read of its secret, are signed as the runtime role of the environments listing
// it (AssumeRole from the control plane's credentials), not with the control plane's own keys.
// moto answers; the fault proxy in front of it records which access key signed each call, and
// moto's GetCallerIdentity says whose key it is. Environments with different runtime roles
// listing one destination are refused, naming them, before any AWS call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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

const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-log-runtime';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/opensym-other-runtime';
const ID: Record<string, string> = {};
const id = (name: string) => (ID[name] ??= `00000000-0000-4000-8000-${String(Object.keys(ID).length + 1).padStart(12, '0')}`);
const record = (kind: string, name: string, type: string | null, data: Record<string, unknown>): EntityRecord => ({ id: id(name), kind, type, name, data });
const records = [
  record('integrations', 'runtime-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: RUNTIME_ROLE } }),
  record('integrations', 'other-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: OTHER_ROLE } }),
  record('runtimes', 'runtime', null, { context_id: id('runtime-context') }),
  record('runtimes', 'other-runtime', null, { context_id: id('other-context') }),
  record('secret-sources', 'asm', 'aws_secrets_manager', { type: 'aws_secrets_manager', settings: {} }),
  record('secrets', 'headers', null, { path: 'opensym/log-headers', source_id: id('asm'), settings: {} }),
  record('log-destinations', 'firehose', 'kinesis_firehose', { settings: { stream_name: 'role-audit' } }),
  record('log-destinations', 'kinesis', 'kinesis_data_stream', { settings: { stream_name: 'role-audit-stream' } }),
  record('log-destinations', 'http', 'http', { settings: { url: 'http://127.0.0.1:9/never', headers_secret: id('headers') } }),
  record('log-destinations', 'plain-kinesis', 'kinesis_data_stream', { settings: { stream_name: 'role-audit-stream' } }),
  record('log-destinations', 'shared', 'kinesis_data_stream', { settings: { stream_name: 'role-audit-stream' } }),
  // prod and staging share the runtime role; other has another one; plain has none.
  record('environments', 'prod', null, { runtime_id: id('runtime'), log_destination_ids: [id('firehose'), id('kinesis'), id('http'), id('shared')] }),
  record('environments', 'staging', null, { runtime_id: id('runtime'), log_destination_ids: [id('kinesis')] }),
  record('environments', 'other', null, { runtime_id: id('other-runtime'), log_destination_ids: [id('shared')] }),
  record('environments', 'plain', null, { log_destination_ids: [id('plain-kinesis')] }),
];
const entities: EntityReader = { findById: async (_org, kind, key) => records.find((r) => r.kind === kind && r.id === key) ?? null };
/** The entity store's `referrers`: entities whose references point at `target` (here: `log_destination_ids`). */
const referrers = async (target: string) =>
  records.filter((r) => Array.isArray(r.data.log_destination_ids) && (r.data.log_destination_ids as string[]).includes(target)).map((r) => ({ id: r.id, kind: r.kind }));
const destination = (name: string) => records.find((r) => r.kind === 'log-destinations' && r.name === name)!;

const event = (n: number): DeliveredEvent =>
  ({
    id: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
    type: 'request.created',
    at: new Date().toISOString(),
    actor: { user_id: null, token_id: null },
    entity_id: null,
    request_id: id('prod'),
    data: {},
  }) as unknown as DeliveredEvent;

describe('log destinations and the runtime role (moto)', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let env: Record<string, string>;

  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
    env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url };
    const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' };
    assert.equal((await fetch(`${moto.url}/role-audit-bucket`, { method: 'PUT', headers: auth })).status, 200);
    await new FirehoseClient(moto.clientConfig).send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'role-audit',
        ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::role-audit-bucket', RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
      }),
    );
    await new KinesisClient({ ...moto.clientConfig, requestHandler: new NodeHttpHandler() }).send(new CreateStreamCommand({ StreamName: 'role-audit-stream', ShardCount: 1 }));
    await new SecretsManagerClient(moto.clientConfig).send(new CreateSecretCommand({ Name: 'opensym/log-headers', SecretString: '{"x-audit-key":"k"}' }));
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
  /** Sends two events through the destination's sink; returns the access key that signed the call. */
  const deliver = async (sinks: ReturnType<typeof setUp>['sinks'], name: string, operation: string) => {
    const sink = await sinks('org', destination(name));
    const batch = [event(1), event(2)].map((e) => ({ event: e, body: sink.encode(e), orderKey: String(e.id) }));
    assert.deepEqual((await sink.send(batch)).failed, []);
    return proxy.calls.filter((c) => c.operation === operation).at(-1)!.accessKeyId;
  };
  /** Whose key that is, as moto sees it. */
  const whoIs = async (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined) =>
    (await new STSClient({ ...moto.clientConfig, ...(credentials && { credentials }) }).send(new GetCallerIdentityCommand({}))).Arn;

  for (const [name, operation] of [
    ['firehose', 'PutRecordBatch'],
    ['kinesis', 'PutRecords'],
  ] as const) {
    it(`${name}: ${operation} is signed as the runtime role of the environments listing it, in a session naming the destination`, async () => {
      const { credentials, sinks } = setUp();
      const signedWith = await deliver(sinks, name, operation);
      const assumed = proxy.calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole').at(-1);
      assert.ok(assumed, 'AssumeRole was called');
      const params = new URLSearchParams(assumed.body);
      assert.deepEqual([params.get('RoleArn'), params.get('RoleSessionName'), assumed.accessKeyId], [RUNTIME_ROLE, destinationSessionName(id(name)), 'testing']);
      // The resolver's cached answer for that scope is the key the call was signed with; moto names its principal.
      const runtime = await credentials.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: destinationSessionName(id(name)) });
      assert.notEqual(signedWith, 'testing', "not the control plane's own key");
      assert.equal(signedWith, runtime.credentials!.accessKeyId);
      assert.equal(await whoIs(runtime.credentials), `arn:aws:sts::123456789012:assumed-role/opensym-log-runtime/${destinationSessionName(id(name))}`);
    });
  }

  it("a destination's secret in Secrets Manager is read as the runtime role", async () => {
    const { credentials, sinks } = setUp();
    await sinks('org', destination('http'));
    const read = proxy.calls.filter((c) => c.operation === 'GetSecretValue').at(-1)!;
    const runtime = await credentials.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: destinationSessionName(id('http')) });
    assert.equal(read.accessKeyId, runtime.credentials!.accessKeyId, 'the secret read was signed with the assumed role, not the control plane key');
  });

  it("environments without a runtime role: the control plane's own credentials, as before", async () => {
    const { sinks } = setUp();
    assert.equal(await deliver(sinks, 'plain-kinesis', 'PutRecords'), 'testing');
  });

  it('environments with different runtime roles listing one destination are refused, naming them, before any AWS call', async () => {
    const { sinks } = setUp();
    const before = proxy.calls.length;
    await assert.rejects(
      sinks('org', destination('shared')),
      (error: unknown) =>
        error instanceof DeliveryError &&
        error.message.includes(`other (runtime context ${id('other-context')})`) &&
        error.message.includes(`prod (runtime context ${id('runtime-context')})`) &&
        /different AWS runtime roles/.test(error.message),
    );
    assert.equal(proxy.calls.length, before, 'no AWS call');
  });
});
