// Sym's aws_sso / aws_iam / aws_lambda helpers, event.get_actor, SymException and the Python
// parity helpers (slack.send_message, pagerduty.users_on_call), each run as a hook through the
// real sandbox in both languages. The AWS door here is a recording double; the control plane's
// door against moto and the Lambda double is tested in features/strategies/aws-hook-host.test.ts.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AwsHost } from './aws-host';
import { createSandbox } from './create-sandbox';
import type { JsonValue, SymEvent, SymUser } from './sandbox-call';
import { SandboxError } from './sandbox-error';
import type { SandboxHost } from './sandbox-host';

const requester: SymUser = { id: 'u-1', email: 'ana@example.com', identities: {} };
const approver: SymUser = { id: 'u-2', email: 'bo@example.com' };
const event: SymEvent = { type: 'approve', user: requester, payload: { fields: {} }, run: { id: 'r-1', actors: { request: requester, approve: approver } } };

function awsDouble(overrides: Partial<AwsHost> = {}): AwsHost & { calls: Array<[string, ...unknown[]]> } {
  const calls: Array<[string, ...unknown[]]> = [];
  return {
    calls,
    ssoIsUserInGroup: async (user, group) => (calls.push(['sso.is', user, group]), group === 'Admins'),
    ssoUsersInGroup: async (group) => (calls.push(['sso.users', group]), [{ email: 'ana@example.com', username: 'ana' }]),
    iamIsUserInGroup: async (user, group) => (calls.push(['iam.is', user, group]), group === 'oncall'),
    iamUsersInGroup: async (group) => (calls.push(['iam.users', group]), [{ username: 'ana@example.com', email: 'ana@example.com' }]),
    lambdaInvoke: async (arn, payload, mode) => (calls.push(['lambda', arn, payload, mode]), mode === 'async' ? true : ({ echoed: payload } as JsonValue)),
    ...overrides,
  };
}

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:grant';

const JS = `
import { aws_sso, aws_iam, aws_lambda, SymException } from 'sym/sdk';
export function on_request(event) {
  return {
    sso: aws_sso.is_user_in_group(event.user, { group_name: 'Admins' }),
    sso_other: aws_sso.is_user_in_group('x@example.com', { group_name: 'Other' }),
    sso_users: aws_sso.users_in_group({ group_name: 'Admins' }),
    iam: aws_iam.is_user_in_group(event.user, { group_name: 'oncall' }),
    iam_users: aws_iam.users_in_group('oncall'),
    sync: aws_lambda.invoke('${ARN}', { a: 1 }),
    queued: aws_lambda.invoke_async('${ARN}', { b: 2 }),
  };
}
export function on_approve(event) {
  return { approver: event.get_actor('approve'), escalate: event.get_actor('escalate'), nobody: event.get_actor('deny') };
}
export function on_deny(event) {
  throw new SymException('Only on-call engineers may request prod');
}
export function after_deny(event) {
  aws_iam.is_user_in_group(event.user, { group_name: 'oncall' });
}
export function get_approvers(event) {
  for (;;) aws_iam.is_user_in_group(event.user, { group_name: 'oncall' });
}
`;

const PY = `
from sym.sdk.annotations import hook, reducer
from sym.sdk.integrations import aws_sso, aws_iam, aws_lambda
from sym.sdk.exceptions import SymException, AWSIAMError

@hook
def on_request(event):
    return {
        "sso": aws_sso.is_user_in_group(event.user, group_name="Admins"),
        "sso_other": aws_sso.is_user_in_group("x@example.com", group_name="Other"),
        "sso_users": aws_sso.users_in_group("Admins"),
        "iam": aws_iam.is_user_in_group(event.user, group_name="oncall"),
        "iam_users": aws_iam.users_in_group(group_name="oncall"),
        "sync": aws_lambda.invoke("${ARN}", {"a": 1}),
        "queued": aws_lambda.invoke_async("${ARN}", {"b": 2}),
    }

@hook
def on_approve(event):
    return {"approver": event.get_actor("approve"), "escalate": event.get_actor("escalate"), "nobody": event.get_actor("deny")}

@hook
def on_deny(event):
    raise SymException("Only on-call engineers may request prod")

@hook
def after_deny(event):
    try:
        aws_iam.is_user_in_group(event.user, group_name="oncall")
    except AWSIAMError as error:
        raise SymException("caught: " + error.message)

@reducer
def get_approvers(event):
    while True:
        aws_iam.is_user_in_group(event.user, group_name="oncall")
`;

