// `aws_sso` strategies through the whole request lifecycle (API, PGlite, job queue) against moto:
// the account assignment or group membership appears in moto when the request is approved and is
// gone after expiry or revocation; AWS calls are signed with the environment's runtime role
// chained with the strategy's permission context; throttling and 5xx are retried; AccessDenied
// and unknown users fail the request with their message when nothing can have been granted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateGroupCommand, CreateUserCommand, GetGroupMembershipIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsLifecycle, startAwsLifecycle } from './aws-lifecycle-fixture';

const ACCOUNT = '111111111111';
const RUNTIME_ROLE = 'arn:aws:iam::123456789012:role/opensym-runtime';
const SSO_ROLE = 'arn:aws:iam::123456789012:role/sym/opensym-sso-connector';

describe('aws_sso strategy in the request lifecycle (moto)', () => {
  let f: AwsLifecycle;
  let sso: SSOAdminClient;
  let store: IdentitystoreClient;
  let instanceArn: string;
  let storeId: string;
  let permissionSetArn: string;
  let userId: string;
  let groupId: string;

  /** The requester's assignments of the permission set in the account. */
  const assignments = async () =>
    ((await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: ACCOUNT, PermissionSetArn: permissionSetArn }))).AccountAssignments ?? []).filter(
      (a) => a.PrincipalId === userId,
    );
  const isMember = async () =>
    store.send(new GetGroupMembershipIdCommand({ IdentityStoreId: storeId, GroupId: groupId, MemberId: { UserId: userId } })).then(
      () => true,
      (e: Error) => (e.name === 'ResourceNotFoundException' ? false : Promise.reject(e)),
    );
  const ssoCalls = (operation: string) => f.proxy.calls.filter((c) => c.service === 'sso' && c.operation === operation);

  before(async () => {
    f = await startAwsLifecycle('dev@example.com');
    sso = new SSOAdminClient(f.moto.clientConfig);
    store = new IdentitystoreClient(f.moto.clientConfig);
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances![0];
    instanceArn = instance.InstanceArn!;
    storeId = instance.IdentityStoreId!;
    permissionSetArn = (await sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'ProdAdmin' }))).PermissionSet!.PermissionSetArn!;
    userId = (
      await store.send(
        new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'dev', DisplayName: 'Dev', Name: { GivenName: 'D', FamilyName: 'Ev' }, Emails: [{ Value: 'dev@example.com', Primary: true }] }),
      )
    ).UserId!;
    groupId = (await store.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'oncall' }))).GroupId!;

    const runtimeContext = await f.create('entities/integrations', {
      type: 'permission_context',
      name: 'runtime',
      external_id: '123456789012',
      settings: { role_arn: RUNTIME_ROLE, external_id: 'org-ext-1' },
    });
    const runtime = await f.create('entities/runtimes', { name: 'main', context_id: runtimeContext });
    const environment = await f.create('entities/environments', { name: 'prod', runtime_id: runtime });
    const ssoContext = await f.create('entities/integrations', { type: 'permission_context', name: 'sso', external_id: instanceArn, settings: { role_arn: SSO_ROLE, instance_arn: instanceArn } });
    const psTarget = await f.create('entities/access-targets', { type: 'aws_sso_permission_set', name: 'prod-admin', settings: { permission_set_arn: permissionSetArn, account_id: ACCOUNT } });
    const groupTarget = await f.create('entities/access-targets', { type: 'aws_sso_group', name: 'oncall', settings: { group_id: groupId } });
    const strategy = await f.create('entities/access-strategies', {
      type: 'aws_sso',
      name: 'sso',
      integration_id: ssoContext,
      targets: [psTarget, groupTarget],
      settings: { instance_arn: instanceArn },
    });
    await f.create('entities/flows', {
      name: 'sso',
      implementation: 'export function on_request(event) {}\n',
      environment_id: environment,
      params: {
        strategy_id: strategy,
        prompt_field: [
          { name: 'reason', type: 'string', required: true },
          { name: 'duration', type: 'duration', required: true },
        ],
      },
    });
  });
  after(async () => {
    await f?.close();
  });

  it('assigns the permission set on approval and removes it at expiry, signed by the chained roles', async () => {
    const callsBefore = f.proxy.calls.length;
    const id = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.equal((await assignments()).length, 1, 'the assignment exists in moto');

    // The runtime role was assumed with the control plane's keys, the SSO connector with the runtime's.
    const calls = f.proxy.calls.slice(callsBefore);
    const assumes = calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole');
    assert.equal(assumes[0].accessKeyId, 'testing');
    assert.match(assumes[1].accessKeyId, /^ASIA/);
    const principal = f.principals.at(-1)!;
    assert.equal(principal.principal, SSO_ROLE);
    const who = await new STSClient({ ...f.moto.clientConfig, credentials: principal.credentials! }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::123456789012:assumed-role/opensym-sso-connector/opensym-${id}`, 'the session names the request');
    const ssoSigned = calls.filter((c) => c.service === 'sso' || c.service === 'identitystore');
    assert.ok(ssoSigned.length >= 3);
    assert.ok(
      ssoSigned.every((c) => c.accessKeyId === principal.credentials!.accessKeyId),
      'every SSO call used the SSO connector role',
    );

    await f.expire(id);
    await f.drain();
    const done = await f.get(id);
    assert.equal(done.state, 'done', JSON.stringify(done));
    assert.deepEqual(await assignments(), [], 'the assignment is gone from moto');
  });

  it('caches the requester identity store id; escalate of an existing assignment adds none', async () => {
    // An earlier attempt assigned it but its answer was lost.
    await sso.send(
      new CreateAccountAssignmentCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, PrincipalId: userId, PrincipalType: 'USER', TargetId: ACCOUNT, TargetType: 'AWS_ACCOUNT' }),
    );
    const creates = ssoCalls('CreateAccountAssignment').length;
    const lookups = f.proxy.calls.filter((c) => c.operation === 'GetUserId').length;
    const id = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.equal(ssoCalls('CreateAccountAssignment').length, creates, 'nothing assigned twice');
    assert.equal((await assignments()).length, 1);
    assert.equal(f.proxy.calls.filter((c) => c.operation === 'GetUserId').length, lookups, 'the user id came from the identity cache');
    await f.revoke(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(await assignments(), []);
  });

  it('deescalating an assignment that is already gone is success', async () => {
    const id = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    await sso.send(
      new DeleteAccountAssignmentCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, PrincipalId: userId, PrincipalType: 'USER', TargetId: ACCOUNT, TargetType: 'AWS_ACCOUNT' }),
    );
    const deletes = ssoCalls('DeleteAccountAssignment').length;
    await f.revoke(id);
    await f.drain();
    const done = await f.get(id);
    assert.equal(done.state, 'done');
    assert.equal(done.last_error, null);
    assert.equal(ssoCalls('DeleteAccountAssignment').length, deletes, 'nothing to delete');
  });

  it('retries throttling and 5xx during escalate and deescalate', async () => {
    f.proxy.failNext({ service: 'sso', operation: 'CreateAccountAssignment' }, { status: 429, code: 'ThrottlingException' });
    f.proxy.failNext({ service: 'sso', operation: 'CreateAccountAssignment' }, { status: 500, code: 'InternalServerException' });
    const id = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(
      ssoCalls('CreateAccountAssignment')
        .slice(-3)
        .map((c) => c.faulted),
      [true, true, false],
    );
    assert.equal((await assignments()).length, 1);

    f.proxy.failNext({ service: 'sso', operation: 'DeleteAccountAssignment' }, { status: 503, code: 'ServiceUnavailableException' });
    f.proxy.failNext({ service: 'sso', operation: 'ListAccountAssignments' }, { status: 429, code: 'ThrottlingException' });
    await f.revoke(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.equal(
      ssoCalls('DeleteAccountAssignment')
        .slice(-2)
        .map((c) => c.faulted)
        .join(),
      'true,false',
    );
    assert.deepEqual(await assignments(), []);
  });

  it('waits for an assignment AWS reports as still in progress, and fails on FAILED with its reason', async () => {
    const inProgress = (body: string) => body.replace('"Status": "SUCCEEDED"', '"Status": "IN_PROGRESS"').replace('"Status":"SUCCEEDED"', '"Status":"IN_PROGRESS"');
    f.proxy.rewriteNext({ service: 'sso', operation: 'CreateAccountAssignment' }, inProgress);
    f.proxy.rewriteNext({ service: 'sso', operation: 'DescribeAccountAssignmentCreationStatus' }, inProgress);
    const describes = ssoCalls('DescribeAccountAssignmentCreationStatus').length;
    const id = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.equal(ssoCalls('DescribeAccountAssignmentCreationStatus').length, describes + 2, 'polled until SUCCEEDED');
    f.proxy.rewriteNext({ service: 'sso', operation: 'DeleteAccountAssignment' }, inProgress);
    await f.revoke(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.equal(ssoCalls('DescribeAccountAssignmentDeletionStatus').length, 1);
    assert.deepEqual(await assignments(), []);

    f.proxy.rewriteNext({ service: 'sso', operation: 'CreateAccountAssignment' }, (body) => {
      const json = JSON.parse(body) as { AccountAssignmentCreationStatus: Record<string, unknown> };
      json.AccountAssignmentCreationStatus.Status = 'FAILED';
      json.AccountAssignmentCreationStatus.FailureReason = 'the permission set is not provisioned in the account';
      return JSON.stringify(json);
    });
    const failed = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    const event = (await f.get(failed)).events.find((e) => e.type === 'request.escalation_failed');
    assert.match(String(event?.data.error), /AWS could not complete the account assignment creation: the permission set is not provisioned in the account/);
    assert.equal(event?.data.retryable, false);
    // moto did assign it (only the answer said FAILED): the deescalation that follows took it back.
    assert.deepEqual(await assignments(), []);
  });

  it('shows AccessDenied on the request, naming the missing permission and the role, without retrying', async () => {
    f.proxy.failNext(
      { service: 'sso', operation: 'CreateAccountAssignment' },
      { status: 400, code: 'AccessDeniedException', message: 'User is not authorized to perform sso:CreateAccountAssignment' },
    );
    const creates = ssoCalls('CreateAccountAssignment').length;
    const id = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    const failed = await f.get(id);
    // CreateAccountAssignment refused at once granted nothing: the request fails and says why.
    assert.equal(failed.state, 'failed');
    const event = failed.events.find((e) => e.type === 'request.escalation_failed');
    assert.equal(event?.data.retryable, false);
    const error = String(event?.data.error);
    assert.match(error, /missing permission sso:CreateAccountAssignment: AWS denied it to /);
    assert.ok(error.includes(SSO_ROLE), error);
    assert.equal(failed.last_error, error);
    assert.ok(!failed.events.some((e) => e.type === 'request.deescalated'), 'no cleanup of access never given');
    assert.equal(ssoCalls('CreateAccountAssignment').length, creates + 1, 'not retried');
    assert.deepEqual(await assignments(), []);
  });

  it('AccessDenied after AWS accepted the assignment may have granted: the request takes it back', async () => {
    const inProgress = (body: string) => body.replace('"Status": "SUCCEEDED"', '"Status": "IN_PROGRESS"').replace('"Status":"SUCCEEDED"', '"Status":"IN_PROGRESS"');
    f.proxy.rewriteNext({ service: 'sso', operation: 'CreateAccountAssignment' }, inProgress);
    f.proxy.failNext(
      { service: 'sso', operation: 'DescribeAccountAssignmentCreationStatus' },
      { status: 400, code: 'AccessDeniedException', message: 'User is not authorized to perform sso:DescribeAccountAssignmentCreationStatus' },
    );
    const id = await f.requestApproved('sso', 'prod-admin');
    await f.drain();
    const ended = await f.get(id);
    assert.equal(ended.state, 'done', JSON.stringify(ended));
    assert.match(String(ended.events.find((e) => e.type === 'request.escalation_failed')?.data.error), /missing permission sso:DescribeAccountAssignmentCreationStatus/);
    assert.ok(ended.events.some((e) => e.type === 'request.deescalated'));
    assert.deepEqual(await assignments(), [], 'the assignment moto made was taken back');
  });

  it('AccessDenied on CreateGroupMembership fails the request with the missing permission', async () => {
    f.proxy.failNext(
      { service: 'identitystore', operation: 'CreateGroupMembership' },
      { status: 400, code: 'AccessDeniedException', message: 'User is not authorized to perform identitystore:CreateGroupMembership' },
    );
    const id = await f.requestApproved('sso', 'oncall');
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /missing permission identitystore:CreateGroupMembership: AWS denied it to /);
    assert.equal(await isMember(), false);
  });

  it('adds the requester to an aws_sso_group target and removes them on revoke', async () => {
    const id = await f.requestApproved('sso', 'oncall');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.equal(await isMember(), true);
    await f.revoke(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.equal(await isMember(), false);
  });

  it('fails the request with "unknown user", naming the email and the identity store', async () => {
    const sso = new SSOAdminClient(f.moto.clientConfig);
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances![0];
    const ps = (await sso.send(new CreatePermissionSetCommand({ InstanceArn: instance.InstanceArn, Name: 'Stranger' }))).PermissionSet!.PermissionSetArn!;
    const target = await f.create('entities/access-targets', { type: 'aws_sso_permission_set', name: 'ro', settings: { permission_set_arn: ps, account_id: ACCOUNT } });
    const strategy = await f.create('entities/access-strategies', { type: 'aws_sso', name: 'sso-plain', targets: [target], settings: { instance_arn: instance.InstanceArn! } });
    const callsBefore = f.proxy.calls.length;
    const environment = await f.create('entities/environments', { name: 'plain' });
    await f.create('entities/flows', {
      name: 'sso-plain',
      implementation: 'export function on_request(event) {}\n',
      environment_id: environment,
      params: {
        strategy_id: strategy,
        prompt_field: [
          { name: 'reason', type: 'string' },
          { name: 'duration', type: 'duration', required: true },
        ],
      },
    });
    const stranger = await f.person('stranger@example.com');
    const id = await f.requestApproved('sso-plain', 'ro', { as: stranger });
    await f.drain();
    const failed = await f.get(id);
    // Nothing can be granted to a user the identity store does not know: the request fails and says why.
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), new RegExp(`unknown user: no user for stranger@example.com in identity store ${instance.IdentityStoreId}`));
    // No runtime role and no permission context: the control plane's own keys signed every call.
    const calls = f.proxy.calls.slice(callsBefore);
    assert.ok(calls.some((c) => c.operation === 'GetUserId'));
    assert.ok(calls.every((c) => c.accessKeyId === 'testing' && c.service !== 'sts'));
  });
});
