// Test helper: the whole control plane on in-memory PGlite with the real strategy registry, for a
// native strategy (okta, github, google) whose vendor API is a local double. Entities are made
// through the API as a user's Terraform would; jobs run when the test drains them (retries are due
// at once), so a 429 answered once shows up as one failed attempt and one retry, deterministically.
import assert from 'node:assert/strict';
import type { QueueRunner } from '../../../jobs/queue-runner';
import { createLogger } from '../../../logging/logger';
import { createSandbox } from '../../../sandbox';
import { startTestControlPlane, type TestControlPlane } from '../../../test-support/test-control-plane';
import { createEntityStore } from '../../entities/entity-store';
import type { StrategyRegistry } from '../access-strategy';
import type { Env } from '../aws-client-config';
import { createIdentityCacheStore } from '../identity-cache-store';
import { createStrategyRegistry } from '../strategy-registry';

/** A request as `GET /requests/{id}` answers it. */
export interface RequestState {
  state: string;
  last_error: string | null;
  events: { type: string; data: Record<string, unknown> }[];
  [key: string]: unknown;
}

/** The running fixture. */
export interface NativeLifecycle {
  t: TestControlPlane;
  /** Log lines the registry wrote (to check that no secret leaks). */
  lines: string[];
  /** POSTs `entities/<kind>` as the admin and returns the new id (asserting 201). */
  create(kind: string, body: object): Promise<string>;
  /** The env secret named `SYM_SECRET_<name>` (its value comes from the fixture's env); `jsonKey` picks one key of a JSON value. */
  secret(name: string, jsonKey?: string): Promise<string>;
  /** A flow on `strategyId` with `reason` and `duration` prompt fields (and `extraFields`). */
  flow(name: string, strategyId: string, extraFields?: object[]): Promise<string>;
  person(email: string, role?: 'admin' | 'member', identities?: Record<string, string>): Promise<{ id: string; token: string }>;
  /** Requests `flow` for `target` as `token` (with `inputs` besides reason and duration); returns the request id. */
  request(token: string, flow: string, target: string, inputs?: Record<string, unknown>): Promise<string>;
  approve(id: string): Promise<void>;
  revoke(id: string, token: string): Promise<void>;
  /** Runs due jobs until none is due. */
  drain(): Promise<number>;
  get(id: string): Promise<RequestState>;
  close(): Promise<void>;
}

/** Starts the fixture; `env` holds the secrets (`SYM_SECRET_*`) and the vendor endpoint overrides. */
export async function startNativeLifecycle(env: Env): Promise<NativeLifecycle> {
  const sandbox = createSandbox();
  const lines: string[] = [];
  let registry: StrategyRegistry | undefined;
  // The control plane owns the database the registry reads, so the registry is bound once it exists.
  const lazy: StrategyRegistry = { runnerFor: (strategy) => registry!.runnerFor(strategy) };
  const t = await startTestControlPlane(undefined, { workflow: { strategies: lazy, jobs: { backoff: () => 0, leaseMs: 60_000 } } });
  registry = createStrategyRegistry({
    entities: createEntityStore(t.cp.db.prisma),
    identityCache: createIdentityCacheStore(t.cp.db.prisma),
    logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
    sandbox,
    env,
  });
  const admin = { Authorization: `Bearer ${t.admin}` };
  const create = async (kind: string, body: object): Promise<string> => {
    const res = await t.request.post(`/api/v1/entities/${kind}`).set(admin).send(body);
    assert.equal(res.status, 201, `${kind}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const environment = await create('environments', { name: 'native' });
  const source = await create('secret-sources', { type: 'env', name: 'process-env' });
  const queue = t.cp.jobs.queue as QueueRunner;
  let approver: string | undefined;
  const fixture: NativeLifecycle = {
    t,
    lines,
    create,
    secret: (name, jsonKey) => create('secrets', { path: `SYM_SECRET_${name}`, source_id: source, ...(jsonKey && { settings: { json_key: jsonKey } }) }),
    flow: (name, strategyId, extraFields = []) =>
      create('flows', {
        name,
        implementation: 'export function on_request(event) {}\n',
        environment_id: environment,
        params: {
          strategy_id: strategyId,
          prompt_field: [{ name: 'reason', type: 'string', required: true }, { name: 'duration', type: 'duration', required: true }, ...extraFields],
        },
      }),
    async person(email, role = 'member', identities = {}) {
      const made = await t.request.post('/api/v1/users').set(admin).send({ email, role, identities });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const issued = await t.request.post(`/api/v1/users/${made.body.id}/tokens`).set(admin).send({});
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      return { id: made.body.id as string, token: issued.body.token as string };
    },
    async request(token, flow, target, inputs = {}) {
      const made = await t.request
        .post('/api/v1/events/request')
        .set({ Authorization: `Bearer ${token}` })
        .send({ flow, flow_inputs: { reason: 'on call', duration: '1h', target, ...inputs } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return made.body.id as string;
    },
    async approve(id) {
      approver ??= (await fixture.person('approver@example.com', 'admin')).token;
      const res = await t.request.post(`/api/v1/requests/${id}/approve`).set({ Authorization: `Bearer ${approver}` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    },
    async revoke(id, token) {
      const res = await t.request
        .post(`/api/v1/requests/${id}/revoke`)
        .set({ Authorization: `Bearer ${token}` })
        .send({ reason: 'done' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    },
    async drain() {
      let total = 0;
      for (let n = await queue.runOnce(t.cp.jobs.handlers); n > 0; n = await queue.runOnce(t.cp.jobs.handlers)) total += n;
      return total;
    },
    async get(id) {
      const res = await t.request.get(`/api/v1/requests/${id}`).set(admin);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as RequestState;
    },
    async close() {
      await t.close();
      await sandbox.close();
    },
  };
  return fixture;
}
