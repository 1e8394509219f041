// An aws_lambda strategy's permission_context (its `integration_id`, as in Sym's docs) is the role
// that deploys and invokes the function: assumed with AssumeRole (external id, a session naming the
// request) on top of the environment's runtime role, not read as the function's execution role.
// moto answers STS behind the fault proxy (which records who signed each call); the Lambda double
// runs the function and records the Authorization header of every call, so the tests read the
// access key that signed the invocation and ask moto whose it is.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { pino } from 'pino';
import type { StrategyInvocation } from './access-strategy';
import type { AwsCredentials } from './aws-client-config';
import { createAwsCredentialResolver, roleSessionName } from './aws-role-credentials';
import type { EntityRecord } from '../../shared/entity-record';
import type { EntityReader } from './integration-loader';
import { createStrategyRegistry } from './strategy-registry';
import { type AwsFaultProxy, startAwsFaultProxy } from '../../test-support/aws-fault-proxy';
import { type LambdaDouble, startLambdaDouble } from '../../test-support/lambda-double';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-runtime';
const LAMBDA_ROLE = 'arn:aws:iam::123456789012:role/opensym-lambda-invoker';
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/lambda-execution';
const code = 'export async function handler(event) { return { body: { type: event.type }, errors: [] }; }\n';

const ID: Record<string, string> = {};
const id = (name: string) => (ID[name] ??= `00000000-0000-4000-8000-${String(Object.keys(ID).length + 1).padStart(12, '0')}`);
const record = (kind: string, name: string, type: string | null, data: Record<string, unknown>): EntityRecord => ({ id: id(name), kind, type, name, data });
const records = [
  record('integrations', 'runtime-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: RUNTIME_ROLE } }),
  record('integrations', 'lambda-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: LAMBDA_ROLE, external_id: 'lambda-ext-1', cloud: 'aws', region: 'us-east-1' } }),
  record('integrations', 'slack', 'slack', { external_id: 'T1', settings: {} }),
  record('runtimes', 'runtime', null, { context_id: id('runtime-context') }),
  record('environments', 'prod', null, { runtime_id: id('runtime') }),
  record('environments', 'plain', null, {}),
];
const world: EntityReader = { findById: async (_org, kind, key) => records.find((r) => r.kind === kind && r.id === key) ?? null };

describe('aws_lambda strategies act as their permission_context (moto STS + Lambda double)', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let lambda: LambdaDouble;
  let env: Record<string, string>;
  let arn: string;

  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
    lambda = await startLambdaDouble();
    env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url, AWS_ENDPOINT_URL_LAMBDA: lambda.url, SYM_LAMBDA_ROLE_ARN: EXECUTION_ROLE };
    arn = lambda.register('grant', (event) => ({ body: { type: (event as { type: string }).type }, errors: [] }));
  });
  after(async () => {
    await lambda?.close();
    await proxy?.close();
  });
  beforeEach(() => {
    lambda.calls.length = 0;
  });

  const strategy = (name: string, data: Record<string, unknown>) => record('access-strategies', name, 'aws_lambda', data);
  const invocation = (s: EntityRecord, environment: string, requestId: string): StrategyInvocation => ({
    orgId: 'org',
    requestId,
    idempotencyKey: `escalate:${requestId}`,
    action: 'escalate',
    strategy: s,
    target: null,
    event: { user: { email: 'alice@example.com' }, payload: { fields: {} }, flow: { id: 'flow', environment_id: id(environment) } },
  });
  /** Runs escalate through a registry sharing `resolver`; returns the access key of each Lambda call. */
  const escalate = async (s: EntityRecord, environment: string, requestId: string, resolver = createAwsCredentialResolver({ entities: world, env })) => {
    lambda.calls.length = 0;
    const registry = createStrategyRegistry({
      entities: world,
      sandbox: { run: () => assert.fail('not a custom strategy') },
      identityCache: { get: async () => undefined, set: async () => {} },
      logger: pino({ level: 'silent' }),
      env,
      awsCredentials: resolver,
      lambdaWait: { minDelay: 0.01, maxDelay: 0.05, maxWaitTime: 10 },
    });
    const outcome = await registry.runnerFor(s).escalate(invocation(s, environment, requestId));
    const keys = lambda.calls.map((c) => ({ operation: c.operation, key: /Credential=([^/]+)\//.exec(String(c.headers.authorization))?.[1] }));
    return { outcome, keys, resolver };
  };
  const whoIs = async (credentials: AwsCredentials) => (await new STSClient({ ...moto.clientConfig, credentials }).send(new GetCallerIdentityCommand({}))).Arn;
  const assumeCalls = () => proxy.calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole').map((c) => ({ params: new URLSearchParams(c.body), signedWith: c.accessKeyId }));

  it('invokes as the permission_context role, assumed with its external id in a session naming the request', async () => {
    const s = strategy('by-context', { integration_id: id('lambda-context'), settings: { arn } });
    const before = assumeCalls().length;
    const { outcome, keys, resolver } = await escalate(s, 'plain', 'req-ctx-1');
    assert.deepEqual(outcome.body, { type: 'escalate' });
    const [assumed, ...more] = assumeCalls().slice(before);
    assert.equal(more.length, 0);
    assert.deepEqual(
      [assumed.params.get('RoleArn'), assumed.params.get('ExternalId'), assumed.params.get('RoleSessionName'), assumed.signedWith],
      [LAMBDA_ROLE, 'lambda-ext-1', 'opensym-req-ctx-1', 'testing'],
    );
    // The resolver's cached credentials for that scope are the key the Invoke was signed with; moto names the role.
    const scope = { orgId: 'org', environmentId: id('plain'), sessionName: roleSessionName('req-ctx-1') };
    const principal = await resolver.forIntegration(
      scope,
      records.find((r) => r.name === 'lambda-context')!,
    );
    assert.deepEqual(keys, [{ operation: 'Invoke', key: principal.credentials!.accessKeyId }]);
    assert.notEqual(keys[0].key, 'testing');
    assert.equal(await whoIs(principal.credentials!), 'arn:aws:sts::123456789012:assumed-role/opensym-lambda-invoker/opensym-req-ctx-1');
  });

  it('in an environment with a runtime role, the permission_context is assumed on top of it (role chaining)', async () => {
    const s = strategy('chained', { integration_id: id('lambda-context'), settings: { arn } });
    const before = assumeCalls().length;
    const { keys, resolver } = await escalate(s, 'prod', 'req-ctx-2');
    const calls = assumeCalls().slice(before);
    assert.deepEqual(
      calls.map((c) => c.params.get('RoleArn')),
      [RUNTIME_ROLE, LAMBDA_ROLE],
    );
    const runtime = await resolver.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-ctx-2') });
    assert.equal(calls[1].signedWith, runtime.credentials!.accessKeyId, 'the Lambda role was assumed as the runtime role');
    const [invoke] = keys;
    assert.notEqual(invoke.key, runtime.credentials!.accessKeyId);
    const principal = await resolver.forIntegration(
      { orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-ctx-2') },
      records.find((r) => r.name === 'lambda-context')!,
    );
    assert.equal(invoke.key, principal.credentials!.accessKeyId);
    assert.equal(await whoIs(principal.credentials!), 'arn:aws:sts::123456789012:assumed-role/opensym-lambda-invoker/opensym-req-ctx-2');
  });

  it("naming the runtime's own context assumes it once (no role chained onto itself)", async () => {
    const s = strategy('runtime-context', { integration_id: id('runtime-context'), settings: { arn } });
    const before = assumeCalls().length;
    const { keys, resolver } = await escalate(s, 'prod', 'req-ctx-3');
    assert.deepEqual(
      assumeCalls()
        .slice(before)
        .map((c) => [c.params.get('RoleArn'), c.signedWith]),
      [[RUNTIME_ROLE, 'testing']],
    );
    const runtime = await resolver.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-ctx-3') });
    assert.equal(keys[0].key, runtime.credentials!.accessKeyId);
  });

  it("without a permission_context: the runtime role, else the control plane's own key", async () => {
    const s = strategy('no-context', { settings: { arn } });
    assert.equal((await escalate(s, 'plain', 'req-ctx-4')).keys[0].key, 'testing');
    const { keys, resolver } = await escalate(s, 'prod', 'req-ctx-5');
    const runtime = await resolver.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-ctx-5') });
    assert.equal(keys[0].key, runtime.credentials!.accessKeyId);
  });

  it("deploys code as the permission_context too, with the execution role from settings or SYM_LAMBDA_ROLE_ARN, never the context's role_arn", async () => {
    const s = strategy('deployed', { integration_id: id('lambda-context'), settings: { code } });
    const { keys, resolver } = await escalate(s, 'plain', 'req-ctx-6');
    const principal = await resolver.forIntegration(
      { orgId: 'org', environmentId: id('plain'), sessionName: roleSessionName('req-ctx-6') },
      records.find((r) => r.name === 'lambda-context')!,
    );
    assert.ok(keys.some((k) => k.operation === 'CreateFunction'));
    assert.ok(
      keys.every((k) => k.key === principal.credentials!.accessKeyId),
      JSON.stringify(keys),
    );
    const create = lambda.calls.find((c) => c.operation === 'CreateFunction')!.body as { Role: string };
    assert.equal(create.Role, EXECUTION_ROLE);
  });

  it('an integration that is not a permission_context (or does not exist) is a final error, not a silent fallback', async () => {
    for (const integration_id of [id('slack'), '00000000-0000-4000-8000-999999999999']) {
      const s = strategy(`wrong-${integration_id}`, { integration_id, settings: { arn } });
      await assert.rejects(escalate(s, 'plain', 'req-ctx-7'), (e: Error & { retryable?: boolean }) => {
        assert.match(e.message, /permission_context integration, not slack|does not exist/);
        assert.equal(e.retryable, false);
        return true;
      });
    }
    assert.equal(lambda.calls.length, 0);
  });
});
