// The seed's custom access strategy (custom-access-strategies.md) in JavaScript, calling a local
// HTTP double synchronously (no await), with the bearer token read from secret 0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from './create-sandbox';
import { type HttpDouble, LOOPBACK_EGRESS, startHttpDouble } from './http-double';
import type { JsonValue, SandboxIntegration, SymEvent } from './sandbox-call';
import { SandboxError } from './sandbox-error';
import type { SandboxLogLine } from './sandbox-host';

const TOKEN = 'tok-7f3a9c2e51d84b06';

function strategySource(api: string): string {
  return `import { AccessStrategy } from 'sym/sdk/strategies';
import requests from 'sym/http';

export class CustomStrategy extends AccessStrategy {
  fetch_remote_identity(user) {
    // For this example, we'll use the user's email address.
    return user.email;
  }

  headers() {
    const secrets = this.integration.settings.secrets;
    if (!secrets || secrets.length === 0) {
      throw new Error('API key must be set as secret 0 in Terraform');
    }
    const api_key = secrets[0].retrieve_value();
    return { Authorization: \`Bearer \${api_key}\` };
  }

  escalate(target_id, event) {
    const requester = this.get_requester_identity(event);
    const target_identifier = event.payload.fields.target.settings.identifier;
    const payload = { user_id: requester, resource_id: target_identifier };
    requests.post('${api}/escalate', { headers: this.headers(), json: payload });
  }

  deescalate(target_id, event) {
    const requester = this.get_requester_identity(event);
    const target_identifier = event.payload.fields.target.settings.identifier;
    const payload = { user_id: requester, resource_id: target_identifier };
    requests.post('${api}/deescalate', { headers: this.headers(), json: payload });
  }
}
`;
}

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

describe('seed custom strategy in the sandbox', () => {
  let api: HttpDouble;
  const logs: SandboxLogLine[] = [];
  const sandbox = createSandbox({ egress: LOOPBACK_EGRESS });
  const identities = new Map<string, JsonValue>();
  const secretReads: string[] = [];
  const host = () => ({
    allowedHosts: [api.host],
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

  before(async () => {
    api = await startHttpDouble();
  });
  after(async () => {
    await sandbox.close();
    await api.close();
  });

  it('escalate posts to the API with the bearer token from secret 0', async () => {
    const result = await sandbox.run({
      source: strategySource(api.url),
      filename: 'custom_strategy.js',
      call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration },
      host: host(),
    });
    assert.equal(result.value, undefined);
    assert.equal(api.requests.length, 1);
    const [request] = api.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/escalate');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), { user_id: 'alice@example.com', resource_id: 'some-resource' });
    assert.deepEqual(secretReads, ['sec-1']);
    assert.deepEqual([...identities], [['u-1/int-1', 'alice@example.com']], 'the identity is cached per user and integration');
  });

  it("a custom strategy's sym/http cannot reach the operator's loopback unless the operator allows it (same egress policy as hooks)", async () => {
    const strict = createSandbox({ maxWorkers: 1 });
    try {
      const before = api.requests.length;
      const error = await strict
        .run({
          source: strategySource(api.url),
          filename: 'custom_strategy.js',
          call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration },
          host: host(),
        })
        .then(
          () => assert.fail('expected the escalate to be refused'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof SandboxError);
      assert.equal(error.code, 'host_denied');
      assert.match(error.message, /egress to 127\.0\.0\.1 \(loopback\) is not allowed; the operator can allow it with SYM_EGRESS_ALLOW_CIDRS/);
      assert.ok(!error.message.includes(TOKEN));
      assert.equal(api.requests.length, before, 'nothing reached the API');
    } finally {
      await strict.close();
    }
  });

  it('deescalate posts to the API and reuses the cached identity', async () => {
    identities.set('u-1/int-1', 'cached@example.com');
    await sandbox.run({
      source: strategySource(api.url),
      filename: 'custom_strategy.js',
      call: { kind: 'strategy', method: 'deescalate', targetId: 't-1', event, integration },
      host: host(),
    });
    const request = api.requests.at(-1)!;
    assert.equal(request.path, '/deescalate');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(JSON.parse(request.body), { user_id: 'cached@example.com', resource_id: 'some-resource' });
  });

  it('get_requester_identity is callable on its own (identity lookups)', async () => {
    identities.clear();
    const result = await sandbox.run({
      source: strategySource(api.url),
      call: { kind: 'identity', event, integration },
      host: host(),
    });
    assert.equal(result.value, 'alice@example.com');
  });

  it('never lets the token appear in captured logs or errors', async () => {
    logs.length = 0;
    const leaky = strategySource(api.url).replace(
      "requests.post('" + api.url + "/escalate', { headers: this.headers(), json: payload });",
      `const headers = this.headers();
    console.log('calling with', headers, 'token', headers.Authorization.slice(7));
    console.error(JSON.stringify({ token: headers.Authorization.slice(7) }));
    requests.post('${api.url}/escalate', { headers, json: payload });
    throw new Error('escalation failed for ' + headers.Authorization);`,
    );
    assert.notEqual(leaky, strategySource(api.url));
    const error = await sandbox
      .run({
        source: leaky,
        filename: 'custom_strategy.js',
        call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration },
        host: host(),
      })
      .then(
        () => assert.fail('expected the hook to throw'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof SandboxError);
    assert.equal(error.code, 'runtime');
    assert.match(error.message, /escalation failed for Bearer \[REDACTED\]/);
    assert.equal(error.location?.file, 'custom_strategy.js');
    assert.ok(logs.length >= 2, 'console output was captured');
    const everything = [error.message, error.guestStack, error.stack ?? '', ...logs.map((l) => l.message)].join('\n');
    assert.ok(!everything.includes(TOKEN), 'the token leaked into logs or errors');
    assert.match(logs[0].message, /\[REDACTED\]/);
  });

  it('also works with await on host calls', async () => {
    const source = `import { AccessStrategy } from 'sym/sdk';
import * as http from 'sym/http';
export class Awaiting extends AccessStrategy {
  fetch_remote_identity(user) { return user.email; }
  async escalate(target_id, event) {
    const token = await this.integration.settings.secrets[0].retrieve_value();
    const response = await http.put('${api.url}/grants/' + target_id, { headers: { authorization: 'Bearer ' + token }, params: { dry: 'no' } });
    return { status: response.status_code, ok: response.ok, body: response.json() };
  }
  deescalate() {}
}
`;
    const result = await sandbox.run({
      source,
      call: { kind: 'strategy', method: 'escalate', targetId: 't-9', event, integration },
      host: host(),
    });
    assert.deepEqual(result.value, { status: 200, ok: true, body: { ok: true } });
    assert.equal(api.requests.at(-1)!.path, '/grants/t-9?dry=no');
  });
});
