// Test helper: a control plane on in-memory PGlite with the real request store, job queue and
// strategy registry, a custom strategy calling the grant vendor double, and jobs run by the test
// (`drain`) instead of a poller, so every step is deterministic.
import assert from 'node:assert/strict';
import type { QueueRunner } from '../../jobs/queue-runner';
import { createLogger } from '../../logging/logger';
import { createSandbox } from '../../sandbox';
import { LOOPBACK_EGRESS } from '../../sandbox/http-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createEntityStore } from '../entities/entity-store';
import type { StrategyRegistry } from '../strategies/access-strategy';
import { createIdentityCacheStore } from '../strategies/identity-cache-store';
import { createStrategyRegistry } from '../strategies/strategy-registry';
import { startGrantVendorDouble, vendorStrategySource, type GrantVendorDouble } from './grant-vendor-double';

/** The running fixture. */
export interface VendorLifecycle {
  t: TestControlPlane;
  vendor: GrantVendorDouble;
  queue: QueueRunner;
  ids: { strategy: string; target: string; flow: string };
  /** A user and a token acting for them. */
  person(email: string, role?: 'admin' | 'member' | 'guest'): Promise<{ id: string; token: string }>;
  /** Creates a flow on the vendor strategy with this hook source. */
  flow(name: string, implementation: string, params?: Record<string, unknown>): Promise<string>;
  /** Creates a flow on a strategy (and target) of its own, so a test can delete them. */
  ownStrategyFlow(name: string): Promise<{ flow: string; strategy: string; target: string }>;
  /** Runs due jobs until none is due (retries are due at once: no backoff). */
  drain(): Promise<number>;
  /** `GET /requests/{id}` as the admin. */
  get(id: string): Promise<{ state: string; last_error: string | null; events: { type: string; data: Record<string, unknown> }[] } & Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the fixture; `flowSource` is the hook source of flow `vendor-flow`. */
export async function startVendorLifecycle(flowSource = 'export function on_request(event) {}\n'): Promise<VendorLifecycle> {
  const vendor = await startGrantVendorDouble();
  // The vendor double listens on loopback, which sym/http refuses unless the operator allows it.
  const sandbox = createSandbox({ egress: LOOPBACK_EGRESS });
  let registry: StrategyRegistry | undefined;
  // The control plane owns the database the registry reads, so the registry is bound once it exists.
  const lazy: StrategyRegistry = { runnerFor: (strategy) => registry!.runnerFor(strategy) };
  const t = await startTestControlPlane(undefined, { workflow: { strategies: lazy, jobs: { backoff: () => 0, leaseMs: 60_000 } } });
  registry = createStrategyRegistry({
    entities: createEntityStore(t.cp.db.prisma),
    identityCache: createIdentityCacheStore(t.cp.db.prisma),
    logger: createLogger('silent'),
    sandbox,
  });
  const bearer = { Authorization: `Bearer ${t.admin}` };
  const create = async (path: string, body: object): Promise<string> => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const integration = await create('entities/integrations', { type: 'custom', name: 'vendor', external_id: 'vendor', settings: { allowed_hosts: vendor.host } });
  const target = await create('entities/access-targets', { type: 'custom', name: 'vendor-target' });
  const strategy = await create('entities/access-strategies', { type: 'custom', name: 'vendor', targets: [target], integration_id: integration, implementation: vendorStrategySource(vendor.url) });
  const environment = await create('entities/environments', { name: 'vendor-env' });
  const flow = (name: string, implementation: string, params: Record<string, unknown> = {}) =>
    create('entities/flows', { name, implementation, environment_id: environment, params: { strategy_id: strategy, ...params } });
  const flowId = await flow('vendor-flow', flowSource);
  const ownStrategyFlow = async (name: string) => {
    const ownTarget = await create('entities/access-targets', { type: 'custom', name: `${name}-target` });
    const ownStrategy = await create('entities/access-strategies', {
      type: 'custom',
      name: `${name}-strategy`,
      targets: [ownTarget],
      integration_id: integration,
      implementation: vendorStrategySource(vendor.url),
    });
    const ownFlow = await create('entities/flows', { name, implementation: flowSource, environment_id: environment, params: { strategy_id: ownStrategy } });
    return { flow: ownFlow, strategy: ownStrategy, target: ownTarget };
  };
  const queue = t.cp.jobs.queue as QueueRunner;
  return {
    t,
    vendor,
    queue,
    ids: { strategy, target, flow: flowId },
    async person(email, role = 'member') {
      const id = await create('users', { email, role });
      const issued = await t.request.post(`/api/v1/users/${id}/tokens`).set(bearer).send({});
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      return { id, token: issued.body.token as string };
    },
    flow,
    ownStrategyFlow,
    async drain() {
      let total = 0;
      for (let n = await queue.runOnce(t.cp.jobs.handlers); n > 0; n = await queue.runOnce(t.cp.jobs.handlers)) total += n;
      return total;
    },
    async get(id) {
      const res = await t.request.get(`/api/v1/requests/${id}`).set(bearer);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    },
    async close() {
      await t.close();
      await sandbox.close();
      await vendor.close();
    },
  };
}
