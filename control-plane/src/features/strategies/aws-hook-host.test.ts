// Sym's aws_sso / aws_iam / aws_lambda hook helpers against moto (IAM, Identity Store, SSO Admin,
// STS) and the Lambda double (moto cannot run functions), each hook run through the real sandbox
// in JavaScript and Python. Calls go through the fault proxy, so the tests see which keys signed
// them (the environment's runtime role with the service's permission context on top) and can
// make AWS answer AccessDenied.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AddUserToGroupCommand, CreateGroupCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateGroupCommand as CreateSsoGroupCommand, CreateGroupMembershipCommand, CreateUserCommand as CreateSsoUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { createSandbox, SandboxError, type SymEvent } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import { type AwsFaultProxy, startAwsFaultProxy } from '../../test-support/aws-fault-proxy';
import { type LambdaDouble, startLambdaDouble } from '../../test-support/lambda-double';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';
import type { UserRecord } from '../users/user-store';
import { type AwsHookHostDeps, createAwsHookHost } from './aws-hook-host';
import { type AwsCredentialResolver, type AwsPrincipal, createAwsCredentialResolver } from './aws-role-credentials';
import type { IdentityCacheStore } from './identity-cache-store';
import type { EntityReader } from './integration-loader';

const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-runtime';
const IAM_ROLE = 'arn:aws:iam::123456789012:role/sym/opensym-iam-connector';
const SSO_ROLE = 'arn:aws:iam::123456789012:role/sym/opensym-sso-connector';
const ORG = '00000000-0000-4000-8000-00000000000a';
const USER = '00000000-0000-4000-8000-0000000000u1';
const BO = '00000000-0000-4000-8000-0000000000u2';

// The organization's OpenSym users: Ana's IAM user is stored as her identity (her IAM name is not
// her email); Bo's IAM user name is his email. Carl (IAM) and Dee (identity store) have no account.
const USERS: UserRecord[] = [
  { id: USER, orgId: ORG, email: 'ana@example.com', role: 'member', identities: { aws_iam: 'ana' }, createdAt: new Date(0) },
  { id: BO, orgId: ORG, email: 'bo@example.com', role: 'member', identities: { slack: 'U2' }, createdAt: new Date(0) },
];
const users: AwsHookHostDeps['users'] = {
  findByEmails: async (_org, emails) => USERS.filter((u) => emails.includes(u.email)),
  findByIdentity: async (_org, service, values) => USERS.filter((u) => values.some((v) => v.toLowerCase() === u.identities[service]?.toLowerCase())),
};

const record = (kind: string, id: string, type: string | null, data: Record<string, unknown>): EntityRecord => ({ id, kind, type, name: id, data });

const JS = `
import { aws_sso, aws_iam, aws_lambda } from 'sym/sdk';
export function on_request(event) {
  return {
    iam: aws_iam.is_user_in_group(event.user, { group_name: 'oncall' }),
    iam_other: aws_iam.is_user_in_group(event.user, { group_name: 'auditors' }),
    iam_users: aws_iam.users_in_group({ group_name: 'oncall' }),
    sso: aws_sso.is_user_in_group(event.user, { group_name: 'Admins' }),
    sso_other: aws_sso.is_user_in_group(event.user, { group_name: 'Readers' }),
    sso_users: aws_sso.users_in_group({ group_name: 'Admins' }),
  };
}
export function on_approve(event) {
  return { result: aws_lambda.invoke(event.flow.vars.arn, { who: event.user.email }), queued: aws_lambda.invoke_async(event.flow.vars.arn, { later: true }) };
}
export function on_deny(event) {
  return aws_iam.is_user_in_group(event.user, { group_name: 'no-such-group' });
}
export function after_deny(event) {
  return aws_lambda.invoke(event.flow.vars.failing);
}
`;

const PY = `
from sym.sdk.integrations import aws_sso, aws_iam, aws_lambda

def on_request(event):
    return {
        "iam": aws_iam.is_user_in_group(event.user, group_name="oncall"),
        "iam_other": aws_iam.is_user_in_group(event.user, group_name="auditors"),
        "iam_users": aws_iam.users_in_group("oncall"),
        "sso": aws_sso.is_user_in_group(event.user, group_name="Admins"),
        "sso_other": aws_sso.is_user_in_group(event.user, group_name="Readers"),
        "sso_users": aws_sso.users_in_group("Admins"),
    }

def on_approve(event):
    return {"result": aws_lambda.invoke(event.flow.vars["arn"], {"who": event.user.email}), "queued": aws_lambda.invoke_async(event.flow.vars["arn"], {"later": True})}

def on_deny(event):
    return aws_iam.is_user_in_group(event.user, group_name="no-such-group")

def after_deny(event):
    return aws_lambda.invoke(event.flow.vars["failing"])
`;

