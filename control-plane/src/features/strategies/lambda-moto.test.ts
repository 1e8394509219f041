// Optional cross-check against moto (an independent implementation of the AWS APIs), when
// OPENSYM_TEST_MOTO_SERVER names a `moto_server` executable (pip install 'moto[server]').
// moto cannot run functions without Docker, so this checks the deploy half (create, hash
// comparison, update) and Secrets Manager reads; invocation is covered by the Lambda double.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { pino } from 'pino';
import type { StrategyInvocation } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import { packageLambdaCode } from './lambda-package';
import { managedFunctionName } from './lambda-strategy-runner';
import { createSecretReader } from './secret-reader';
import { createStrategyRegistry } from './strategy-registry';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const motoServer = process.env.OPENSYM_TEST_MOTO_SERVER;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilServing(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('moto_server did not start in time');
}

describe('against moto', { skip: motoServer ? false : 'set OPENSYM_TEST_MOTO_SERVER to a moto_server executable' }, () => {
  let moto: ChildProcess;
  let url: string;
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const env = () => ({
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: url,
    SYM_LAMBDA_ROLE_ARN: 'arn:aws:iam::123456789012:role/opensym-lambda',
  });

  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    moto = spawn(motoServer!, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitUntilServing(url, moto, 30_000);
    // moto checks that the execution role exists; IAM's query API needs no client library.
    const form = new URLSearchParams({
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: 'opensym-lambda',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    const res = await fetch(url, {
      method: 'POST',
      body: form,
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
    });
    assert.equal(res.status, 200, await res.text());
  });
  after(() => {
    moto?.kill();
  });

  it('reads a JSON secret key from Secrets Manager', async () => {
    const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: url, credentials });
    await sm.send(new CreateSecretCommand({ Name: 'sym/api', SecretString: JSON.stringify({ api_key: 'moto-token' }) }));
    const value = await createSecretReader({ env: env() }).read({ id: 's', path: 'sym/api', jsonKey: 'api_key', source: { id: 'src', type: 'aws_secrets_manager', settings: {} } });
    assert.equal(value, 'moto-token');
  });

  it('creates the function and updates changed code; CodeSha256 agrees with the package hash', async () => {
    const id = crypto.randomUUID();
    const strategy = (code: string): EntityRecord => ({ id, kind: 'access-strategies', type: 'aws_lambda', name: 'moto-check', data: { settings: { code } } });
    const invocation = (s: EntityRecord): StrategyInvocation => ({
      orgId: 'org',
      requestId: 'req',
      idempotencyKey: 'escalate:req',
      action: 'escalate',
      strategy: s,
      target: { id: 't', kind: 'access-targets', type: 'custom', name: 't', data: {} },
      event: { user: { email: 'alice@example.com' }, payload: { fields: {} } },
    });
    const deploy = async (code: string) => {
      const s = strategy(code);
      const registry = createStrategyRegistry({
        entities: { findById: async () => null },
        sandbox: { run: () => assert.fail('lambda strategies never run in the sandbox') },
        identityCache: { get: async () => undefined, set: async () => {} },
        logger: pino({ level: 'silent' }),
        env: env(),
        lambdaWait: { minDelay: 0.1, maxDelay: 0.5, maxWaitTime: 30 },
      });
      // The invoke after the deployment fails in moto without Docker; the deployment is what is checked.
      await registry
        .runnerFor(s)
        .escalate(invocation(s))
        .catch(() => undefined);
      const lambda = new LambdaClient({ region: 'us-east-1', endpoint: url, credentials });
      return (await lambda.send(new GetFunctionCommand({ FunctionName: managedFunctionName(s) }))).Configuration!;
    };
    const v1 = 'export async function handler(event) { return { body: 1 }; }\n';
    const created = await deploy(v1);
    assert.equal(created.State, 'Active');
    assert.equal(created.Handler, 'index.handler');
    assert.equal(created.CodeSha256, packageLambdaCode(v1).codeSha256);

    // moto keeps no RevisionId or LastModified to tell an upload apart, so "unchanged" is covered
    // by the Lambda double's call log; here the hashes must agree with moto's own computation.
    const again = await deploy(v1);
    assert.equal(again.CodeSha256, created.CodeSha256);

    const v2 = v1.replace('body: 1', 'body: 2');
    const updated = await deploy(v2);
    assert.equal(updated.CodeSha256, packageLambdaCode(v2).codeSha256, 'changed code was uploaded');
  });
});