const STRATEGY_JS = `
import { AccessStrategy, SymException } from 'sym/sdk';
export class Grant extends AccessStrategy {
  escalate(target_id, event) {
    throw new SymException('the API refused token ' + this.integration.settings.secrets[0].retrieve_value());
  }
  deescalate() {}
}
`;

const STRATEGY_PY = `
from sym.sdk.strategies import AccessStrategy
from sym.sdk.exceptions import SymException

class CustomStrategy(AccessStrategy):
    def escalate(self, target_id, event):
        raise SymException("the API refused token " + self.integration.settings["secrets"][0].retrieve_value())

    def deescalate(self, target_id, event):
        pass
`;

const EXPECTED = {
  sso: true,
  sso_other: false,
  sso_users: [{ email: 'ana@example.com', username: 'ana' }],
  iam: true,
  iam_users: [{ username: 'ana@example.com', email: 'ana@example.com' }],
  sync: { echoed: { a: 1 } },
  queued: true,
};

for (const [language, source, filename] of [
  ['JavaScript', JS, 'impl.js'],
  ['Python', PY, 'impl.py'],
] as const) {
  describe(`Sym's AWS helpers, get_actor and SymException in ${language}`, () => {
    const sandbox = createSandbox();
    after(() => sandbox.close());
    const run = (name: string, host: SandboxHost, limits?: { maxHostCalls: number }) =>
      // A generous CPU limit: two cores shared by many test runs make a cold Python start slow.
      sandbox.run({ source, filename, call: { kind: 'hook', name, event }, host, limits: { cpuMs: 20_000, ...limits } });

    it('answers aws_sso, aws_iam and aws_lambda (sync and async) through the AWS door', async () => {
      const aws = awsDouble();
      const result = await run('on_request', { aws });
      assert.deepEqual(result.value, EXPECTED);
      assert.deepEqual(
        aws.calls.map((c) => c[0]),
        ['sso.is', 'sso.is', 'sso.users', 'iam.is', 'iam.users', 'lambda', 'lambda'],
      );
      assert.deepEqual(aws.calls[0], ['sso.is', { id: 'u-1', email: 'ana@example.com', identities: {} }, 'Admins']);
      assert.deepEqual(aws.calls[1], ['sso.is', { email: 'x@example.com' }, 'Other']);
      assert.deepEqual(aws.calls[5], ['lambda', ARN, { a: 1 }, 'sync']);
      assert.deepEqual(aws.calls[6], ['lambda', ARN, { b: 2 }, 'async']);
    });

    it('refuses the AWS helpers when the flow has no AWS door', async () => {
      await assert.rejects(run('on_request', {}), (error: unknown) => error instanceof SandboxError && error.code === 'host_denied' && /AWS is not configured/.test(error.message));
    });

    it('event.get_actor names who did a step; escalate is the approver; a step nobody did is null', async () => {
      const result = await run('on_approve', {});
      assert.deepEqual(result.value, { approver: approver, escalate: approver, nobody: null });
    });

    it('a SymException fails the hook with its own message (code hook_exception)', async () => {
      await assert.rejects(run('on_deny', {}), (error: unknown) => {
        assert.ok(error instanceof SandboxError);
        assert.equal(error.code, 'hook_exception');
        assert.equal(error.message, 'Only on-call engineers may request prod');
        return true;
      });
    });

    it('a SymException from a strategy has the secret values it read redacted from its message', async () => {
      const strategy = language === 'Python' ? STRATEGY_PY : STRATEGY_JS;
      const failure = sandbox.run({
        source: strategy,
        filename: language === 'Python' ? 'custom_strategy.py' : 'strategy.js',
        call: { kind: 'strategy', method: 'escalate', targetId: 't-1', event, integration: { id: 'i-1', secrets: [{ id: 's-1' }] } },
        host: { retrieveSecret: () => 'tok-SECRET-1234' },
        limits: { cpuMs: 20_000 },
      });
      await assert.rejects(failure, (error: unknown) => {
        assert.ok(error instanceof SandboxError);
        assert.equal(error.code, 'hook_exception');
        assert.equal(error.message, 'the API refused token [REDACTED]');
        return true;
      });
    });

    it('a vendor failure becomes an error saying what to fix, as a SymException subclass', async () => {
      const aws = awsDouble({
        iamIsUserInGroup: async () => {
          throw new Error("missing permission iam:GetGroup: AWS denied it to arn:aws:iam::123456789012:role/runtime; allow iam:GetGroup in that role's policy");
        },
      });
      await assert.rejects(run('after_deny', { aws }), (error: unknown) => {
        assert.ok(error instanceof SandboxError);
        assert.equal(error.code, 'hook_exception');
        assert.match(error.message, /missing permission iam:GetGroup/);
        return true;
      });
    });

    it('stops a hook that loops on an AWS helper at the host-call limit', async () => {
      const aws = awsDouble();
      await assert.rejects(run('get_approvers', { aws }, { maxHostCalls: 5 }), (error: unknown) => {
        assert.ok(error instanceof SandboxError);
        assert.equal(error.code, 'host_denied');
        assert.match(error.message, /more than 5 host calls/);
        return true;
      });
      assert.equal(aws.calls.length, 5);
    });
  });
}

