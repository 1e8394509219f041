// The user-impersonation seed through the API (PGlite, real job queue, Lambda double): the
// entities examples/user-impersonation/main.tf makes (a sym_form, a sym_strategies Lambda
// strategy with `code` and no targets, a flow naming both), a request with the form's fields,
// approval under the example's hooks, and the seed's function deployed from its code and invoked
// on escalate and deescalate. Also a Lambda strategy by `arn` without targets (expiring) and a
// custom strategy without targets (its escalate gets target_id null).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { waitFor } from '../../jobs/testing/wait-for';
import { createLogger } from '../../logging/logger';
import { createSandbox } from '../../sandbox';
import { type LambdaDouble, startLambdaDouble } from '../../test-support/lambda-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createEntityStore } from '../entities/entity-store';
import type { StrategyRegistry } from './access-strategy';
import { createIdentityCacheStore } from './identity-cache-store';
import type { LambdaStrategyEvent } from './lambda-payload';
import { createStrategyRegistry } from './strategy-registry';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const exampleDir = new URL('../../../../examples/user-impersonation/', import.meta.url);
const [lambdaCode, flowImpl] = await Promise.all([readFile(new URL('my_lambda_code.js', exampleDir), 'utf8'), readFile(new URL('impl.js', exampleDir), 'utf8')]);

interface RequestBody {
  id: string;
  state: string;
  fields: Record<string, unknown>;
  target_id: string | null;
  events: { type: string; data: Record<string, unknown> }[];
}