describe('aws_sso, aws_iam and aws_lambda hook helpers (moto, Lambda double, real sandbox)', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let lambda: LambdaDouble;
  let arn: string;
  let failing: string;
  let anaSsoId: string;
  const received: unknown[] = [];
  const principals: Array<{ session: string; integration: string | null; principal: AwsPrincipal }> = [];
  const cache = new Map<string, unknown>();
  const identityCache: IdentityCacheStore = {
    get: async (u, i) => cache.get(`${u}/${i}`) as never,
    set: async (u, i, v) => void cache.set(`${u}/${i}`, v),
  };
  const sandbox = createSandbox();
  let host: (service?: 'lambda') => ReturnType<typeof createAwsHookHost>;

  before(async () => {
    moto = await sharedMotoServer();
    proxy = await startAwsFaultProxy(moto.url);
    lambda = await startLambdaDouble();
    arn = lambda.register('grant', (event) => (received.push(event), { body: { granted: true }, errors: [] }));
    failing = lambda.register('broken', () => {
      throw new Error('table users is locked');
    });
    const iam = new IAMClient(moto.clientConfig);
    await iam.send(new CreateUserCommand({ UserName: 'ana' }));
    await iam.send(new CreateUserCommand({ UserName: 'bo@example.com' }));
    await iam.send(new CreateUserCommand({ UserName: 'carl' }));
    for (const group of ['oncall', 'auditors']) await iam.send(new CreateGroupCommand({ GroupName: group }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'oncall', UserName: 'ana' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'oncall', UserName: 'bo@example.com' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'oncall', UserName: 'carl' }));
    const instance = (await new SSOAdminClient(moto.clientConfig).send(new ListInstancesCommand({}))).Instances![0];
    const store = new IdentitystoreClient(moto.clientConfig);
    const storeId = instance.IdentityStoreId!;
    const ana = await store.send(
      new CreateSsoUserCommand({ IdentityStoreId: storeId, UserName: 'ana', DisplayName: 'Ana', Name: { GivenName: 'A', FamilyName: 'Na' }, Emails: [{ Value: 'ana@example.com', Primary: true }] }),
    );
    const admins = await store.send(new CreateSsoGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Admins' }));
    await store.send(new CreateSsoGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Readers' }));
    await store.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: admins.GroupId!, MemberId: { UserId: ana.UserId! } }));
    const dee = await store.send(
      new CreateSsoUserCommand({ IdentityStoreId: storeId, UserName: 'dee', DisplayName: 'Dee', Name: { GivenName: 'D', FamilyName: 'Ee' }, Emails: [{ Value: 'dee@example.com', Primary: true }] }),
    );
    await store.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: admins.GroupId!, MemberId: { UserId: dee.UserId! } }));
    anaSsoId = ana.UserId!;

    const entities: EntityReader = {
      findById: async (_org, kind, id) =>
        [
          record('integrations', 'runtime-context', 'permission_context', { settings: { role_arn: RUNTIME_ROLE } }),
          record('runtimes', 'runtime', null, { context_id: 'runtime-context' }),
          record('integrations', 'iam-context', 'permission_context', { settings: { role_arn: IAM_ROLE } }),
          record('integrations', 'sso-context', 'permission_context', { settings: { role_arn: SSO_ROLE, instance_arn: instance.InstanceArn! } }),
          record('environments', 'prod', null, { runtime_id: 'runtime', integrations: { aws_iam_id: 'iam-context', aws_sso_context_id: 'sso-context' } }),
        ].find((r) => r.kind === kind && r.id === id) ?? null,
    };
    const env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url };
    const real = createAwsCredentialResolver({ entities, env });
    const credentials: AwsCredentialResolver = {
      runtime: (scope) => real.runtime(scope),
      forIntegration: async (scope, integration) => {
        const principal = await real.forIntegration(scope, integration);
        principals.push({ session: scope.sessionName, integration: integration?.id ?? null, principal });
        return principal;
      },
    };
    host = (service) =>
      createAwsHookHost(
        { entities, identityCache, credentials, users, env: service === 'lambda' ? { ...env, AWS_ENDPOINT_URL_LAMBDA: lambda.url } : env },
        { orgId: ORG, environmentId: 'prod', requestId: 'req-42' },
      );
  });
  after(async () => {
    await sandbox.close();
    await proxy?.close();
    await lambda?.close();
  });

  const event = (): SymEvent => ({
    type: 'request',
    user: { id: USER, email: 'ana@example.com', identities: {} },
    payload: { fields: {} },
    flow: { id: 'f-1', environment_id: 'prod', vars: { arn, failing } },
    run: { id: 'req-42', actors: {} },
  });

  for (const [language, source, filename] of [
    ['JavaScript', JS, 'impl.js'],
    ['Python', PY, 'impl.py'],
  ] as const) {
    const run = (name: string, service?: 'lambda') => sandbox.run({ source, filename, call: { kind: 'hook', name, event: event() }, host: { aws: host(service) }, limits: { cpuMs: 20_000 } });

    it(`${language}: group checks answer from IAM and the identity store (users_in_group as OpenSym users, members without an account left out), signed by each service's role on top of the runtime role`, async () => {
      principals.length = 0;
      const before = proxy.calls.length;
      const result = await run('on_request');
      const sso_users = [{ id: USER, email: 'ana@example.com', username: 'ana@example.com', identities: { aws_iam: 'ana', aws_sso: anaSsoId } }];
      assert.deepEqual(result.value, { iam: true, iam_other: false, iam_users: IAM_USERS, sso: true, sso_other: false, sso_users });
      assert.ok(principals.length > 0);
      for (const p of principals) assert.equal(p.session, 'opensym-req-42');
      assert.deepEqual([...new Set(principals.map((p) => p.principal.principal))].sort(), [IAM_ROLE, SSO_ROLE]);
      const keys = new Set(principals.map((p) => p.principal.credentials!.accessKeyId));
      const calls = proxy.calls.slice(before).filter((c) => c.service === 'iam' || c.service === 'identitystore' || c.service === 'sso');
      assert.ok(calls.length > 0);
      assert.ok(
        calls.every((c) => keys.has(c.accessKeyId)),
        'every AWS call is signed by an assumed role',
      );
      // Assumed once (by the first language's run), then cached until shortly before expiry.
      assert.ok(proxy.calls.some((c) => c.service === 'sts' && c.operation === 'AssumeRole'));
    });

    it(`${language}: aws_lambda.invoke returns the function's result; invoke_async queues it (InvocationType Event)`, async () => {
      received.length = 0;
      const result = await run('on_approve', 'lambda');
      assert.deepEqual(result.value, { result: { body: { granted: true }, errors: [] }, queued: true });
      assert.deepEqual(received, [{ who: 'ana@example.com' }, { later: true }]);
      const invokes = lambda.calls.filter((c) => c.operation === 'Invoke').slice(-2);
      assert.deepEqual(
        invokes.map((c) => c.headers['x-amz-invocation-type']),
        ['RequestResponse', 'Event'],
      );
    });

    it(`${language}: an unknown group, a failing function and AccessDenied are hook errors that say what to fix`, async () => {
      await assert.rejects(run('on_deny'), (error: unknown) => {
        assert.ok(error instanceof SandboxError);
        assert.equal(error.code, 'hook_exception');
        assert.match(error.message, /no IAM group named "no-such-group" \(group_name\)/);
        return true;
      });
      await assert.rejects(run('after_deny', 'lambda'), (error: unknown) => {
        assert.ok(error instanceof SandboxError && error.code === 'hook_exception');
        assert.match(error.message, /the function arn:aws:lambda:us-east-1:123456789012:function:broken failed \(Unhandled\): table users is locked/);
        return true;
      });
      proxy.failNext({ service: 'iam', operation: 'GetGroup' }, { status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:GetGroup' });
      await assert.rejects(run('on_request'), (error: unknown) => {
        assert.ok(error instanceof SandboxError && error.code === 'hook_exception');
        assert.match(error.message, new RegExp(`missing permission iam:GetGroup: AWS denied it to ${IAM_ROLE.replace(/\//g, '\\/')}; allow iam:GetGroup in that role's policy`));
        assert.doesNotMatch(error.message, /testing|SecretAccessKey/i);
        return true;
      });
    });
  }
});

const IAM_USERS = [
  { id: USER, email: 'ana@example.com', username: 'ana@example.com', identities: { aws_iam: 'ana' } },
  { id: BO, email: 'bo@example.com', username: 'bo@example.com', identities: { slack: 'U2', aws_iam: 'bo@example.com' } },
];
