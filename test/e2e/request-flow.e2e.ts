/**
 * Requests through applied examples: `tofu` applies examples/routing-rules and
 * examples/custom-access-strategy to a control plane on PGlite, then users with their own tokens
 * drive requests over the HTTP API. PagerDuty, Secrets Manager, Slack (the examples' workspace, whose
 * #sym-requests members approve custom-access requests) and the custom strategy's third-party API
 * are local doubles; the control plane finds them through its environment. One CLI only: the
 * lifecycle files already cover the CLI matrix; this file covers what happens after apply.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHttpDouble, type HttpDouble } from '../../control-plane/src/sandbox/http-double';
import { startPagerDutyDouble, type PagerDutyDouble } from '../../control-plane/src/test-support/pagerduty-double';
import { startSecretsManagerDouble, type SecretsManagerDouble } from '../../control-plane/src/test-support/secrets-manager-double';
import { apiCall, expectStatus } from '../src/api-call';
import { ControlPlane, progress, replaceOnce, setupSuite, Workspace, type CliBinary } from '../src/index';
import { startSlackWorkspace, type SlackPerson, type SlackWorkspace } from '../src/slack-workspace';
import { examplesDir } from '../src/paths';
import type { AccessRequest } from '@opensym/schemas';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
// OpenTofu when selected (the default); otherwise whichever CLI the filter left.
const cli: CliBinary | undefined = clis.find((c) => c.flavor === 'tofu') ?? clis[0];

// Distinct values, so a leak of either is unambiguous in the server's output.
const apiKey = `e2e-custom-api-key-${process.pid}-${Date.now().toString(36)}`;
const pagerDutyToken = `e2e-pagerduty-token-${process.pid}-${Date.now().toString(36)}`;

/** A request as the API returns it (the schema's type). */
type RequestView = AccessRequest;

/** Polls a request until it reaches `state`; fails with its last view after the deadline. */
async function waitForState(cp: ControlPlane, id: string, state: string, timeoutMs = 60_000): Promise<RequestView> {
  const deadline = Date.now() + timeoutMs;
  let last: RequestView | undefined;
  while (Date.now() < deadline) {
    last = (await expectStatus(cp, 200, cp.token, 'GET', `/api/v1/requests/${id}`)) as RequestView;
    if (last.state === state) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`request ${id} did not reach ${state} within ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${cp.logTail(3000)}`);
}

