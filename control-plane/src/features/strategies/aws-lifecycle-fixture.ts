// Test helper: a control plane on in-memory PGlite whose strategy registry talks to moto through
// the fault proxy (so tests see which keys signed each call and can inject AWS errors), with jobs
// run by the test (`drain`) instead of a poller, so every step is deterministic.
import assert from 'node:assert/strict';
import type { QueueRunner } from '../../jobs/queue-runner';
import { createLogger } from '../../logging/logger';
import { createSandbox } from '../../sandbox';
import { type AwsFaultProxy, startAwsFaultProxy } from '../../test-support/aws-fault-proxy';
import { type MotoServer, sharedMotoServer } from '../../test-support/moto-server';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createEntityStore } from '../entities/entity-store';
import type { StrategyRegistry } from './access-strategy';
import { type AwsCredentialResolver, type AwsPrincipal, createAwsCredentialResolver } from './aws-role-credentials';
import { createIdentityCacheStore } from './identity-cache-store';
import { createStrategyRegistry } from './strategy-registry';
import { createAwsHookHost } from './aws-hook-host';
import { createUserStore } from '../users/user-store';
import type { AwsLookup } from '../requests/hook-runner';

/** A request as `GET /requests/{id}` returns it (the fields the tests read). */
export interface LifecycleRequest {
  state: string;
  last_error: string | null;
  events: { type: string; data: Record<string, unknown> }[];
  [key: string]: unknown;
}

/** A user and a token acting for them. */
export interface Person {
  id: string;
  email: string;
  token: string;
}

/** The running fixture. */
export interface AwsLifecycle {
  t: TestControlPlane;
  moto: MotoServer;
  proxy: AwsFaultProxy;
  /** Every principal the registry's credential resolver handed out, in order. */
  principals: AwsPrincipal[];
  /** `POST /api/v1/<path>` as the admin; returns the new id. */
  create(path: string, body: object): Promise<string>;
  /** Requests `flow` for `target` (by name) as the requester (or `as`) and approves it as the lead; returns the request id. */
  requestApproved(flow: string, target: string, options?: { duration?: string; as?: Person }): Promise<string>;
  /** Another member, to request as, with stored identities (`{ aws_iam: 'name' }`). */
  person(email: string, identities?: Record<string, string>): Promise<Person>;
  /** Runs due jobs until none is due (retries are due at once: no backoff). */
  drain(): Promise<void>;
  /** Makes the request's queued deescalation (its expiry) due now. */
  expire(id: string): Promise<void>;
  revoke(id: string): Promise<void>;
  get(id: string): Promise<LifecycleRequest>;
  requester: { id: string; email: string };
  close(): Promise<void>;
}

/** Starts the fixture; the requester is `requesterEmail`, a member, and the lead an admin. */
export async function startAwsLifecycle(requesterEmail = 'dev@example.com'): Promise<AwsLifecycle> {
  const moto = await sharedMotoServer();
  const proxy = await startAwsFaultProxy(moto.url);
  const env = { ...moto.env, AWS_ENDPOINT_URL: proxy.url };
  let registry: StrategyRegistry | undefined;
  const lazy: StrategyRegistry = { runnerFor: (strategy) => registry!.runnerFor(strategy) };
  // Hooks' AWS door (aws_sso / aws_iam / aws_lambda) goes through the proxy too, with the recording resolver.
  let hookAws: AwsLookup | undefined;
  const t = await startTestControlPlane(undefined, { workflow: { strategies: lazy, jobs: { backoff: () => 0, leaseMs: 60_000 }, hookAws: (scope) => hookAws!(scope) } });
  const entities = createEntityStore(t.cp.db.prisma);
  const principals: AwsPrincipal[] = [];
  const real = createAwsCredentialResolver({ entities, env });
  const recording: AwsCredentialResolver = {
    runtime: async (scope) => real.runtime(scope),
    forIntegration: async (scope, integration) => {
      const p = await real.forIntegration(scope, integration);
      principals.push(p);
      return p;
    },
  };
  hookAws = (scope) => createAwsHookHost({ entities, identityCache: createIdentityCacheStore(t.cp.db.prisma), credentials: recording, env, users: createUserStore(t.cp.db.prisma) }, scope);
  const sandbox = createSandbox();
  registry = createStrategyRegistry({
    entities,
    identityCache: createIdentityCacheStore(t.cp.db.prisma),
    logger: createLogger('silent'),
    sandbox,
    env,
    awsCredentials: recording,
    ssoWait: { delayMs: 10, maxWaitMs: 5_000 },
  });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const create = async (path: string, body: object, token = t.admin): Promise<string> => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer(token)).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const person = async (email: string, role: string, identities: Record<string, string> = {}) => {
    const id = await create('users', { email, role, identities });
    const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer(t.admin)).send({});
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    return { id, email, token: issued.body.token as string };
  };
  const requester = await person(requesterEmail, 'member');
  const lead = await person('lead@example.com', 'admin');
  const queue = t.cp.jobs.queue as QueueRunner;
  const get = async (id: string): Promise<LifecycleRequest> => {
    const res = await t.request.get(`/api/v1/requests/${id}`).set(bearer(t.admin));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as LifecycleRequest;
  };
  const drain = async () => {
    while ((await queue.runOnce(t.cp.jobs.handlers)) > 0);
  };
  return {
    t,
    moto,
    proxy,
    principals,
    create: (path, body) => create(path, body),
    person: (email, identities) => person(email, 'member', identities),
    async requestApproved(flow, target, { duration = '1h', as = requester } = {}) {
      const made = await t.request
        .post('/api/v1/events/request')
        .set(bearer(as.token))
        .send({ flow, flow_inputs: { reason: 'testing', duration, target } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const approved = await t.request.post(`/api/v1/requests/${made.body.id}/approve`).set(bearer(lead.token));
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      return made.body.id as string;
    },
    drain,
    async expire(id) {
      await t.cp.db.prisma.job.updateMany({ where: { requestId: id, kind: 'deescalate', state: 'queued' }, data: { runAt: new Date(Date.now() - 1000) } });
    },
    async revoke(id) {
      const res = await t.request.post(`/api/v1/requests/${id}/revoke`).set(bearer(requester.token)).send({ reason: 'done' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    },
    get,
    requester: { id: requester.id, email: requester.email },
    async close() {
      await t.close();
      await sandbox.close();
      await proxy.close();
    },
  };
}
