/**
 * The user-impersonation example after apply: `tofu` applies examples/user-impersonation unchanged
 * to a control plane on PGlite whose Lambda endpoint is a local double, then users with their own
 * tokens request impersonation over the HTTP API. Checks that the `sym_strategies` Lambda strategy
 * (created by the provider with no targets) is deployed from the seed's code and invoked with the
 * form's fields and `target: null` on escalate and on revoke. Its Slack workspace (team T0123456789)
 * is the Slack Web API double, whose #impersonations members approve. One CLI only, like request-flow.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { startLambdaDouble, type LambdaDouble } from '../../control-plane/src/test-support/lambda-double';
import { apiCall, expectStatus } from '../src/api-call';
import { ControlPlane, progress, setupSuite, Workspace, type CliBinary } from '../src/index';
import { examplesDir } from '../src/paths';
import { startSlackWorkspace, type SlackPerson, type SlackWorkspace } from '../src/slack-workspace';
import type { AccessRequest } from '@opensym/schemas';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
const cli: CliBinary | undefined = clis.find((c) => c.flavor === 'tofu') ?? clis[0];
const exampleDir = path.join(examplesDir, 'user-impersonation');
const lambdaCode = await readFile(path.join(exampleDir, 'my_lambda_code.js'), 'utf8');
const roleArn = 'arn:aws:iam::123456789012:role/opensym-e2e-impersonation';

/** A request as the API returns it (the schema's type). */
type RequestView = AccessRequest;

interface LambdaEvent {
  type: string;
  idempotency_key: string;
  request_id: string;
  user: { id: string; email: string };
  target: unknown;
  fields: Record<string, unknown>;
  flow: { name: string };
  strategy: { id: string; name: string };
}

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

