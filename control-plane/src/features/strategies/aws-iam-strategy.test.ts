// `aws_iam` strategies through the whole request lifecycle (API, PGlite, job queue) against moto:
// the requester's IAM user is in the target's group while the request is active and out of it
// after expiry or revocation; adding twice and removing a non-member are harmless; throttling and
// 5xx are retried; AccessDenied is shown on the request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AddUserToGroupCommand, CreateGroupCommand, CreateUserCommand, GetGroupCommand, IAMClient, RemoveUserFromGroupCommand } from '@aws-sdk/client-iam';
import { type AwsLifecycle, startAwsLifecycle } from './aws-lifecycle-fixture';
import { iamUserNameCandidates } from './aws-iam-strategy-runner';

const IAM_ROLE = 'arn:aws:iam::123456789012:role/sym/opensym-iam-connector';

describe('aws_iam strategy in the request lifecycle (moto)', () => {
  let f: AwsLifecycle;
  let iam: IAMClient;
  const members = async (group: string) => ((await iam.send(new GetGroupCommand({ GroupName: group }))).Users ?? []).map((u) => u.UserName);
  const iamCalls = (operation: string) => f.proxy.calls.filter((c) => c.service === 'iam' && c.operation === operation);

  before(async () => {
    f = await startAwsLifecycle('dev@example.com');
    iam = new IAMClient(f.moto.clientConfig);
    // The requester's IAM user is named after the local part of the email; `operator` is a stored identity.
    for (const name of ['dev', 'operator']) await iam.send(new CreateUserCommand({ UserName: name }));
    for (const name of ['cloudwatch-readonly', 'break-glass']) await iam.send(new CreateGroupCommand({ GroupName: name }));
    const context = await f.create('entities/integrations', { type: 'permission_context', name: 'iam', external_id: '123456789012', settings: { role_arn: IAM_ROLE } });
    const targets = [
      await f.create('entities/access-targets', { type: 'aws_iam_group', name: 'cloudwatch-readonly', settings: { iam_group: 'cloudwatch-readonly' } }),
      await f.create('entities/access-targets', { type: 'aws_iam_group', name: 'break-glass', settings: { iam_group: 'break-glass' } }),
      await f.create('entities/access-targets', { type: 'aws_iam_group', name: 'missing', settings: { iam_group: 'no-such-group' } }),
    ];
    const strategy = await f.create('entities/access-strategies', { type: 'aws_iam', name: 'iam', integration_id: context, targets });
    const environment = await f.create('entities/environments', { name: 'prod' });
    await f.create('entities/flows', {
      name: 'iam',
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

  it('adds the IAM user to the group on approval and removes it at expiry, as the permission context role', async () => {
    const id = await f.requestApproved('iam', 'cloudwatch-readonly');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(await members('cloudwatch-readonly'), ['dev']);
    const principal = f.principals.at(-1)!;
    assert.equal(principal.principal, IAM_ROLE);
    assert.ok(iamCalls('AddUserToGroup').every((c) => c.accessKeyId === principal.credentials!.accessKeyId));
    await f.expire(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(await members('cloudwatch-readonly'), []);
  });

  it('escalating an existing membership and deescalating a removed one are success', async () => {
    await iam.send(new AddUserToGroupCommand({ GroupName: 'break-glass', UserName: 'dev' }));
    const id = await f.requestApproved('iam', 'break-glass');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(await members('break-glass'), ['dev'], 'one membership');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'break-glass', UserName: 'dev' }));
    await f.revoke(id);
    await f.drain();
    const done = await f.get(id);
    assert.equal(done.state, 'done');
    assert.equal(done.last_error, null);
    assert.deepEqual(await members('break-glass'), []);
  });

  it('retries throttling and 5xx during escalate and deescalate', async () => {
    f.proxy.failNext({ service: 'iam', operation: 'AddUserToGroup' }, { status: 400, code: 'Throttling' });
    f.proxy.failNext({ service: 'iam', operation: 'AddUserToGroup' }, { status: 500, code: 'ServiceFailure' });
    const id = await f.requestApproved('iam', 'cloudwatch-readonly');
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(
      iamCalls('AddUserToGroup')
        .slice(-3)
        .map((c) => c.faulted),
      [true, true, false],
    );
    f.proxy.failNext({ service: 'iam', operation: 'RemoveUserFromGroup' }, { status: 429, code: 'Throttling' });
    await f.revoke(id);
    await f.drain();
    assert.equal((await f.get(id)).state, 'done');
    assert.deepEqual(
      iamCalls('RemoveUserFromGroup')
        .slice(-2)
        .map((c) => c.faulted),
      [true, false],
    );
    assert.deepEqual(await members('cloudwatch-readonly'), []);
  });

  it('shows AccessDenied on the request, naming iam:AddUserToGroup and the role', async () => {
    f.proxy.failNext({ service: 'iam', operation: 'AddUserToGroup' }, { status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:AddUserToGroup' });
    const id = await f.requestApproved('iam', 'cloudwatch-readonly');
    await f.drain();
    const failed = await f.get(id);
    // One refused AddUserToGroup granted nothing: the request fails and says why, as other vendors' do.
    assert.equal(failed.state, 'failed');
    const error = String(failed.events.find((e) => e.type === 'request.escalation_failed')?.data.error);
    assert.match(error, /missing permission iam:AddUserToGroup: AWS denied it to arn:aws:iam::123456789012:role\/sym\/opensym-iam-connector/);
    assert.match(String(failed.last_error), /missing permission iam:AddUserToGroup: AWS denied it to arn:aws:iam::123456789012:role\/sym\/opensym-iam-connector/);
    assert.deepEqual(await members('cloudwatch-readonly'), []);
  });

  it('an unknown group is a final error naming the target setting', async () => {
    const id = await f.requestApproved('iam', 'missing');
    await f.drain();
    const failed = await f.get(id);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.last_error), /unknown group no-such-group/);
    const event = failed.events.find((e) => e.type === 'request.escalation_failed');
    assert.equal(event?.data.retryable, false);
    assert.match(String(event?.data.error), /unknown group no-such-group \(target settings\.iam_group\)/);
  });

  it("uses the requester's stored aws_iam identity before any lookup", async () => {
    const operator = await f.person('ops@example.com', { aws_iam: 'operator' });
    const lookups = iamCalls('GetUser').length;
    const id = await f.requestApproved('iam', 'break-glass', { as: operator });
    await f.drain();
    assert.equal((await f.get(id)).state, 'active');
    assert.deepEqual(await members('break-glass'), ['operator']);
    assert.equal(iamCalls('GetUser').length, lookups, 'no lookup by email');
    await f.revoke(id);
    await f.drain();
    assert.deepEqual(await members('break-glass'), []);
  });

  it('an email maps to IAM user names: the whole address, then its local part', () => {
    assert.deepEqual(iamUserNameCandidates('dev@example.com'), ['dev@example.com', 'dev']);
    assert.deepEqual(iamUserNameCandidates('plain'), ['plain']);
  });
});
