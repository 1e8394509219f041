// The seed's custom access strategy (shared/seeds/custom-access-strategies.md), custom_strategy.py
// exactly as the guide writes it, run by the Python engine against a local HTTP double. The only
// change in the second suite is the API's address (`https://some-api.invalid`, a placeholder the
// guide's readers replace), pointed at the double.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from '../create-sandbox';
import { type HttpDouble, LOOPBACK_EGRESS, startHttpDouble } from '../http-double';
import type { JsonValue, SandboxIntegration, SymEvent } from '../sandbox-call';
import { SandboxError } from '../sandbox-error';
import type { SandboxLogLine } from '../sandbox-host';
import { CUSTOM_STRATEGY_PY } from '../../test-support/python-seeds';

const TOKEN = 'tok-py-5be1c0a9e27d';

const integration: SandboxIntegration = {
  id: 'int-1',
  name: 'custom-integration',
  type: 'custom',
  external_id: 'my-account',
  settings: {},
  secrets: [{ id: 'sec-1', path: 'sym/custom-strategy/api-key' }],
};

const event: SymEvent = {
  type: 'escalate',
  user: { id: 'u-1', email: 'alice@example.com' },
  payload: { fields: { target: { id: 't-1', settings: { identifier: 'some-resource' } }, reason: 'debugging' } },
};

describe('seed custom strategy (custom_strategy.py) in the Python sandbox', () => {
  let api: HttpDouble;
  const logs: SandboxLogLine[] = [];
  const sandbox = createSandbox({ egress: LOOPBACK_EGRESS });
  const identities = new Map<string, JsonValue>();
  const secretReads: string[] = [];
  const host = (allowedHosts = [api.host]) => ({
    allowedHosts,
    retrieveSecret: (secret: { id: string }) => {
      secretReads.push(secret.id);
      return TOKEN;
    },
    identityCache: {
      get: (user: string, integ: string) => identities.get(`${user}/${integ}`),
      set: (user: string, integ: string, identity: JsonValue) => void identities.set(`${user}/${integ}`, identity),
    },
    onLog: (line: SandboxLogLine) => logs.push(line),
  });
  const pointedAtDouble = () => CUSTOM_STRATEGY_PY.replaceAll('https://some-api.invalid', api.url);

  before(async () => {
    api = await startHttpDouble();
  });
  after(async () => {
    await sandbox.close();
    await api.close();
  });

  it('unchanged, its requests.post goes through the sym/http egress rules (the placeholder host is not allowed)', async () => {
    const error = await sandbox
      .run({ source: CUSTOM_STRATEGY_PY, filename: 'custom_strategy.py', call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration }, host: host() })
      .then(
        () => assert.fail('expected host_denied'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof SandboxError);
    assert.equal(error.code, 'host_denied');
    assert.match(error.message, /HTTP to https:\/\/some-api\.invalid is not allowed/);
    assert.equal(error.location?.file, 'custom_strategy.py');
    assert.equal(error.location?.line, 41, 'the line of requests.post in escalate');
    assert.equal(api.requests.length, 0);
  });

  it('escalate posts to the API with the bearer token from secret 0', async () => {
    identities.clear();
    const result = await sandbox.run({ source: pointedAtDouble(), filename: 'custom_strategy.py', call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration }, host: host() });
    assert.equal(result.value, undefined);
    const request = api.requests.at(-1)!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/escalate');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), { user_id: 'alice@example.com', resource_id: 'some-resource' });
    assert.ok(secretReads.includes('sec-1'));
    assert.deepEqual([...identities], [['u-1/int-1', 'alice@example.com']], 'the identity is cached per user and integration');
  });

  it('deescalate posts to the API and reuses the cached identity', async () => {
    identities.set('u-1/int-1', 'cached@example.com');
    await sandbox.run({ source: pointedAtDouble(), filename: 'custom_strategy.py', call: { kind: 'strategy', method: 'deescalate', targetId: 't-1', event, integration }, host: host() });
    const request = api.requests.at(-1)!;
    assert.equal(request.path, '/deescalate');
    assert.deepEqual(JSON.parse(request.body), { user_id: 'cached@example.com', resource_id: 'some-resource' });
  });

  it('get_requester_identity is callable on its own (identity lookups)', async () => {
    identities.clear();
    const result = await sandbox.run({ source: pointedAtDouble(), filename: 'custom_strategy.py', call: { kind: 'identity', event, integration }, host: host() });
    assert.equal(result.value, 'alice@example.com');
  });

  it('never lets the token appear in captured logs or errors', async () => {
    logs.length = 0;
    const leaky = pointedAtDouble().replace(
      `        requests.post("${api.url}/escalate", headers=self.headers(), json=payload)`,
      `        headers = self.headers()
        print("calling with", headers, "token", headers["Authorization"][7:])
        requests.post("${api.url}/escalate", headers=headers, json=payload)
        raise RuntimeError("escalation failed for " + headers["Authorization"])`,
    );
    const error = await sandbox.run({ source: leaky, filename: 'custom_strategy.py', call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration }, host: host() }).then(
      () => assert.fail('expected the strategy to raise'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxError);
    assert.equal(error.code, 'runtime');
    assert.match(error.message, /RuntimeError: escalation failed for Bearer \[REDACTED\]/);
    assert.equal(error.location?.file, 'custom_strategy.py');
    assert.ok(logs.length >= 1, 'print output was captured');
    const everything = [error.message, error.guestStack, ...logs.map((l) => l.message)].join('\n');
    assert.ok(!everything.includes(TOKEN), 'the token leaked into logs or errors');
    assert.match(logs[0].message, /\[REDACTED\]/);
  });
});
