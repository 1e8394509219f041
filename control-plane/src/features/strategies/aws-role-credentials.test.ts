// The runtime role (§2 of issue 11) against moto: an environment whose runtime names a
// permission_context integration has its AWS calls (Lambda invocation, Secrets Manager reads)
// signed with that role, assumed with AssumeRole (external id, a session naming the request), the
// credentials cached until five minutes before expiry; without a runtime, the control plane's own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { pino } from 'pino';
import type { StrategyInvocation } from './access-strategy';
import type { AwsCredentials } from './aws-client-config';
import { CREDENTIAL_REFRESH_MARGIN_MS, createAwsCredentialResolver, OWN_CREDENTIALS, roleSessionName, secretSourceCredentials } from './aws-role-credentials';
import type { EntityRecord } from '../../shared/entity-record';
import type { EntityReader } from './integration-loader';
import { createSecretReader } from './secret-reader';
import { createStrategyRegistry } from './strategy-registry';
import { createNativeStrategyRunner, type NativeVendor } from './native-strategy';
import { type AwsFaultProxy, startAwsFaultProxy } from '../../test-support/aws-fault-proxy';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';

const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-runtime';
const SECRETS_ROLE = 'arn:aws:iam::123456789012:role/sym/opensym-secrets';

// Entity ids are UUIDs; readable names keep the fixtures legible.
const ID: Record<string, string> = {};
const id = (name: string) => (ID[name] ??= `00000000-0000-4000-8000-${String(Object.keys(ID).length + 1).padStart(12, '0')}`);
const record = (kind: string, name: string, type: string | null, data: Record<string, unknown>): EntityRecord => ({ id: id(name), kind, type, name, data });
const entities = (records: EntityRecord[]): EntityReader => ({
  findById: async (_org, kind, id) => records.find((r) => r.kind === kind && r.id === id) ?? null,
});

