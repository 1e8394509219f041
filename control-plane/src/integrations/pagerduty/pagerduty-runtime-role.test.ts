// Issue 11 §2 for hooks: a PagerDuty API token kept in AWS Secrets Manager is read as the
// environment's runtime role (AssumeRole from the control plane's credentials), not with the
// control plane's own credentials. moto answers; the fault proxy in front of it records which
// access key signed each call, and moto's GetCallerIdentity says whose key it is.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createAwsCredentialResolver, createSecretReader, type EntityReader } from '../../features/strategies';
import type { EntityRecord } from '../../shared/entity-record';
import { type AwsFaultProxy, startAwsFaultProxy } from '../../test-support/aws-fault-proxy';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';
import { type PagerDutyDouble, startPagerDutyDouble } from '../../test-support/pagerduty-double';
import { createPagerDutyHosts, HOOK_SESSION_NAME } from './pagerduty-host';

const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-runtime';
const ID: Record<string, string> = {};
const id = (name: string) => (ID[name] ??= `00000000-0000-4000-9000-${String(Object.keys(ID).length + 1).padStart(12, '0')}`);
const record = (kind: string, name: string, type: string | null, data: Record<string, unknown>): EntityRecord => ({ id: id(name), kind, type, name, data });
const records = [
  record('integrations', 'runtime-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: RUNTIME_ROLE } }),
  record('runtimes', 'runtime', null, { context_id: id('runtime-context') }),
  record('secret-sources', 'asm', 'aws_secrets_manager', { type: 'aws_secrets_manager', settings: {} }),
  record('secrets', 'pd-token', null, { path: 'sym/pagerduty', source_id: id('asm'), settings: { json_key: 'token' } }),
  record('integrations', 'pd', 'pagerduty', { external_id: 'acme.pagerduty.com', settings: { api_token_secret: id('pd-token') } }),
  record('environments', 'prod', null, { runtime_id: id('runtime'), integrations: { pagerduty_id: id('pd') } }),
  record('environments', 'plain', null, { integrations: { pagerduty_id: id('pd') } }),
];
const entities: EntityReader = { findById: async (_org, kind, key) => records.find((r) => r.kind === kind && r.id === key) ?? null };

describe('PagerDuty hook secrets and the runtime role (moto)', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let pd: PagerDutyDouble;
  let env: Record<string, string>;

  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
    env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url };
    pd = await startPagerDutyDouble({
      token: 'pd-token-in-asm',
      users: [{ id: 'PMGR', name: 'Pat Manager', email: 'pat@example.com' }],
      oncalls: [{ userId: 'PMGR', escalationPolicyId: 'EP', scheduleId: 'S1' }],
    });
    await new SecretsManagerClient(moto.clientConfig).send(new CreateSecretCommand({ Name: 'sym/pagerduty', SecretString: '{"token":"pd-token-in-asm"}' }));
  });
  after(async () => {
    await pd?.close();
    await proxy?.close();
  });

  const hosts = (credentials = createAwsCredentialResolver({ entities, env })) =>
    createPagerDutyHosts({
      entities,
      secrets: createSecretReader({ env }),
      credentials,
      users: { findByEmails: async () => [] },
      baseUrl: pd.url,
    });
  const lastRead = () => proxy.calls.filter((c) => c.operation === 'GetSecretValue').at(-1)!;

  it("reads the token as the environment's runtime role, with a session that names OpenSym's hooks", async () => {
    const resolver = createAwsCredentialResolver({ entities, env });
    const client = await hosts(resolver).forEnvironment(
      'org',
      records.find((r) => r.name === 'prod')!,
    );
    await client!.onCall({ schedule: 'S1' });
    const read = lastRead();
    const assumed = proxy.calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole').at(-1);
    assert.ok(assumed, 'AssumeRole was called');
    const params = new URLSearchParams(assumed.body);
    assert.deepEqual([params.get('RoleArn'), params.get('RoleSessionName'), assumed.accessKeyId], [RUNTIME_ROLE, HOOK_SESSION_NAME, 'testing']);
    // The resolver's cached answer for that scope is the key the read was signed with; moto names its principal.
    const runtime = await resolver.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: HOOK_SESSION_NAME });
    assert.equal(read.accessKeyId, runtime.credentials!.accessKeyId, 'the secret read was signed with the assumed role, not the control plane key');
    const arn = (await new STSClient({ ...moto.clientConfig, credentials: runtime.credentials }).send(new GetCallerIdentityCommand({}))).Arn;
    assert.equal(arn, `arn:aws:sts::123456789012:assumed-role/opensym-runtime/${HOOK_SESSION_NAME}`);
    assert.equal(pd.requests.at(-1)!.headers.authorization, 'Token token=pd-token-in-asm');
  });

  it("without a runtime the control plane's own credentials read it, as before", async () => {
    const client = await hosts().forEnvironment(
      'org',
      records.find((r) => r.name === 'plain')!,
    );
    await client!.onCall({ schedule: 'S1' });
    assert.equal(lastRead().accessKeyId, 'testing');
  });
});
