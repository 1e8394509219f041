/**
 * The aws-sso example end to end: `tofu` applies examples/aws-sso (its ARNs and ids pointed at
 * moto's IAM Identity Center) to a control plane on PGlite whose AWS endpoint is moto, then users
 * with their own tokens request access over the HTTP API. Checks that approval assigns the
 * permission set to the requester in moto (signed as the SSO connector role, assumed from the
 * runtime role) and that revocation removes it; and that a target missing a setting its type needs
 * fails `validate` at the attribute. One CLI only, like request-flow. aws_sso's expiry, its 429 and
 * 5xx retries and a refused credential, for both target types, are in native-strategies.e2e.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateUserCommand, IdentitystoreClient, CreateGroupCommand } from '@aws-sdk/client-identitystore';
import { CreatePermissionSetCommand, ListAccountAssignmentsCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { type MotoServer, startMotoServer } from '../../control-plane/src/test-support/moto-server';
import { expectStatus } from '../src/api-call';
import { ControlPlane, progress, setupSuite, Workspace, type CliBinary } from '../src/index';
import { examplesDir } from '../src/paths';
import { startSlackWorkspace, type SlackPerson, type SlackWorkspace } from '../src/slack-workspace';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
const cli: CliBinary | undefined = clis.find((c) => c.flavor === 'tofu') ?? clis[0];
const ACCOUNT = '111111111111';

/** Polls a request until it reaches `state` (each poll checks; no fixed sleep decides anything). */
async function waitForState(cp: ControlPlane, id: string, state: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = await expectStatus(cp, 200, cp.token, 'GET', `/api/v1/requests/${id}`);
    if (last.state === state) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`request ${id} did not reach ${state} within ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${cp.logTail(3000)}`);
}