const world = entities([
  record('integrations', 'runtime-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: RUNTIME_ROLE, external_id: 'org-ext-1' } }),
  record('runtimes', 'runtime', null, { context_id: id('runtime-context') }),
  record('environments', 'prod', null, { runtime_id: id('runtime') }),
  record('environments', 'plain', null, {}),
  record('integrations', 'secrets-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: SECRETS_ROLE } }),
  record('integrations', 'no-role', 'permission_context', { external_id: '123456789012', settings: {} }),
  record('runtimes', 'broken-runtime', null, { context_id: id('no-role') }),
  record('environments', 'broken', null, { runtime_id: id('broken-runtime') }),
]);

describe('runtime role and permission contexts (moto)', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let env: Record<string, string>;
  const whoAmI = async (credentials: AwsCredentials) => (await new STSClient({ ...moto.clientConfig, credentials }).send(new GetCallerIdentityCommand({}))).Arn;
  const assumeCalls = () => proxy.calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole');

  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
    env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url };
  });
  after(() => proxy?.close());

  it('assumes the runtime role with the external id and a session naming the request', async () => {
    const resolver = createAwsCredentialResolver({ entities: world, env });
    const before = assumeCalls().length;
    const got = await resolver.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-1') });
    assert.equal(got.principal, RUNTIME_ROLE);
    assert.equal(await whoAmI(got.credentials!), 'arn:aws:sts::123456789012:assumed-role/opensym-runtime/opensym-req-1');
    const [call] = assumeCalls().slice(before);
    const params = new URLSearchParams(call.body);
    assert.deepEqual([params.get('RoleArn'), params.get('ExternalId'), params.get('RoleSessionName'), call.accessKeyId], [RUNTIME_ROLE, 'org-ext-1', 'opensym-req-1', 'testing']);
  });

  it('caches the credentials per role and session until five minutes before they expire', async () => {
    let clock = Date.now();
    const resolver = createAwsCredentialResolver({ entities: world, env, now: () => clock });
    const scope = { orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-cache') };
    const before = assumeCalls().length;
    const first = await resolver.runtime(scope);
    const again = await resolver.runtime(scope);
    assert.equal(again.credentials!.accessKeyId, first.credentials!.accessKeyId);
    assert.equal(assumeCalls().length, before + 1, 'one AssumeRole for both');
    // moto's session credentials last an hour: 55 minutes later they are still usable, just after not.
    clock += 60 * 60_000 - CREDENTIAL_REFRESH_MARGIN_MS - 1_000;
    await resolver.runtime(scope);
    assert.equal(assumeCalls().length, before + 1);
    clock += 2_000;
    const refreshed = await resolver.runtime(scope);
    assert.equal(assumeCalls().length, before + 2, 'refreshed inside the margin');
    assert.notEqual(refreshed.credentials!.accessKeyId, first.credentials!.accessKeyId);
    // Another request gets its own session.
    await resolver.runtime({ ...scope, sessionName: roleSessionName('req-other') });
    assert.equal(assumeCalls().length, before + 3);
  });

  it('without a runtime (or an environment) the control plane signs with its own credentials', async () => {
    const resolver = createAwsCredentialResolver({ entities: world, env });
    for (const environmentId of [id('plain'), 'not-a-uuid', null]) {
      assert.deepEqual(await resolver.runtime({ orgId: 'org', environmentId, sessionName: 's' }), { credentials: undefined, principal: OWN_CREDENTIALS });
    }
  });

  it('a runtime context without role_arn is a final error naming the integration', async () => {
    const resolver = createAwsCredentialResolver({ entities: world, env });
    await assert.rejects(resolver.runtime({ orgId: 'org', environmentId: id('broken'), sessionName: 's' }), (e: Error & { retryable?: boolean }) => {
      assert.match(e.message, /integration no-role \(permission_context\) has no settings\.role_arn/);
      assert.equal(e.retryable, false);
      return true;
    });
  });

  it('reads Secrets Manager secrets as the runtime role, or as the source context_id chained on it', async () => {
    await new SecretsManagerClient(moto.clientConfig).send(new CreateSecretCommand({ Name: 'sym/okta', SecretString: '{"api_token":"okta-123"}' }));
    const resolver = createAwsCredentialResolver({ entities: world, env });
    const reader = createSecretReader({ env });
    const scope = { orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-secret') };
    const read = async (settings: Record<string, string | null>) => {
      const source = { id: 'src', type: 'aws_secrets_manager', settings };
      const credentials = await secretSourceCredentials(resolver, world, scope, source);
      const value = await reader.read({ id: 's', path: 'sym/okta', jsonKey: 'api_token', source }, credentials);
      const call = proxy.calls.filter((c) => c.operation === 'GetSecretValue').at(-1)!;
      return { value, signer: await whoAmI(credentials!), signedWith: call.accessKeyId, key: credentials!.accessKeyId };
    };
    const viaRuntime = await read({});
    assert.equal(viaRuntime.value, 'okta-123');
    assert.equal(viaRuntime.signedWith, viaRuntime.key);
    assert.equal(viaRuntime.signer, 'arn:aws:sts::123456789012:assumed-role/opensym-runtime/opensym-req-secret');
    const viaContext = await read({ context_id: id('secrets-context') });
    assert.equal(viaContext.value, 'okta-123');
    assert.equal(viaContext.signedWith, viaContext.key);
    assert.equal(viaContext.signer, 'arn:aws:sts::123456789012:assumed-role/opensym-secrets/opensym-req-secret');
    // The secrets role was assumed with the runtime role's credentials (role chaining).
    assert.equal(assumeCalls().at(-1)!.accessKeyId, viaRuntime.key);
    // env sources need no AWS credentials at all.
    assert.equal(await secretSourceCredentials(resolver, world, scope, { id: 'e', type: 'env', settings: {} }), undefined);
  });

  it('a Lambda strategy invocation is signed with the runtime role of the flow environment', async () => {
    const registry = createStrategyRegistry({
      entities: world,
      sandbox: { run: () => assert.fail('not a custom strategy') },
      identityCache: { get: async () => undefined, set: async () => {} },
      logger: pino({ level: 'silent' }),
      env,
    });
    const strategy = record('access-strategies', 'lambda', 'aws_lambda', { settings: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:grant' } });
    const invocation: StrategyInvocation = {
      orgId: 'org',
      requestId: 'req-lambda',
      idempotencyKey: 'escalate:req-lambda',
      action: 'escalate',
      strategy,
      target: null,
      event: { user: { email: 'alice@example.com' }, payload: { fields: {} }, flow: { id: 'flow', environment_id: id('prod') } },
    };
    // moto has no such function (and cannot run one without Docker): what matters is who called.
    await registry
      .runnerFor(strategy)
      .escalate(invocation)
      .catch(() => undefined);
    const invoke = proxy.calls.filter((c) => c.service === 'lambda').at(-1)!;
    assert.match(invoke.operation, /^POST \/2015-03-31\/functions\/.*grant\/invocations$/);
    assert.match(invoke.accessKeyId, /^ASIA/);
    const assumed = assumeCalls().at(-1)!;
    assert.equal(new URLSearchParams(assumed.body).get('RoleSessionName'), 'opensym-req-lambda');
  });

  it("a native strategy's vendor credential in Secrets Manager is read as the runtime role of the flow environment", async () => {
    await new SecretsManagerClient(moto.clientConfig).send(new CreateSecretCommand({ Name: 'sym/vendor-token', SecretString: 'vendor-token-1' }));
    const records = [
      record('secret-sources', 'asm', 'aws_secrets_manager', { type: 'aws_secrets_manager', settings: {} }),
      record('secrets', 'vendor-token', null, { path: 'sym/vendor-token', source_id: id('asm') }),
      record('integrations', 'vendor', 'okta', { external_id: 'x', settings: { api_token_secret: id('vendor-token') } }),
    ];
    const reader: EntityReader = { findById: async (org, kind, key) => records.find((r) => r.kind === kind && r.id === key) ?? world.findById(org, kind, key) };
    let token = '';
    const vendor: NativeVendor = {
      label: 'Vendor',
      targetTypes: ['okta_group'],
      identityService: 'vendor',
      async connect(context) {
        token = await context.secret('api_token_secret');
        return { identify: async () => ({ id: 1 }), grant: async () => ({ granted: true }), revoke: async () => ({ granted: false }) };
      },
    };
    const resolver = createAwsCredentialResolver({ entities: reader, env });
    const deps = {
      entities: reader,
      identityCache: { get: async () => undefined, set: async () => {} },
      secrets: createSecretReader({ env }),
      logger: pino({ level: 'silent' }),
      env,
      credentials: resolver,
    };
    const strategy = record('access-strategies', 'native', 'okta', { integration_id: id('vendor') });
    const target = record('access-targets', 'group', 'okta_group', { type: 'okta_group', settings: { group_id: 'g' } });
    const invocation: StrategyInvocation = {
      orgId: 'org',
      requestId: 'req-native',
      idempotencyKey: 'escalate:req-native',
      action: 'escalate',
      strategy,
      target,
      event: { user: { email: 'alice@example.com' }, payload: { fields: {} }, flow: { id: 'flow', environment_id: id('prod') } },
    };
    await createNativeStrategyRunner(deps, vendor, strategy).escalate(invocation);
    assert.equal(token, 'vendor-token-1');
    const read = proxy.calls.filter((c) => c.operation === 'GetSecretValue').at(-1)!;
    const assumed = assumeCalls().at(-1)!;
    assert.equal(new URLSearchParams(assumed.body).get('RoleSessionName'), 'opensym-req-native');
    assert.equal(new URLSearchParams(assumed.body).get('RoleArn'), RUNTIME_ROLE);
    // The key moto saw is the runtime role's session for this request (the resolver's cached answer).
    const runtime = await resolver.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('req-native') });
    assert.equal(read.accessKeyId, runtime.credentials!.accessKeyId);
    assert.equal(await whoAmI(runtime.credentials!), 'arn:aws:sts::123456789012:assumed-role/opensym-runtime/opensym-req-native');
  });
});