describe(`user-impersonation request · ${cli?.name ?? 'no CLI'} · pglite`, { skip: cli === undefined ? 'no CLI selected' : false, timeout: 10 * 60_000 }, () => {
  let lambda: LambdaDouble;
  let slack: SlackWorkspace;
  let cp: ControlPlane;
  let ws: Workspace | undefined;
  const people: Record<'support' | 'colleague' | 'outsider', { id: string; token: string }> = {} as never;
  // impl.js sends approvals to #impersonations: the requester and a colleague are in it, an
  // outsider is a Slack user who is not.
  const slackPeople: Record<'support' | 'colleague' | 'outsider', SlackPerson> = {
    support: { id: 'U0E2ESUPP1', email: 'support@example.com' },
    colleague: { id: 'U0E2ECOLL1', email: 'colleague@example.com' },
    outsider: { id: 'U0E2EOUTS1', email: 'outsider@example.com' },
  };

  /** A user with their Slack identity (as in the double) and a token of their own, both through the API. */
  async function person(who: SlackPerson, role: string): Promise<{ id: string; token: string }> {
    const user = await expectStatus(cp, 201, cp.token, 'POST', '/api/v1/users', { email: who.email, role, identities: { slack: who.id } });
    const issued = await expectStatus(cp, 201, cp.token, 'POST', `/api/v1/users/${user.id}/tokens`, {});
    assert.equal(typeof issued.token, 'string');
    return { id: user.id, token: issued.token };
  }

  before(async () => {
    lambda = await startLambdaDouble('us-east-1');
    slack = await startSlackWorkspace(Object.values(slackPeople), { impersonations: [slackPeople.support.email, slackPeople.colleague.email] });
    cp = await ControlPlane.start({
      label: 'user-impersonation-request',
      env: {
        // The strategies README: endpoint and credentials from the standard AWS variables, the
        // execution role for code-deployed functions from SYM_LAMBDA_ROLE_ARN.
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDE2EIMPERSONATION',
        AWS_SECRET_ACCESS_KEY: 'e2e-impersonation-aws-secret',
        SYM_LAMBDA_ROLE_ARN: roleArn,
        // The example's Slack integration reads its bot token and signing secret from env secrets.
        ...slack.env,
      },
    });
    ws = Workspace.fromDirectory(cli!, exampleDir, { mirror, apiUrl: cp.url, token: cp.token, org: cp.org });
    await ws.ok(['init', ...noInput]);
    await ws.ok(['apply', ...noInput, '-auto-approve']);
    people.support = await person(slackPeople.support, 'member');
    people.colleague = await person(slackPeople.colleague, 'member');
    people.outsider = await person(slackPeople.outsider, 'member');
  });

  after(async () => {
    ws?.dispose();
    await cp?.stop();
    await Promise.all([lambda?.close(), slack?.close()]);
  });

  test('the applied strategy has no targets, and a request with a target is refused (422)', async () => {
    const strategies = await expectStatus(cp, 200, cp.token, 'GET', '/api/v1/entities/access-strategies');
    const lambdaStrategy = strategies.data.find((s: { name: string }) => s.name === 'my-lambda');
    assert.ok(lambdaStrategy, JSON.stringify(strategies));
    assert.equal(lambdaStrategy.type, 'aws_lambda');
    assert.deepEqual(lambdaStrategy.targets, []);
    const refused = await apiCall(cp, people.support.token, 'POST', '/api/v1/events/request', { flow: 'impersonate', flow_inputs: { user_id: 'customer-42', target: 'anything' } });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.match(refused.type, /application\/problem\+json/);
    assert.deepEqual(
      refused.body.errors.map((e: { pointer: string }) => e.pointer),
      ['/flow_inputs/target'],
    );
    assert.equal(lambda.calls.length, 0, 'nothing reached Lambda before an approved request');
  });

  test('approve deploys the seed code and escalates; revoke deescalates; both with the form fields and target null', async () => {
    const created = await expectStatus(cp, 201, people.support.token, 'POST', '/api/v1/events/request', { flow: 'impersonate', flow_inputs: { user_id: 'customer-42' } });
    assert.equal(created.state, 'pending');
    assert.equal(created.target_id, null);
    assert.deepEqual(created.fields, { user_id: 'customer-42' });
    const id = created.id as string;

    // impl.js: slack.channel("#impersonations", { allow_self: false }): the channel's members but
    // the requester, known once the approval message is posted there.
    await slack.approvalPosted('#impersonations', id, slackPeople.support);
    const self = await apiCall(cp, people.support.token, 'POST', `/api/v1/requests/${id}/approve`, {});
    assert.equal(self.status, 403, JSON.stringify(self.body));
    assert.match(self.type, /application\/problem\+json/);
    const outsider = await apiCall(cp, people.outsider.token, 'POST', `/api/v1/requests/${id}/approve`, {});
    assert.equal(outsider.status, 403, JSON.stringify(outsider.body));
    const approved = await expectStatus(cp, 200, people.colleague.token, 'POST', `/api/v1/requests/${id}/approve`, {});
    assert.equal(approved.decided_by, people.colleague.id);
    await waitForState(cp, id, 'active');

    const creates = lambda.calls.filter((c) => c.operation === 'CreateFunction');
    assert.equal(creates.length, 1, 'the function was created once');
    const functionName = creates[0]!.functionName;
    const createBody = creates[0]!.body as { Role?: string; Handler?: string };
    assert.equal(createBody.Role, roleArn);
    assert.equal(createBody.Handler, 'index.handler');
    const deployed = lambda.functions.get(functionName);
    assert.ok(deployed?.zip, 'the double holds the deployed zip');
    const files = unzipSync(deployed.zip);
    // The seed's code has an `export`, so it ships as an ES module.
    assert.deepEqual(Object.keys(files), ['index.mjs']);
    assert.equal(strFromU8(files['index.mjs']!), lambdaCode);

    const invocations = () => lambda.calls.filter((c) => c.operation === 'Invoke' && c.functionName === functionName).map((c) => JSON.parse(String(c.body)) as LambdaEvent);
    assert.deepEqual(
      invocations().map((e) => e.type),
      ['escalate'],
    );
    const firstInvoke = lambda.calls.findIndex((c) => c.operation === 'Invoke');
    assert.ok(lambda.calls.findIndex((c) => c.operation === 'CreateFunction') < firstInvoke, 'created before invoked');

    const revoked = await expectStatus(cp, 200, people.support.token, 'POST', `/api/v1/requests/${id}/revoke`, { reason: 'done impersonating' });
    assert.equal(revoked.state, 'deescalating');
    const done = await waitForState(cp, id, 'done');

    const strategyId = invocations()[0]!.strategy.id;
    assert.deepEqual(
      invocations().map((e) => [e.type, e.idempotency_key, e.request_id, e.target, e.fields, e.user.email, e.flow.name, e.strategy.name]),
      [
        ['escalate', `escalate:${id}`, id, null, { user_id: 'customer-42', duration: 3600 }, 'support@example.com', 'impersonate', 'my-lambda'],
        ['deescalate', `deescalate:${id}`, id, null, { user_id: 'customer-42', duration: 3600 }, 'support@example.com', 'impersonate', 'my-lambda'],
      ],
    );
    for (const e of invocations()) {
      assert.ok('target' in e, 'the payload carries target explicitly');
      assert.equal(e.strategy.id, strategyId);
    }
    assert.equal(lambda.calls.filter((c) => c.operation === 'CreateFunction').length, 1, 'deployed once');

    const events = done.events ?? assert.fail('GET /requests/{id} carries the events');
    const output = (type: string) => events.find((e) => e.type === type)?.data?.output;
    assert.deepEqual(output('request.escalated'), { requester: 'support@example.com', impersonated: 'customer-42', type: 'escalate' });
    assert.deepEqual(output('request.deescalated'), { requester: 'support@example.com', impersonated: 'customer-42', type: 'deescalate' });

    const types = events.map((e) => e.type);
    assert.deepEqual(types, ['request.created', 'request.approved', 'request.escalated', 'request.revoked', 'request.deescalated']);
    // The audit API lists the same events for the request, newest first.
    const audit = await expectStatus(cp, 200, cp.token, 'GET', `/api/v1/audit?request_id=${id}&limit=200`);
    assert.deepEqual(audit.data.map((e: { type: string }) => e.type).reverse(), types);
    assert.ok(audit.data.every((e: { request_id: string }) => e.request_id === id));
    progress(`    user impersonation: ${types.join(' → ')}`);
  });
});
