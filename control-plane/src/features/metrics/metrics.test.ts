// Prometheus metrics after real traffic: HTTP latency by route pattern (never a raw id), requests
// by state from the database, hook and strategy durations and failures, job lag, sandbox
// saturation; served on their own port, and off (nothing measured) unless asked for.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { waitFor } from '../../jobs/testing/wait-for';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { StrategyError, type StrategyRegistry } from '../strategies/access-strategy';
import { startMetricsServer, type MetricsServer } from './metrics-server';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** Escalation fails once (a failure to count), then succeeds on the retry. */
let escalations = 0;
const strategies: StrategyRegistry = {
  runnerFor: () => ({
    escalate: async () => {
      if (escalations++ === 0) throw new StrategyError('grant API answered 503');
      return {};
    },
    deescalate: async () => ({}),
  }),
};

let t: TestControlPlane;
let server: MetricsServer;
let requestId: string;

/** Parses the exposition text into `name{labels} value` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}
const scrape = async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  const text = await res.text();
  return { text, samples: samples(text) };
};

before(async () => {
  t = await startTestControlPlane(undefined, { workflow: { strategies, jobs: { pollIntervalMs: 20, backoff: { baseMs: 10, maxMs: 20 } } }, startJobs: true, metrics: true });
  server = await startMetricsServer({ metrics: t.cp.metrics!, port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }) });
  const made = async (path: string, body: object, token = t.admin) => {
    const res = await t.request.post(`/api/v1/${path}`).set(bearer(token)).send(body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const env = await made('entities/environments', { name: 'metrics' });
  const target = await made('entities/access-targets', { type: 'custom', name: 'db' });
  const strategy = await made('entities/access-strategies', {
    type: 'custom',
    name: 'db-access',
    targets: [target.id],
    implementation: `import { AccessStrategy } from "sym/sdk/strategies";\nexport class S extends AccessStrategy {\n  escalate(target_id, event) {}\n  deescalate(target_id, event) {}\n}\n`,
  });
  const approve = 'import { events } from "sym/sdk";\nexport function on_request(event) { return events.approval.approve(); }\n';
  await made('entities/flows', { name: 'auto', implementation: approve, environment_id: env.id, params: { strategy_id: strategy.id } });
  await made('entities/flows', { name: 'broken', implementation: 'export function on_request(event) { throw new Error("nope"); }\n', environment_id: env.id, params: {} });
  const user = await made('users', { email: 'metered@example.com' });
  const { token } = await made(`users/${user.id}/tokens`, {});
  requestId = (await made('events/request', { flow: 'auto', flow_inputs: { target: 'db' } }, token)).id;
  await t.request.post('/api/v1/events/request').set(bearer(token)).send({ flow: 'broken', flow_inputs: {} });
  await t.request.get(`/api/v1/requests/${requestId}`).set(bearer(t.admin)).expect(200);
  await t.request.get('/api/v1/no/such/route').set(bearer(t.admin)).expect(404);
  await waitFor('the grant to become active', async () => (await t.request.get(`/api/v1/requests/${requestId}`).set(bearer(t.admin))).body.state === 'active' || null, 30_000);
});
after(async () => {
  await server?.close();
  await t?.close();
});

describe('metrics', () => {
  it('times HTTP requests by route pattern, never by raw path', async () => {
    const { samples: s, text } = await scrape();
    const count = (route: string, method: string, status: string) => s.get(`opensym_http_request_duration_seconds_count{method="${method}",route="${route}",status_code="${status}"}`);
    assert.ok(
      (count('/api/v1/events/request', 'POST', '201') ?? 0) >= 1,
      text
        .split('\n')
        .filter((l) => l.includes('http_request'))
        .join('\n'),
    );
    assert.ok((count('/api/v1/requests/:id', 'GET', '200') ?? 0) >= 1);
    // Entity routes are registered per kind from the OpenAPI document's operations: one label per kind, never an id.
    const entityCreates = [...s].filter(([k]) => /^opensym_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/entities\/[a-z-]+",status_code="201"\}$/.test(k));
    assert.ok(entityCreates.reduce((n, [, v]) => n + v, 0) >= 5, entityCreates.map(([k]) => k).join('\n'));
    assert.ok((count('/api/v1/entities/flows', 'POST', '201') ?? 0) >= 2);
    assert.ok((count('unmatched', 'GET', '404') ?? 0) >= 1);
    assert.ok(!text.includes(requestId), 'no request id in any label');
    const sum = s.get('opensym_http_request_duration_seconds_sum{method="POST",route="/api/v1/events/request",status_code="201"}')!;
    assert.ok(sum > 0 && sum < 600, `sane latency sum ${sum}`);
  });

  it('counts requests by state from the database', async () => {
    const { samples: s } = await scrape();
    assert.equal(s.get('opensym_access_requests{state="active"}'), 1);
  });

  it('times hooks and counts hook failures', async () => {
    const { samples: s } = await scrape();
    assert.ok((s.get('opensym_hook_duration_seconds_count{hook="on_request",outcome="ok"}') ?? 0) >= 1);
    assert.equal(s.get('opensym_hook_failures_total{hook="on_request"}'), 1);
    assert.ok((s.get('opensym_hook_duration_seconds_count{hook="on_request",outcome="error"}') ?? 0) >= 1);
  });

  it('times strategy calls and counts their failures, and records job lag', async () => {
    const { samples: s } = await scrape();
    assert.equal(s.get('opensym_strategy_failures_total{type="custom",action="escalate"}'), 1);
    assert.equal(s.get('opensym_strategy_duration_seconds_count{type="custom",action="escalate",outcome="ok"}'), 1);
    assert.equal(s.get('opensym_strategy_duration_seconds_count{type="custom",action="escalate",outcome="error"}'), 1);
    const lagCount = s.get('opensym_job_lag_seconds_count{kind="escalate"}');
    assert.equal(lagCount, 2, 'the first attempt and the retry');
    const lagSum = s.get('opensym_job_lag_seconds_sum{kind="escalate"}')!;
    assert.ok(lagSum >= 0 && lagSum < 60, `sane job lag ${lagSum}`);
  });

  it('reports sandbox worker saturation and the job runner', async () => {
    const { samples: s } = await scrape();
    const total = s.get('opensym_sandbox_workers_total')!;
    const busy = s.get('opensym_sandbox_workers_busy')!;
    assert.ok(total >= 1, `total ${total}`);
    assert.ok(busy >= 0 && busy <= total, `busy ${busy} of ${total}`);
    assert.equal(s.get('opensym_sandbox_waiting'), 0);
    assert.equal(s.get('opensym_job_runner_running'), 1);
  });

  it('serves only GET /metrics on its port', async () => {
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/`)).status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status, 405);
  });

  it('is off unless asked for: no /metrics on the API and nothing measured', async () => {
    const plain = await startTestControlPlane();
    try {
      assert.equal(plain.cp.metrics, undefined);
      assert.equal((await plain.request.get('/metrics')).status, 404);
    } finally {
      await plain.close();
    }
  });
});