describe(`requests through the applied examples · ${cli?.name ?? 'no CLI'} · pglite`, { skip: cli === undefined ? 'no CLI selected' : false, timeout: 15 * 60_000 }, () => {
  let pd: PagerDutyDouble;
  let secretsManager: SecretsManagerDouble;
  let thirdParty: HttpDouble;
  let slack: SlackWorkspace;
  let cp: ControlPlane;
  const workspaces: Workspace[] = [];
  const people: Record<'support' | 'manager' | 'colleague' | 'developer' | 'approver', { id: string; token: string }> = {} as never;

  /** Copies an example, applies the given edits, and applies it with the CLI. */
  async function applyExample(example: string, edits: { file: string; from: string; to: string }[] = []): Promise<void> {
    const ws = Workspace.fromDirectory(cli!, path.join(examplesDir, example), { mirror, apiUrl: cp.url, token: cp.token, org: cp.org });
    workspaces.push(ws);
    for (const edit of edits) ws.write(edit.file, replaceOnce(ws.read(edit.file), edit.from, edit.to));
    await ws.ok(['init', ...noInput]);
    await ws.ok(['apply', ...noInput, '-auto-approve']);
  }

  /** A user (with a PagerDuty identity when given) and a token of their own, both through the API. */
  async function person(email: string, role: string, identities: Record<string, string> = {}): Promise<{ id: string; token: string }> {
    const user = await expectStatus(cp, 201, cp.token, 'POST', '/api/v1/users', { email, role, identities });
    const issued = await expectStatus(cp, 201, cp.token, 'POST', `/api/v1/users/${user.id}/tokens`, {});
    assert.equal(typeof issued.token, 'string');
    return { id: user.id, token: issued.token };
  }

  // The Slack users of the examples' workspace: only the lead is in #sym-requests, where
  // custom-access-strategy/impl.js sends its approvals.
  const slackPeople: Record<'developer' | 'approver', SlackPerson> = {
    developer: { id: 'U0E2EDEV01', email: 'dev@example.com' },
    approver: { id: 'U0E2ELEAD1', email: 'lead@example.com' },
  };

  before(async () => {
    slack = await startSlackWorkspace(Object.values(slackPeople), { 'sym-requests': [slackPeople.approver.email] });
    pd = await startPagerDutyDouble({
      token: pagerDutyToken,
      users: [{ id: 'PMGR', name: 'Mo Manager', email: 'manager@support.example.com' }],
      oncalls: [{ userId: 'PMGR', escalationPolicyId: 'EPMGR', scheduleId: 'id_of_mgr_on_call' }],
    });
    secretsManager = await startSecretsManagerDouble('us-east-1');
    // The path examples/custom-access-strategy/main.tf gives its sym_secret.
    secretsManager.put('sym/custom-strategy/api-key', apiKey);
    thirdParty = await startHttpDouble(() => ({ body: { ok: true } }));
    cp = await ControlPlane.start({
      label: 'request-flow',
      env: {
        // Everything the server can say goes into the log the secrecy check reads.
        LOG_LEVEL: 'trace',
        SYM_PAGERDUTY_API_URL: pd.url,
        // routing-rules reads the PagerDuty token from the env secret source.
        SYM_SECRET_PAGERDUTY_API_TOKEN: pagerDutyToken,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDE2EREQUESTFLOW',
        AWS_SECRET_ACCESS_KEY: 'e2e-request-flow-aws-secret',
        // routing-rules' Slack integration (team T0123456789, also the only one custom-access's
        // environment can use) reads its bot token and signing secret from env secrets.
        ...slack.env,
      },
    });
    await applyExample('routing-rules');
    // The seed's third party (https://some-api.invalid) becomes the local double: its URL in the
    // strategy and the integration's allowed_hosts are the only changes.
    await applyExample('custom-access-strategy', [
      { file: 'custom_strategy.js', from: 'https://some-api.invalid/escalate', to: `${thirdParty.url}/escalate` },
      { file: 'custom_strategy.js', from: 'https://some-api.invalid/deescalate', to: `${thirdParty.url}/deescalate` },
      { file: 'main.tf', from: 'allowed_hosts = "some-api.invalid"', to: `allowed_hosts = "${thirdParty.host}"` },
    ]);
    people.support = await person('agent@support.example.com', 'member', { pagerduty: 'PAGENT' });
    people.manager = await person('manager@support.example.com', 'member', { pagerduty: 'PMGR' });
    people.colleague = await person('colleague@support.example.com', 'member', { pagerduty: 'PCOLL' });
    people.developer = await person('dev@example.com', 'member', { slack: slackPeople.developer.id });
    people.approver = await person('lead@example.com', 'member', { slack: slackPeople.approver.id });
  });

  after(async () => {
    for (const ws of workspaces) ws.dispose();
    await cp?.stop();
    await Promise.all([pd?.close(), secretsManager?.close(), thirdParty?.close(), slack?.close()]);
  });

  const askRouting = (token: string, customer_plan: string, is_assigned: boolean) =>
    expectStatus(cp, 201, token, 'POST', '/api/v1/events/request', { flow: 'impersonate-customer', flow_inputs: { customer_plan, is_assigned } });

  test('routing rules: a free-plan request is approved by on_request', async () => {
    const created = await askRouting(people.support.token, 'free', false);
    assert.equal(created.state, 'approved');
    const view = await expectStatus(cp, 200, people.support.token, 'GET', `/api/v1/requests/${created.id}`);
    assert.deepEqual(
      view.events.map((e: { type: string }) => e.type),
      ['request.created', 'request.approved'],
    );
    assert.equal(view.events[1].data.redirected_by, 'on_request');
  });

  test('routing rules: an assigned user approves their own request', async () => {
    const created = await askRouting(people.support.token, 'pro', true);
    assert.equal(created.state, 'pending');
    const approved = await expectStatus(cp, 200, people.support.token, 'POST', `/api/v1/requests/${created.id}/approve`, {});
    assert.equal(approved.state, 'approved');
    assert.equal(approved.decided_by, people.support.id);
  });

  test('routing rules: otherwise the on-call manager approves, not the requester (403)', async () => {
    const created = await askRouting(people.support.token, 'enterprise', false);
    assert.equal(created.state, 'pending');
    const asked = pd.requests.length;
    for (const who of [people.support, people.colleague]) {
      const refused = await apiCall(cp, who.token, 'POST', `/api/v1/requests/${created.id}/approve`, {});
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.match(refused.type, /application\/problem\+json/);
      assert.equal(refused.body.code, 'forbidden');
    }
    const pdCalls = pd.requests.slice(asked);
    assert.ok(pdCalls.length > 0, 'the control plane asked the PagerDuty double who is on call');
    assert.ok(
      pdCalls.every((r) => r.headers.authorization === `Token token=${pagerDutyToken}`),
      'with the token from the env secret',
    );
    assert.ok(
      pdCalls.some((r) => r.query.some(([k, v]) => k === 'schedule_ids[]' && v === 'id_of_mgr_on_call')),
      'for the seed schedule',
    );
    const approved = await expectStatus(cp, 200, people.manager.token, 'POST', `/api/v1/requests/${created.id}/approve`, { reason: 'on call' });
    assert.equal(approved.state, 'approved');
    assert.equal(approved.decided_by, people.manager.id);
  });

  test('custom strategy: escalate and deescalate reach the third party with the secret bearer token; revoke ends the grant', async () => {
    const created = await expectStatus(cp, 201, people.developer.token, 'POST', '/api/v1/events/request', { flow: 'custom-access', flow_inputs: { reason: 'e2e' } });
    assert.equal(created.state, 'pending');
    // slack.channel('#sym-requests', ...) admits the channel's members, known once the approval
    // message is posted there.
    await slack.approvalPosted('#sym-requests', created.id, slackPeople.developer);
    // allow_self: false: the requester may not approve their own request; a non-member may not either.
    assert.equal((await apiCall(cp, people.developer.token, 'POST', `/api/v1/requests/${created.id}/approve`, {})).status, 403);
    assert.equal((await apiCall(cp, people.colleague.token, 'POST', `/api/v1/requests/${created.id}/approve`, {})).status, 403);
    await expectStatus(cp, 200, people.approver.token, 'POST', `/api/v1/requests/${created.id}/approve`, {});
    await waitForState(cp, created.id, 'active');

    const posted = (p: string) => thirdParty.requests.filter((r) => r.path === p);
    assert.equal(posted('/escalate').length, 1, 'one escalation call');
    const escalation = posted('/escalate')[0]!;
    assert.equal(escalation.method, 'POST');
    assert.equal(escalation.headers.authorization, `Bearer ${apiKey}`);
    assert.deepEqual(JSON.parse(escalation.body), { user_id: 'dev@example.com', resource_id: 'some-resource' });
    assert.ok(
      secretsManager.calls.some((c) => c.body.SecretId === 'sym/custom-strategy/api-key'),
      'the key came from Secrets Manager',
    );

    const revoked = await expectStatus(cp, 200, people.developer.token, 'POST', `/api/v1/requests/${created.id}/revoke`, {});
    assert.equal(revoked.state, 'deescalating');
    const done = await waitForState(cp, created.id, 'done');
    assert.equal(posted('/deescalate').length, 1, 'one deescalation call');
    const deescalation = posted('/deescalate')[0]!;
    assert.equal(deescalation.headers.authorization, `Bearer ${apiKey}`);
    assert.deepEqual(JSON.parse(deescalation.body), { user_id: 'dev@example.com', resource_id: 'some-resource' });
    const types = done.events!.map((e) => e.type);
    for (const type of ['request.created', 'request.approved', 'request.escalated', 'request.revoked', 'request.deescalated']) {
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    }
    progress(`    custom strategy: ${types.join(' → ')}`);
  });

  test('the secrets appear nowhere in the control plane output, the API answers or the audit trail', async () => {
    const log = cp.logTail(Number.MAX_SAFE_INTEGER);
    assert.match(log, /"msg":"listening"/, 'the check reads the server log');
    const requests = await expectStatus(cp, 200, cp.token, 'GET', '/api/v1/requests?limit=100');
    const details = await Promise.all(requests.data.map((r: { id: string }) => expectStatus(cp, 200, cp.token, 'GET', `/api/v1/requests/${r.id}`)));
    const audit = await expectStatus(cp, 200, cp.token, 'GET', '/api/v1/audit?limit=100');
    const integrations = await expectStatus(cp, 200, cp.token, 'GET', '/api/v1/entities/integrations');
    for (const [what, text] of [
      ['server log', log],
      ['request API', JSON.stringify([requests, details])],
      ['audit API', JSON.stringify(audit)],
      ['integrations API', JSON.stringify(integrations)],
    ] as const) {
      assert.ok(!text.includes(apiKey), `the custom strategy's API key is in the ${what}`);
      assert.ok(!text.includes(pagerDutyToken), `the PagerDuty token is in the ${what}`);
      assert.ok(!text.includes(slack.env.SYM_SECRET_SLACK_BOT_TOKEN!), `the Slack bot token is in the ${what}`);
      assert.ok(!text.includes(slack.signingSecret), `the Slack signing secret is in the ${what}`);
    }
  });
});
