// The examples' JavaScript, run in the control plane's QuickJS sandbox: plan-time checks pass and
// the translated seed logic behaves like the Python it came from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createSandbox, type JsonValue, type SymEvent, type SymUser } from '../../control-plane/src/sandbox/index';
import { LOOPBACK_EGRESS, startHttpDouble } from '../../control-plane/src/sandbox/http-double';
import { examplesDir } from './paths';

// The HTTP doubles listen on loopback, which sym/http refuses unless the operator allows it.
const sandbox = createSandbox({ maxWorkers: 1, egress: LOOPBACK_EGRESS });
after(() => sandbox.close());

const read = (example: string, file: string) => readFileSync(path.join(examplesDir, example, file), 'utf8');
const requester: SymUser = { id: 'u-req', email: 'Requester@Example.com' };

/** The inline strategy of examples/quickstart/main.tf (the heredoc of `implementation`). */
function quickstartStrategy(): string {
  const match = /implementation = <<-EOT\n([\s\S]*?)\n\s*EOT/.exec(read('quickstart', 'main.tf'));
  assert.ok(match, 'quickstart main.tf has an inline implementation heredoc');
  return match[1]!.replace(/^ {4}/gm, '');
}

describe('plan-time checks accept every example implementation', () => {
  const flows = ['quickstart', 'user-impersonation', 'routing-rules', 'custom-access-strategy'];
  for (const example of flows) {
    test(`${example}/impl.js`, async () => {
      assert.deepEqual(await sandbox.check(read(example, 'impl.js'), { kind: 'flow', filename: 'impl.js' }), []);
    });
  }
  test('custom-access-strategy/custom_strategy.js', async () => {
    assert.deepEqual(await sandbox.check(read('custom-access-strategy', 'custom_strategy.js'), { kind: 'strategy' }), []);
  });
  test('quickstart inline strategy', async () => {
    assert.deepEqual(await sandbox.check(quickstartStrategy(), { kind: 'strategy' }), []);
  });
  test('routing-rules/flows_filter.js', async () => {
    assert.deepEqual(await sandbox.check(read('routing-rules', 'flows_filter.js'), { kind: 'flows-filter' }), []);
  });
});

describe('routing-rules/impl.js behaves like the seed', () => {
  const source = read('routing-rules', 'impl.js');
  const event = (fields: Record<string, JsonValue>): SymEvent => ({ type: 'request', user: requester, payload: { fields } });
  const managers: SymUser[] = [
    { id: 'm1', email: 'm1@example.com' },
    { id: 'm2', email: 'm2@example.com' },
  ];
  const asked: JsonValue[] = [];
  const host = { pagerduty: { onCall: (query: Record<string, string | undefined>) => (asked.push(query as JsonValue), managers), isOnCall: () => false } };

  test('on_request approves free-plan requests and leaves the rest alone', async () => {
    const free = await sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event: event({ customer_plan: 'free', is_assigned: false }) } });
    assert.deepEqual(free.value, { type: 'approval.approve' });
    const pro = await sandbox.run({ source, call: { kind: 'hook', name: 'on_request', event: event({ customer_plan: 'pro', is_assigned: false }) } });
    assert.equal(pro.value, undefined);
  });

  test('get_approver lets an assigned user approve their own request', async () => {
    const result = await sandbox.run({ source, host, call: { kind: 'hook', name: 'get_approver', event: event({ customer_plan: 'pro', is_assigned: true }) } });
    assert.deepEqual(result.value, { type: 'slack.user', user_id: 'u-req', email: 'Requester@Example.com' });
  });

  test('get_approver sends everyone else to the on-call managers', async () => {
    const result = await sandbox.run({ source, host, call: { kind: 'hook', name: 'get_approver', event: event({ customer_plan: 'enterprise', is_assigned: false }) } });
    assert.deepEqual(result.value, [
      { type: 'slack.user', user_id: 'm1', email: 'm1@example.com' },
      { type: 'slack.user', user_id: 'm2', email: 'm2@example.com' },
    ]);
    assert.deepEqual(asked, [{ schedule: 'id_of_mgr_on_call' }]);
  });
});

describe('custom-access-strategy/custom_strategy.js behaves like the seed', () => {
  const integration = { id: 'i-custom', type: 'custom', settings: {}, secrets: [{ id: 's-api-key' }] };
  const identities = new Map<string, JsonValue>();
  const identityCache = { get: (u: string, i: string) => identities.get(`${u}/${i}`), set: (u: string, i: string, v: JsonValue) => void identities.set(`${u}/${i}`, v) };
  const event: SymEvent = { type: 'escalate', user: requester, payload: { fields: { reason: 'debugging', target: { settings: { identifier: 'some-resource' } } } } };

  test('fetch_remote_identity is the email', async () => {
    const result = await sandbox.run({ source: read('custom-access-strategy', 'custom_strategy.js'), host: { identityCache }, call: { kind: 'identity', event, integration } });
    assert.equal(result.value, 'Requester@Example.com');
  });

  for (const method of ['escalate', 'deescalate'] as const) {
    test(`${method} posts the requester and target with the API key`, async () => {
      const api = await startHttpDouble();
      try {
        // Only the third party's address changes: the seed's some-api.invalid becomes a local double.
        const source = read('custom-access-strategy', 'custom_strategy.js').replaceAll('https://some-api.invalid', api.url);
        await sandbox.run({
          source,
          host: { identityCache, allowedHosts: [api.host], retrieveSecret: () => 'secret-api-key' },
          call: { kind: 'strategy', method, targetId: 't-custom', event, integration },
        });
        assert.equal(api.requests.length, 1);
        const [request] = api.requests;
        assert.equal(request!.method, 'POST');
        assert.equal(request!.path, `/${method}`);
        assert.equal(request!.headers.authorization, 'Bearer secret-api-key');
        assert.deepEqual(JSON.parse(request!.body), { user_id: 'Requester@Example.com', resource_id: 'some-resource' });
      } finally {
        await api.close();
      }
    });
  }

  test('headers() refuses an integration without secrets', async () => {
    await assert.rejects(
      sandbox.run({
        source: read('custom-access-strategy', 'custom_strategy.js'),
        host: { identityCache },
        call: { kind: 'strategy', method: 'escalate', targetId: 't', event, integration: { ...integration, secrets: [] } },
      }),
      /API key must be set as secret 0 in Terraform/,
    );
  });
});
