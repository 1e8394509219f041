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

/** custom_strategy.py from the guide, unchanged. */
export const CUSTOM_STRATEGY_PY = `from sym.sdk.strategies import AccessStrategy
import requests


class CustomStrategy(AccessStrategy):
    def fetch_remote_identity(self, user):
        """This method determines how to identify this Sym user in the third party system.

        For this example, we'll use the user's email address.
        """
        return user.email

    def headers(self):
        """This is a helper method to generate the headers needed to authenticate with the
        third party system. It is not required in all Custom Strategy implementations.
        """
        secrets = self.integration.settings["secrets"]

        if not secrets:
            raise RuntimeError("API key must be set as secret 0 in Terraform")

        api_key = secrets[0].retrieve_value()
        return {"Authorization": f"Bearer {api_key}"}

    def escalate(self, target_id, event):
        """This method executes after a user's request has been approved. It should elevate
        their permissions in the third party system.
        """
        # Get the user's identity in the third party system (in this case, their email).
        requester = self.get_requester_identity(event)

        # To use the identifier from \`sym_target.settings.identifier\`, we need to fetch the target object.
        target_identifier = event.payload.fields["target"].settings["identifier"]

        # Using the user's ID and requested target, make an API call to a third party system to escalate their permissions.
        payload = {
            "user_id": requester,
            "resource_id": target_identifier,
        }

        requests.post("https://some-api.invalid/escalate", headers=self.headers(), json=payload)

    def deescalate(self, target_id, event):
        """This method executes after a user's request has expired, or during a 'Revoke' event.
        It should deescalate their permissions in the third party system.
        """
        # Get the user's identity in the third party system (in this case, their email).
        requester = self.get_requester_identity(event)

        # To use the identifier from \`sym_target.settings.identifier\`, we need to fetch the target object.
        target_identifier = event.payload.fields["target"].settings["identifier"]

        # Using the user's ID and requested target, make an API call to a third party system to deescalate their permissions.
        payload = {
            "user_id": requester,
            "resource_id": target_identifier,
        }

        requests.post("https://some-api.invalid/deescalate", headers=self.headers(), json=payload)
`;

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
    const error = await sandbox
      .run({ source: leaky, filename: 'custom_strategy.py', call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration }, host: host() })
      .then(
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