describe('user-impersonation seed: Lambda strategies without targets (PGlite, job queue, Lambda double)', () => {
  let t: TestControlPlane;
  let lambda: LambdaDouble;
  const sandbox = createSandbox();
  let registry: StrategyRegistry | undefined;
  let requester: { id: string; token: string };
  let colleague: { id: string; token: string };
  // Who Slack says is in #impersonations (the flow's slack.channel approver): both of them.
  const impersonationsChannel = new Set(['USUPPORT', 'UCOLLEAGUE']);
  let formId: string;
  let environmentId: string;
  let codeStrategyId: string;
  const arnEvents: LambdaStrategyEvent[] = [];

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = async (path: string, body: object): Promise<string> => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer(t.admin)).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const person = async (email: string, role: string, slackId: string) => {
    const id = await create('users', { email, role, identities: { slack: slackId } });
    const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    return { id, token: issued.body.token as string };
  };
  const ask = (flow: string, flow_inputs: object, token = requester.token) => t.request.post('/api/v1/events/request').set(bearer(token)).send({ flow, flow_inputs });
  const stateOf = async (id: string): Promise<RequestBody> => (await t.request.get(`/api/v1/requests/${id}`).set(bearer(t.admin))).body;
  const settled = (id: string, state: string) => waitFor(`request ${id} to be ${state}`, async () => ((await stateOf(id)).state === state ? stateOf(id) : null));
  const outputOf = (r: RequestBody, type: string) => r.events.find((e) => e.type === type)?.data.output;
  const invokePayloads = (functionName: string) =>
    lambda.calls.filter((c) => c.operation === 'Invoke' && c.functionName === functionName).map((c) => JSON.parse(String(c.body)) as LambdaStrategyEvent);

  before(async () => {
    lambda = await startLambdaDouble();
    // The registry reads the control plane's database, so it is bound once the control plane exists.
    const lazy: StrategyRegistry = { runnerFor: (strategy) => registry!.runnerFor(strategy) };
    t = await startTestControlPlane(undefined, {
      workflow: { strategies: lazy, jobs: { pollIntervalMs: 50 }, channelMembers: async (_org, _env, channel) => (channel === '#impersonations' ? impersonationsChannel : null) },
      startJobs: true,
    });
    registry = createStrategyRegistry({
      entities: createEntityStore(t.cp.db.prisma),
      identityCache: createIdentityCacheStore(t.cp.db.prisma),
      logger: createLogger('silent'),
      sandbox,
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'impersonation-aws-secret',
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
        SYM_LAMBDA_ROLE_ARN: 'arn:aws:iam::123456789012:role/opensym-impersonation',
      },
    });

    // What `tofu apply` of examples/user-impersonation/main.tf creates, body for body.
    const audit = await create('entities/log-destinations', { type: 'kinesis_firehose', settings: { stream_name: 'sym-impersonation-audit' } });
    const slack = await create('entities/integrations', {
      type: 'slack',
      name: 'impersonation-slack',
      external_id: 'T0123456789',
      settings: { bot_token_secret: 'unused-bot-token', signing_secret_secret: 'unused-signing-secret' },
    });
    environmentId = await create('entities/environments', { name: 'impersonation', label: 'User impersonation', log_destination_ids: [audit], integrations: { slack_id: slack } });
    formId = await create('entities/forms', {
      field: { user_id: { type: 'string', required: true }, reason: { type: 'string', label: 'Why do you need to impersonate this user?' } },
    });
    codeStrategyId = await create('entities/access-strategies', {
      type: 'aws_lambda',
      name: 'my-lambda',
      label: 'User Impersonation',
      targets: [],
      settings: { code: lambdaCode, set_id: randomUUID() },
    });
    await create('entities/flows', {
      name: 'impersonate',
      label: 'Impersonate a user',
      implementation: flowImpl,
      environment_id: environmentId,
      params: {
        strategy_id: codeStrategyId,
        form_id: formId,
        allowed_sources: ['slack', 'api'],
        additional_header_text: 'Impersonation is logged and expires on its own.',
      },
    });
    requester = await person('support@example.com', 'member', 'USUPPORT');
    colleague = await person('colleague@example.com', 'member', 'UCOLLEAGUE');
  });
  after(async () => {
    await t?.close();
    await sandbox.close();
    await lambda?.close();
  });

  it('refuses a target and checks the form fields (422 with field pointers)', async () => {
    const withTarget = await ask('impersonate', { user_id: 'customer-42', target: 'anything' });
    assert.equal(withTarget.status, 422, JSON.stringify(withTarget.body));
    assert.match(withTarget.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.deepEqual(
      withTarget.body.errors.map((e: { pointer: string }) => e.pointer),
      ['/flow_inputs/target'],
    );
    const missing = await ask('impersonate', { reason: 'ticket 1234' });
    assert.equal(missing.status, 422, JSON.stringify(missing.body));
    assert.deepEqual(
      missing.body.errors.map((e: { pointer: string }) => e.pointer),
      ['/flow_inputs/user_id'],
    );
  });

  it('deploys the seed code, escalates on approval and deescalates on revoke with the request fields', async () => {
    const made = await ask('impersonate', { user_id: 'customer-42', reason: 'ticket 1234' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.state, 'pending');
    assert.equal(made.body.target_id, null);
    assert.deepEqual(made.body.fields, { user_id: 'customer-42', reason: 'ticket 1234' });
    const id = made.body.id as string;

    // impl.js: slack.channel("#impersonations", { allow_self: false }) — its members but the requester.
    const self = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(requester.token));
    assert.equal(self.status, 403, JSON.stringify(self.body));
    const approved = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(colleague.token));
    assert.equal(approved.status, 200, JSON.stringify(approved.body));

    const active = await settled(id, 'active');
    assert.deepEqual(outputOf(active, 'request.escalated'), { requester: 'support@example.com', impersonated: 'customer-42', type: 'escalate' });

    // The function was created from the seed's code (an ES module, so index.mjs) and invoked.
    const created = lambda.calls.filter((c) => c.operation === 'CreateFunction');
    assert.equal(created.length, 1);
    const functionName = created[0]!.functionName;
    const deployed = lambda.functions.get(functionName);
    assert.ok(deployed?.zip, 'the double holds the deployed zip');
    assert.deepEqual(Object.keys(unzipSync(deployed.zip)), ['index.mjs']);
    assert.equal(strFromU8(unzipSync(deployed.zip)['index.mjs']!), lambdaCode);
    assert.equal(deployed.Handler, 'index.handler');

    const revoked = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(requester.token)).send({ reason: 'ticket closed' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const done = await settled(id, 'done');
    assert.deepEqual(outputOf(done, 'request.deescalated'), { requester: 'support@example.com', impersonated: 'customer-42', type: 'deescalate' });

    const payloads = invokePayloads(functionName);
    assert.deepEqual(
      payloads.map((p) => [p.type, p.idempotency_key, p.request_id, p.target, p.fields, p.user.email, p.flow.name, p.strategy.id]),
      [
        ['escalate', `escalate:${id}`, id, null, { user_id: 'customer-42', reason: 'ticket 1234', duration: 3600 }, 'support@example.com', 'impersonate', codeStrategyId],
        ['deescalate', `deescalate:${id}`, id, null, { user_id: 'customer-42', reason: 'ticket 1234', duration: 3600 }, 'support@example.com', 'impersonate', codeStrategyId],
      ],
    );
    assert.equal(lambda.calls.filter((c) => c.operation === 'CreateFunction').length, 1, 'deployed once');
  });

  it('a Lambda strategy by arn without targets is invoked on escalate and again at expiry', async () => {
    const arn = lambda.register('existing-impersonation', (event) => {
      arnEvents.push(event as LambdaStrategyEvent);
      return { body: { granted: (event as LambdaStrategyEvent).fields.user_id }, errors: [] };
    });
    const byArn = await create('entities/access-strategies', { type: 'aws_lambda', name: 'existing-lambda', targets: [], settings: { arn, set_id: randomUUID() } });
    await create('entities/flows', {
      name: 'impersonate-briefly',
      implementation: flowImpl,
      environment_id: environmentId,
      params: {
        strategy_id: byArn,
        prompt_field: [
          { name: 'user_id', type: 'string', required: true },
          { name: 'duration', type: 'duration', required: true },
        ],
      },
    });
    const made = await ask('impersonate-briefly', { user_id: 'customer-7', duration: 2 });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.id as string;
    const approved = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(colleague.token));
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const done = await settled(id, 'done');
    assert.ok(
      done.events.some((e) => e.type === 'request.expired'),
      JSON.stringify(done.events.map((e) => e.type)),
    );
    assert.deepEqual(outputOf(done, 'request.escalated'), { granted: 'customer-7' });
    assert.deepEqual(
      arnEvents.map((e) => [e.type, e.request_id, e.target, e.fields]),
      [
        ['escalate', id, null, { user_id: 'customer-7', duration: 2 }],
        ['deescalate', id, null, { user_id: 'customer-7', duration: 2 }],
      ],
    );
    assert.equal(lambda.calls.filter((c) => c.functionName === 'existing-impersonation' && c.operation !== 'Invoke').length, 0, 'an arn is invoked, never deployed');
  });

  it('a custom strategy without targets gets target_id null in escalate and deescalate', async () => {
    const strategy = await create('entities/access-strategies', {
      type: 'custom',
      name: 'no-target-custom',
      targets: [],
      implementation: [
        'import { AccessStrategy } from "sym/sdk/strategies";',
        'export class Impersonation extends AccessStrategy {',
        '  escalate(target_id, event) { return { target_id, has_target: "target" in event.payload.fields, user_id: event.payload.fields.user_id }; }',
        '  deescalate(target_id, event) { return { target_id }; }',
        '}',
        '',
      ].join('\n'),
    });
    await create('entities/flows', { name: 'impersonate-custom', implementation: flowImpl, environment_id: environmentId, params: { strategy_id: strategy, form_id: formId } });
    const made = await ask('impersonate-custom', { user_id: 'customer-9' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.id as string;
    assert.equal((await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(colleague.token))).status, 200);
    await settled(id, 'active');
    assert.equal((await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(colleague.token)).send({})).status, 200);
    const done = await settled(id, 'done');
    assert.deepEqual(outputOf(done, 'request.escalated'), { target_id: null, has_target: false, user_id: 'customer-9' });
    assert.deepEqual(outputOf(done, 'request.deescalated'), { target_id: null });
  });
});
