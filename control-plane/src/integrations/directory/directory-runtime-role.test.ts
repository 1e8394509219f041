// Issue 11 §2 for the directory helpers: an Okta token kept in AWS Secrets Manager is read as the
// environment's runtime role (AssumeRole from the control plane's credentials), as strategies and
// the PagerDuty door read theirs. moto answers; the fault proxy in front of it records which access
// key signed each call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAwsCredentialResolver, createSecretReader, roleSessionName, type EntityReader } from '../../features/strategies';
import { startOktaDouble, type OktaDouble } from '../../features/strategies/okta/testing/okta-double';
import type { EntityRecord } from '../../shared/entity-record';
import { type AwsFaultProxy, startAwsFaultProxy } from '../../test-support/aws-fault-proxy';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';
import { createDirectoryHosts } from './directory-hosts';

const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-directory-runtime';
const ID: Record<string, string> = {};
const id = (name: string) => (ID[name] ??= `00000000-0000-4000-9100-${String(Object.keys(ID).length + 1).padStart(12, '0')}`);
const record = (kind: string, name: string, type: string | null, data: Record<string, unknown>): EntityRecord => ({ id: id(name), kind, type, name, data });
const records = [
  record('integrations', 'runtime-context', 'permission_context', { external_id: '123456789012', settings: { role_arn: RUNTIME_ROLE } }),
  record('runtimes', 'runtime', null, { context_id: id('runtime-context') }),
  record('secret-sources', 'asm', 'aws_secrets_manager', { type: 'aws_secrets_manager', settings: {} }),
  record('secrets', 'okta-token', null, { path: 'sym/okta', source_id: id('asm'), settings: { json_key: 'token' } }),
  record('integrations', 'okta', 'okta', { external_id: 'dev-1.okta.com', settings: { api_token_secret: id('okta-token') } }),
  record('environments', 'prod', null, { runtime_id: id('runtime'), integrations: { okta_id: id('okta') } }),
  record('environments', 'plain', null, { integrations: { okta_id: id('okta') } }),
];
const entities: EntityReader = { findById: async (_org, kind, key) => records.find((r) => r.kind === kind && r.id === key) ?? null };

describe('directory helper secrets and the runtime role (moto)', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let okta: OktaDouble;
  let env: Record<string, string>;

  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
    env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url };
    okta = await startOktaDouble();
    okta.addUser({ id: '00u1', login: 'alice@example.com', email: 'alice@example.com' });
    okta.addGroup('00gops', 'ops');
    okta.addMember('00gops', '00u1');
    await new SecretsManagerClient(moto.clientConfig).send(new CreateSecretCommand({ Name: 'sym/okta', SecretString: JSON.stringify({ token: okta.token }) }));
  });
  after(async () => {
    await okta?.close();
    await proxy?.close();
  });

  const doors = (resolver: ReturnType<typeof createAwsCredentialResolver>, environmentId: string) =>
    createDirectoryHosts({
      entities,
      secrets: createSecretReader({ env }),
      credentials: resolver,
      users: { findByEmails: async () => [], findByIdentity: async () => [] },
      identityCache: { get: async () => undefined, set: async () => undefined },
      logger: pino({ level: 'silent' }),
      env: { ...env, SYM_OKTA_API_URL: okta.url },
    }).forEnvironment('org', environmentId);
  const lastRead = () => proxy.calls.filter((c) => c.operation === 'GetSecretValue').at(-1)!;
  const alice = { id: 'u-alice', email: 'alice@example.com' };

  it("reads the vendor token as the environment's runtime role", async () => {
    const resolver = createAwsCredentialResolver({ entities, env });
    assert.equal(await doors(resolver, id('prod')).okta!.isUserInGroup(alice, '00gops'), true);
    const runtime = await resolver.runtime({ orgId: 'org', environmentId: id('prod'), sessionName: roleSessionName('hooks') });
    assert.notEqual(runtime.credentials?.accessKeyId, undefined, 'the environment has a runtime role');
    assert.equal(lastRead().accessKeyId, runtime.credentials!.accessKeyId, 'signed with the assumed role, not the control plane key');
  });

  it("without a runtime the control plane's own credentials read it, as before", async () => {
    assert.equal(await doors(createAwsCredentialResolver({ entities, env }), id('plain')).okta!.isUserInGroup(alice, '00gops'), true);
    assert.equal(lastRead().accessKeyId, 'testing');
  });
});
