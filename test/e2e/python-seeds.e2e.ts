/**
 * The seeds' Python through tofu and terraform: a configuration whose flow implementation is the routing-rules
 * impl.py (`file("impl.py")`) and whose custom strategy is custom_strategy.py (`file("custom_strategy.py")`), both as
 * the guides write them. `validate` reports a forbidden import in impl.py at its line; `apply`
 * stores both; then a free-plan request is approved by the Python `on_request`, escalated and,
 * after a revoke, deescalated by the Python strategy against a local HTTP double, with the API
 * key from an `env` secret. Under every CLI (tofu and terraform), each with its own control plane,
 * as sym-compat.e2e.ts runs.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type HttpDouble, startHttpDouble } from '../../control-plane/src/sandbox/http-double';
import { expectStatus } from '../src/api-call';
import { ControlPlane, progress, setupSuite, Workspace } from '../src/index';
import { fixturesDir } from '../src/paths';

const { clis, mirror } = await setupSuite();
const noInput = ['-input=false', '-no-color'];
const TOKEN = 'e2e-python-api-key-5d1c';

async function waitForState(cp: ControlPlane, id: string, state: string, timeoutMs = 90_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = await expectStatus(cp, 200, cp.token, 'GET', `/api/v1/requests/${id}`);
    if (last.state === state) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`request ${id} did not reach ${state} within ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${cp.logTail(3000)}`);
}

for (const cli of clis) {
  describe(`the seeds' Python implementations · ${cli.name} · pglite`, { timeout: 10 * 60_000 }, () => {
    let api: HttpDouble;
    let cp: ControlPlane;
    let ws: Workspace | undefined;

    before(async () => {
      api = await startHttpDouble();
      cp = await ControlPlane.start({ label: 'python-seeds', env: { SYM_SECRET_E2E_PY_API_KEY: TOKEN } });
      ws = Workspace.fromDirectory(cli, path.join(fixturesDir, 'python-seeds'), { mirror, apiUrl: cp.url, token: cp.token, org: cp.org });
      ws.write('main.tf', ws.read('main.tf').replaceAll('API_HOST', api.host));
      ws.write('custom_strategy.py', ws.read('custom_strategy.py').replaceAll('https://some-api.invalid', api.url));
      await ws.ok(['init', ...noInput]);
    });

    after(async () => {
      ws?.dispose();
      await cp?.stop();
      await api?.close();
    });

    test('validate reports a forbidden import in impl.py at its line, without the API', async () => {
      const seed = ws!.read('impl.py');
      ws!.write('impl.py', seed.replace('from sym import events\n', 'from sym import events\nimport subprocess\n'));
      try {
        const result = await ws!.fails(['validate', '-no-color']);
        assert.match(result.stderr + result.stdout, /line 2: module "subprocess" is not available in the\s+sandbox/);
      } finally {
        ws!.write('impl.py', seed);
      }
      await ws!.ok(['validate', '-no-color']);
    });

    test('apply stores impl.py and custom_strategy.py; a free-plan request runs both through escalate and deescalate', async () => {
      await ws!.ok(['apply', ...noInput, '-auto-approve']);
      const strategies = await expectStatus(cp, 200, cp.token, 'GET', '/api/v1/entities/access-strategies');
      const strategy = strategies.data.find((s: { name: string }) => s.name === 'custom-access');
      assert.match(strategy.implementation, /^from sym\.sdk\.strategies import AccessStrategy\nimport requests\n/);

      const user = await expectStatus(cp, 201, cp.token, 'POST', '/api/v1/users', { email: 'dev@example.com', role: 'member' });
      const issued = await expectStatus(cp, 201, cp.token, 'POST', `/api/v1/users/${user.id}/tokens`, {});
      const created = await expectStatus(cp, 201, issued.token, 'POST', '/api/v1/events/request', { flow: 'impersonate', flow_inputs: { customer_plan: 'free', is_assigned: false } });
      await waitForState(cp, created.id, 'active');
      await expectStatus(cp, 200, issued.token, 'POST', `/api/v1/requests/${created.id}/revoke`, { reason: 'done' });
      const done = await waitForState(cp, created.id, 'done');
      assert.deepEqual(
        api.requests.map((r) => [r.method, r.path, r.headers.authorization, JSON.parse(r.body)]),
        [
          ['POST', '/escalate', `Bearer ${TOKEN}`, { user_id: 'dev@example.com', resource_id: 'some-resource' }],
          ['POST', '/deescalate', `Bearer ${TOKEN}`, { user_id: 'dev@example.com', resource_id: 'some-resource' }],
        ],
      );
      const types = done.events.map((e: { type: string }) => e.type);
      assert.ok(types.includes('request.escalated') && types.includes('request.deescalated'), types.join(', '));
      assert.ok(!JSON.stringify(done).includes(TOKEN));
      progress(`    python seeds: ${types.join(' → ')}`);
    });
  });
}
