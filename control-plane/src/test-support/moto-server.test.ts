// The moto test set-up itself: the server starts, serves every AWS API the control plane's tests
// use, resets, and the fault proxy in front of it records and injects failures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateGroupCommand, GetGroupCommand, IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsFaultProxy, startAwsFaultProxy } from './aws-fault-proxy';
import { type MotoServer, sharedMotoServer } from './moto-server';

/** A JSON 1.1 call without a client library (Firehose and Kinesis clients belong to the log destinations). */
async function json11(url: string, service: string, target: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('moto test server', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
  });
  after(() => proxy?.close());

  it('serves STS, IAM, SSO Admin, Identity Store, Secrets Manager, Firehose and Kinesis', async () => {
    const sts = new STSClient(moto.clientConfig);
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, moto.accountId);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/runtime', RoleSessionName: 's' }));
    assert.match(assumed.Credentials?.AccessKeyId ?? '', /^ASIA/);
    await new IAMClient(moto.clientConfig).send(new CreateGroupCommand({ GroupName: 'moto-check' }));
    const instances = await new SSOAdminClient(moto.clientConfig).send(new ListInstancesCommand({}));
    assert.equal(instances.Instances?.length, 1, 'moto provides one Identity Center instance');
    const users = await new IdentitystoreClient(moto.clientConfig).send(new ListUsersCommand({ IdentityStoreId: instances.Instances![0].IdentityStoreId }));
    assert.deepEqual(users.Users, []);
    assert.ok(Array.isArray((await new SecretsManagerClient(moto.clientConfig).send(new ListSecretsCommand({}))).SecretList));
    const firehose = await json11(moto.url, 'firehose', 'Firehose_20150804.ListDeliveryStreams', {});
    assert.equal(firehose.status, 200);
    assert.deepEqual(firehose.json.DeliveryStreamNames, []);
    const kinesis = await json11(moto.url, 'kinesis', 'Kinesis_20131202.ListStreams', {});
    assert.equal(kinesis.status, 200);
    assert.deepEqual(kinesis.json.StreamNames, []);
  });

  it('reset forgets every resource', async () => {
    const iam = new IAMClient(moto.clientConfig);
    await iam.send(new CreateGroupCommand({ GroupName: 'before-reset' }));
    await moto.reset();
    await assert.rejects(iam.send(new GetGroupCommand({ GroupName: 'before-reset' })), { name: 'NoSuchEntityException' });
  });

  it('the proxy records service, operation and access key, and injects faults in each protocol', async () => {
    const viaProxy = { ...moto.clientConfig, endpoint: proxy.url, maxAttempts: 1 };
    proxy.failNext({ service: 'iam', operation: 'GetGroup' }, { status: 429, code: 'Throttling' });
    proxy.failNext({ service: 'sso', operation: 'ListInstances' }, { status: 503, code: 'InternalServerException' });
    await assert.rejects(new IAMClient(viaProxy).send(new GetGroupCommand({ GroupName: 'x' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'Throttling');
      assert.equal(e.$metadata?.httpStatusCode, 429);
      return true;
    });
    await assert.rejects(new SSOAdminClient(viaProxy).send(new ListInstancesCommand({})), { name: 'InternalServerException' });
    // Each fault was for one call only: the next ones reach moto.
    assert.equal((await new SSOAdminClient(viaProxy).send(new ListInstancesCommand({}))).Instances?.length, 1);
    assert.deepEqual(
      proxy.calls.map((c) => [c.service, c.operation, c.accessKeyId, c.faulted]),
      [
        ['iam', 'GetGroup', 'testing', true],
        ['sso', 'ListInstances', 'testing', true],
        ['sso', 'ListInstances', 'testing', false],
      ],
    );
  });
});
