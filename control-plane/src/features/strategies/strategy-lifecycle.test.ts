// The registry inside the whole control plane: requests made, approved and revoked through the
// API run the real strategies from the durable jobs. The seed's custom strategy reaches the HTTP
// double with the env secret's token; a Lambda strategy by ARN gets the documented payload.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../jobs/testing/wait-for';
import { createLogger } from '../../logging/logger';
import { createSandbox } from '../../sandbox';
import { type HttpDouble, LOOPBACK_EGRESS, startHttpDouble } from '../../sandbox/http-double';
import { type LambdaDouble, startLambdaDouble } from '../../test-support/lambda-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createEntityStore } from '../entities/entity-store';
import type { StrategyRegistry } from './access-strategy';
import { createIdentityCacheStore } from './identity-cache-store';
import type { LambdaStrategyEvent } from './lambda-payload';
import { createStrategyRegistry } from './strategy-registry';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const TOKEN = 'lifecycle-token-41d7a9e0c3';
const example = await readFile(new URL('../../../../examples/custom-access-strategy/custom_strategy.js', import.meta.url), 'utf8');

describe('strategies in the request lifecycle (PGlite, job queue, HTTP and Lambda doubles)', () => {
  let t: TestControlPlane;
  let api: HttpDouble;
  let lambda: LambdaDouble;
  const sandbox = createSandbox({ egress: LOOPBACK_EGRESS });
  const lines: string[] = [];
  const lambdaEvents: LambdaStrategyEvent[] = [];
  let registry: StrategyRegistry | undefined;
  let requester: { id: string; token: string };
  let lead: { token: string };
  let integrationId: string;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = async (path: string, body: object, token = t.admin): Promise<string> => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer(token)).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const person = async (email: string, role: string) => {
    const id = await create('users', { email, role });
    const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    return { id, token: issued.body.token as string };
  };
  const stateOf = async (id: string) => (await t.request.get(`/api/v1/requests/${id}`).set(bearer(t.admin))).body;

  /** Requests `flow`, approves it as the lead, waits until active, revokes it and waits until done. */
  const grantAndRevoke = async (flow: string) => {
    const made = await t.request
      .post('/api/v1/events/request')
      .set(bearer(requester.token))
      .send({ flow, flow_inputs: { reason: 'debugging', duration: '1h' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.id as string;
    const approved = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(lead.token));
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    await waitFor(`${flow} to become active`, async () => (await stateOf(id)).state === 'active');
    const revoked = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(requester.token)).send({ reason: 'done' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    return { id, done: await waitFor(`${flow} to be deescalated`, async () => ((await stateOf(id)).state === 'done' ? stateOf(id) : null)) };
  };

  before(async () => {
    [api, lambda] = await Promise.all([startHttpDouble(), startLambdaDouble()]);
    // The control plane owns the database the registry reads, so the registry is bound once it exists.
    const lazy: StrategyRegistry = { runnerFor: (strategy) => registry!.runnerFor(strategy) };
    t = await startTestControlPlane(undefined, { workflow: { strategies: lazy, jobs: { pollIntervalMs: 50 } }, startJobs: true });
    registry = createStrategyRegistry({
      entities: createEntityStore(t.cp.db.prisma),
      identityCache: createIdentityCacheStore(t.cp.db.prisma),
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
      sandbox,
      env: { SYM_SECRET_LIFECYCLE_API_KEY: TOKEN, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'lifecycle-aws-secret', AWS_ENDPOINT_URL_LAMBDA: lambda.url },
    });

    const environment = await create('entities/environments', { name: 'strategies' });
    const source = await create('entities/secret-sources', { type: 'env', name: 'process-env' });
    const secret = await create('entities/secrets', { path: 'SYM_SECRET_LIFECYCLE_API_KEY', source_id: source });
    integrationId = await create('entities/integrations', {
      type: 'custom',
      name: 'custom-integration',
      external_id: 'my-account',
      settings: { secret_ids_json: JSON.stringify([secret]), allowed_hosts: api.host },
    });
    const target = await create('entities/access-targets', { type: 'custom', name: 'custom-target', settings: { identifier: 'some-resource' } });
    const custom = await create('entities/access-strategies', {
      type: 'custom',
      name: 'custom-access',
      integration_id: integrationId,
      targets: [target],
      implementation: example.replaceAll('https://some-api.invalid', api.url),
    });
    const arn = lambda.register('grant-app', (event) => {
      lambdaEvents.push(event as LambdaStrategyEvent);
      return { body: { ok: (event as LambdaStrategyEvent).type }, errors: [] };
    });
    const byArn = await create('entities/access-strategies', { type: 'aws_lambda', name: 'grant-app', targets: [target], settings: { arn } });
    // The author's own failures: escalate refuses (before any HTTP call) when asked to, deescalate always.
    const refusing = await create('entities/access-strategies', {
      type: 'custom',
      name: 'refusing-access',
      integration_id: integrationId,
      targets: [target],
      implementation: `import { AccessStrategy, SymException } from 'sym/sdk';
export class CustomStrategy extends AccessStrategy {
  escalate(target_id, event) {
    if (event.payload.fields.reason === 'refuse') throw new SymException('Prod access needs an incident number');
  }
  deescalate(target_id, event) {
    throw new SymException('The vendor keeps ' + event.user.email + ' until the audit ends');
  }
}
`,
    });
    const promptFields = [
      { name: 'reason', type: 'string', required: true },
      { name: 'duration', type: 'duration', required: true },
    ];
    for (const [name, strategy] of [
      ['custom-access', custom],
      ['lambda-access', byArn],
      ['refusing-access', refusing],
    ]) {
      await create('entities/flows', { name, implementation: 'export function on_request(event) {}\n', environment_id: environment, params: { strategy_id: strategy, prompt_field: promptFields } });
    }
    requester = await person('dev@example.com', 'member');
    lead = await person('lead@example.com', 'admin');
  });
  after(async () => {
    await t?.close();
    await sandbox.close();
    await Promise.all([api?.close(), lambda?.close()]);
  });

  it('the seed custom strategy escalates and deescalates with the token from the env source', async () => {
    const { id, done } = await grantAndRevoke('custom-access');
    assert.deepEqual(
      api.requests.map((r) => [r.path, r.headers.authorization, JSON.parse(r.body)]),
      [
        ['/escalate', `Bearer ${TOKEN}`, { user_id: 'dev@example.com', resource_id: 'some-resource' }],
        ['/deescalate', `Bearer ${TOKEN}`, { user_id: 'dev@example.com', resource_id: 'some-resource' }],
      ],
    );
    const rows = await t.cp.db.prisma.identityCache.findMany({ where: { integrationId } });
    assert.deepEqual(
      rows.map((r) => [r.userId, r.identity]),
      [[requester.id, '"dev@example.com"']],
    );
    assert.ok(done.events.some((e: { type: string }) => e.type === 'request.escalated'));
    assert.ok(!JSON.stringify(done).includes(TOKEN), `the token is in request ${id}'s API answer`);
  });

  it('a Lambda strategy by ARN receives the documented payload for both steps', async () => {
    const { id } = await grantAndRevoke('lambda-access');
    assert.deepEqual(
      lambdaEvents.map((e) => [e.type, e.idempotency_key, e.request_id, e.user.email, e.fields.reason, e.target?.name]),
      [
        ['escalate', `escalate:${id}`, id, 'dev@example.com', 'debugging', 'custom-target'],
        ['deescalate', `deescalate:${id}`, id, 'dev@example.com', 'debugging', 'custom-target'],
      ],
    );
    assert.equal(lambdaEvents[0].run.actor.user.email, 'dev@example.com');
  });

  it('a SymException ends escalate as failed with its message; on deescalate it keeps the grant failing visibly and retried', async () => {
    const ask = async (reason: string) => {
      const made = await t.request
        .post('/api/v1/events/request')
        .set(bearer(requester.token))
        .send({ flow: 'refusing-access', flow_inputs: { reason, duration: '1h' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const id = made.body.id as string;
      const approved = await t.request.post(`/api/v1/requests/${id}/approve`).set(bearer(lead.token));
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      return id;
    };
    // Raised before anything could be granted: the request fails with the author's words, no cleanup.
    const refused = await ask('refuse');
    const failed = await waitFor('the refused request to fail', async () => ((await stateOf(refused)).state === 'failed' ? stateOf(refused) : null));
    assert.equal(failed.last_error, 'Prod access needs an incident number');
    assert.ok(!failed.events.some((e: { type: string }) => e.type === 'request.deescalated'));

    // Granted, then the deescalation raises: never dropped, shown as written, and retried.
    const granted = await ask('ok');
    await waitFor('the grant to become active', async () => (await stateOf(granted)).state === 'active');
    const revoked = await t.request.post(`/api/v1/requests/${granted}/revoke`).set(bearer(requester.token)).send({ reason: 'done' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const stuck = await waitFor('the deescalation to fail', async () => ((await stateOf(granted)).state === 'deescalation_failed' ? stateOf(granted) : null));
    assert.equal(stuck.last_error, 'The vendor keeps dev@example.com until the audit ends');
    const jobs = await t.cp.db.prisma.job.findMany({ where: { requestId: granted, kind: 'deescalate' } });
    assert.ok(
      jobs.some((j) => j.state === 'queued' || j.state === 'running'),
      `the deescalation is retried: ${JSON.stringify(jobs.map((j) => j.state))}`,
    );
  });

  it('no log line holds the token', () => {
    assert.ok(lines.length > 0);
    assert.ok(lines.every((line) => !line.includes(TOKEN)));
  });
});