describe('Python parity with the JavaScript SDK: slack.send_message and pagerduty.users_on_call', () => {
  const sandbox = createSandbox();
  after(() => sandbox.close());
  const PARITY_PY = `
from sym.sdk.integrations import slack, pagerduty

def after_request(event):
    slack.send_message("#ops", "new request")
    slack.send_message("C0123ABC", "by id")
    slack.send_message(event.user, "as a DM")
    slack.send_message("bo@example.com", "by email")
    return pagerduty.users_on_call(schedule_id="P123")

def get_approvers(event):
    return pagerduty.users_on_call(escalation_policy_id="EP9")
`;

  it('posts through the Slack door with the same destinations as the JavaScript SDK', async () => {
    const sent: Array<[JsonValue, string]> = [];
    const asked: unknown[] = [];
    const result = await sandbox.run({
      source: PARITY_PY,
      filename: 'impl.py',
      call: { kind: 'hook', name: 'after_request', event },
      limits: { cpuMs: 20_000 },
      host: {
        slack: { sendMessage: async (destination, text) => void sent.push([destination, text]) },
        pagerduty: { onCall: (query) => (asked.push(query), [approver]), isOnCall: () => false },
      },
    });
    assert.deepEqual(sent, [
      [{ type: 'slack.channel', name: '#ops', allow_self: false }, 'new request'],
      [{ type: 'slack.channel', name: 'C0123ABC', allow_self: false }, 'by id'],
      [{ type: 'slack.user', user_id: 'u-1', email: 'ana@example.com' }, 'as a DM'],
      [{ type: 'slack.user', email: 'bo@example.com' }, 'by email'],
    ]);
    assert.deepEqual(result.value, [approver]);
    assert.deepEqual(asked, [{ schedule: 'P123' }]);
  });

  it("imports Sym's module paths: sym.sdk.exceptions.aws, sym.sdk.integrations.aws_iam and the older sym.integrations", async () => {
    const source = `
from sym.sdk.exceptions.aws import AWSIAMError, AWSLambdaError
from sym.sdk.exceptions import SymException
from sym.sdk.integrations.aws_iam import is_user_in_group
from sym.integrations import aws_lambda

def on_request(event):
    error = AWSIAMError("GROUP_NOT_FOUND", "no such group")
    return [issubclass(AWSLambdaError, SymException), error.error_code, error.to_dict(), callable(is_user_in_group), callable(aws_lambda.invoke_async)]
`;
    const result = await sandbox.run({ source, filename: 'impl.py', call: { kind: 'hook', name: 'on_request', event }, limits: { cpuMs: 20_000 } });
    assert.deepEqual(result.value, [true, 'AWSIAM:GROUP_NOT_FOUND', { error: true, message: 'no such group', code: 'AWSIAM:GROUP_NOT_FOUND' }, true, true]);
  });

  it('users_on_call by escalation policy id asks PagerDuty for that policy', async () => {
    const asked: unknown[] = [];
    const result = await sandbox.run({
      source: PARITY_PY,
      filename: 'impl.py',
      call: { kind: 'hook', name: 'get_approvers', event },
      limits: { cpuMs: 20_000 },
      host: { pagerduty: { onCall: (query) => (asked.push(query), [approver]), isOnCall: () => false } },
    });
    assert.deepEqual(result.value, [approver]);
    assert.deepEqual(asked, [{ escalation_policy: 'EP9' }]);
  });
});
