// Cross-check against moto (an independent implementation of the AWS APIs), started by
// test-support/moto-server.ts (installed by scripts/install-moto.sh; mandatory, never skipped).
// moto cannot run functions without Docker, so this checks the deploy half (create, hash
// comparison, update) and Secrets Manager reads; invocation is covered by the Lambda double.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { pino } from 'pino';
import type { StrategyInvocation } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import { packageLambdaCode } from './lambda-package';
import { managedFunctionName } from './lambda-strategy-runner';
import { createSecretReader } from './secret-reader';
import { createStrategyRegistry } from './strategy-registry';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';

describe('against moto', () => {
  let moto: MotoServer;
  let url: string;
  let credentials: MotoServer['clientConfig']['credentials'];
  const env = () => ({ ...moto.env, SYM_LAMBDA_ROLE_ARN: 'arn:aws:iam::123456789012:role/opensym-lambda' });

  before(async () => {
    moto = await sharedMotoServer();
    url = moto.url;
    credentials = moto.clientConfig.credentials;
    // moto checks that the execution role exists.
    await new IAMClient(moto.clientConfig).send(
      new CreateRoleCommand({
        RoleName: 'opensym-lambda',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      }),
    );
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