describe(`aws-sso request · ${cli?.name ?? 'no CLI'} · pglite · moto`, { skip: cli === undefined ? 'no CLI selected' : false, timeout: 10 * 60_000 }, () => {
  let moto: MotoServer;
  let slack: SlackWorkspace;
  let cp: ControlPlane;
  let ws: Workspace | undefined;
  let sso: SSOAdminClient;
  let instanceArn: string;
  let permissionSetArn: string;
  let userId: string;
  // impl.js sends approvals to #aws-access: the requester and a colleague are in it, an outsider
  // is a Slack user who is not.
  const slackPeople: Record<'alice' | 'colleague' | 'outsider', SlackPerson> = {
    alice: { id: 'U0E2EALICE', email: 'alice@example.com' },
    colleague: { id: 'U0E2ECOLL1', email: 'colleague@example.com' },
    outsider: { id: 'U0E2EOUTS1', email: 'outsider@example.com' },
  };

  before(async () => {
    moto = await startMotoServer();
    sso = new SSOAdminClient(moto.clientConfig);
    const store = new IdentitystoreClient(moto.clientConfig);
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances![0]!;
    instanceArn = instance.InstanceArn!;
    permissionSetArn = (await sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'ProdAdmin' }))).PermissionSet!.PermissionSetArn!;
    userId = (
      await store.send(
        new CreateUserCommand({
          IdentityStoreId: instance.IdentityStoreId,
          UserName: 'alice',
          DisplayName: 'Alice',
          Name: { GivenName: 'Alice', FamilyName: 'Example' },
          Emails: [{ Value: 'alice@example.com', Primary: true }],
        }),
      )
    ).UserId!;
    const groupId = (await store.send(new CreateGroupCommand({ IdentityStoreId: instance.IdentityStoreId, DisplayName: 'oncall' }))).GroupId!;
    slack = await startSlackWorkspace(Object.values(slackPeople), { 'aws-access': [slackPeople.alice.email, slackPeople.colleague.email] });
    // The example's Slack integration (team T0123456789) reads its secrets from env secrets.
    cp = await ControlPlane.start({ label: 'aws-sso-request', env: { ...moto.env, ...slack.env } });
    ws = Workspace.fromDirectory(cli!, path.join(examplesDir, 'aws-sso'), { mirror, apiUrl: cp.url, token: cp.token, org: cp.org });
    // The example's placeholders → moto's resources; moto keeps one state per account, so the
    // SSO connector role lives in moto's default account, where the instance is.
    const main = ws
      .read('main.tf')
      .replace('arn:aws:sso:::instance/ssoins-1234567890abcdef', instanceArn)
      .replace('arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef', permissionSetArn)
      .replace('"90676b1e4d-5c3a1f0e-2b7d-4e8a-9f6c-1a2b3c4d5e6f"', JSON.stringify(groupId))
      .replace('arn:aws:iam::210987654321:role/sym/SymSSOConnector', 'arn:aws:iam::123456789012:role/sym/SymSSOConnector');
    ws.write('main.tf', main);
    await ws.ok(['init', ...noInput]);
  });

  after(async () => {
    ws?.dispose();
    await cp?.stop();
    await Promise.all([moto?.close(), slack?.close()]);
  });

  test('a permission set target without account_id fails validate at the attribute', async () => {
    const main = ws!.read('main.tf');
    ws!.write('main.tf', main.replace(`account_id         = "${ACCOUNT}"`, ''));
    const failed = await ws!.fails(['validate', '-no-color']);
    ws!.write('main.tf', main);
    const output = failed.stdout + failed.stderr;
    // The schema's rule (map_keys_when) names both settings; the CLI may wrap the line.
    assert.match(output, /need `settings\.permission_set_arn` and\s+`settings\.account_id`/);
    assert.match(output, /sym_target\.prod_admin/);
  });

  test('approve assigns the permission set in moto; revoke removes it', async () => {
    await ws!.ok(['apply', ...noInput, '-auto-approve']);
    const person = async (who: SlackPerson) => {
      const user = await expectStatus(cp, 201, cp.token, 'POST', '/api/v1/users', { email: who.email, role: 'member', identities: { slack: who.id } });
      return { id: user.id as string, token: (await expectStatus(cp, 201, cp.token, 'POST', `/api/v1/users/${user.id}/tokens`, {})).token as string };
    };
    const alice = await person(slackPeople.alice);
    const colleague = await person(slackPeople.colleague);
    const outsider = await person(slackPeople.outsider);
    const assignments = async () =>
      ((await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: ACCOUNT, PermissionSetArn: permissionSetArn }))).AccountAssignments ?? []).filter(
        (a) => a.PrincipalId === userId,
      );

    const created = await expectStatus(cp, 201, alice.token, 'POST', '/api/v1/events/request', {
      flow: 'aws-sso-access',
      flow_inputs: { reason: 'incident 42', duration: '30m', target: 'prod-admin' },
    });
    const id = created.id as string;
    // slack.channel('#aws-access', { allow_self: false }): the channel's members but the requester,
    // known once the approval message is posted there.
    await slack.approvalPosted('#aws-access', id, slackPeople.alice);
    await expectStatus(cp, 403, alice.token, 'POST', `/api/v1/requests/${id}/approve`, {});
    await expectStatus(cp, 403, outsider.token, 'POST', `/api/v1/requests/${id}/approve`, {});
    await expectStatus(cp, 200, colleague.token, 'POST', `/api/v1/requests/${id}/approve`, {});
    const active = await waitForState(cp, id, 'active');
    assert.equal((await assignments()).length, 1, 'the assignment exists in moto');
    const escalated = active.events.find((e: { type: string }) => e.type === 'request.escalated');
    assert.equal(escalated?.data?.output?.status, 'assigned', JSON.stringify(escalated));

    await expectStatus(cp, 200, alice.token, 'POST', `/api/v1/requests/${id}/revoke`, { reason: 'fixed' });
    const done = await waitForState(cp, id, 'done');
    assert.deepEqual(await assignments(), [], 'the assignment is gone from moto');
    progress(`    aws-sso: ${done.events.map((e: { type: string }) => e.type).join(' → ')}`);
  });
});
