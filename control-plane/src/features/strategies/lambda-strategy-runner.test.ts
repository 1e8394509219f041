// aws_lambda strategies against the Lambda double, through the same SDK client production uses
// (only the endpoint differs): invoke by ARN, and deploy-then-invoke for `code`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../logging/logger';
import type { SymEvent } from '../../sandbox';
import { type LambdaDouble, startLambdaDouble } from '../../test-support/lambda-double';
import { type StrategyInvocation, StrategyError } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import type { StrategyFailureReport } from './error-reporter';
import type { LambdaStrategyEvent } from './lambda-payload';
import { createStrategyRegistry, type StrategyRegistryDeps } from './strategy-registry';

// The SDK warns once per process that Node 20 is nearing its end of support; that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SECRET_KEY = 'double-secret-access-key-9f8e7d';
const ROLE = 'arn:aws:iam::123456789012:role/opensym-strategies';
const seedCode = await readFile(new URL('../../../../examples/user-impersonation/my_lambda_code.js', import.meta.url), 'utf8');

function entity(kind: string, type: string | null, name: string, data: Record<string, unknown>, id = crypto.randomUUID()): EntityRecord {
  return { id, kind, type, name, data: { type, name, ...data } };
}

const target = entity('access-targets', 'custom', 'app', { settings: { identifier: 'app-prod' } });

function invocation(strategy: EntityRecord, action: 'escalate' | 'deescalate', key = `${action}-key-1`): StrategyInvocation {
  const event: SymEvent = {
    type: action,
    user: { id: '6f1c2d4e-0000-4000-8000-000000000001', email: 'alice@example.com' },
    payload: { fields: { user_id: 'bob', target: { id: target.id, settings: { identifier: 'app-prod' } }, duration: 3600 } },
    flow: { id: 'flow-1', name: 'impersonate', vars: { team: 'support' }, environment_id: 'env-1' },
    run: { id: 'run-77' },
  };
  return { orgId: 'org-1', requestId: 'req-1', idempotencyKey: key, action, strategy, target, event };
}

async function failure(promise: Promise<unknown>): Promise<StrategyError> {
  const error = await promise.then(
    () => assert.fail('expected a StrategyError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StrategyError, `expected StrategyError, got ${String(error)}`);
  return error;
}

describe('aws_lambda strategies', () => {
  let lambda: LambdaDouble;
  const lines: string[] = [];
  const reports: StrategyFailureReport[] = [];
  let deps: StrategyRegistryDeps;

  before(async () => {
    lambda = await startLambdaDouble();
  });
  after(() => lambda.close());
  beforeEach(() => {
    lambda.calls.length = 0;
    reports.length = 0;
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      SYM_LAMBDA_ROLE_ARN: ROLE,
    };
    deps = {
      entities: { findById: async () => null },
      sandbox: { run: () => assert.fail('lambda strategies never run in the sandbox') },
      identityCache: { get: async () => undefined, set: async () => {} },
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
      env,
      errorReporter: { report: (r) => void reports.push(r) },
      lambdaWait: { minDelay: 0.01, maxDelay: 0.05, maxWaitTime: 10 },
    };
  });

  describe('by ARN', () => {
    it('invokes the function with the documented payload and reads the body back', async () => {
      const events: LambdaStrategyEvent[] = [];
      const arn = lambda.register('grant-app', (e) => {
        events.push(e as LambdaStrategyEvent);
        return { body: { granted: (e as LambdaStrategyEvent).type }, errors: [] };
      });
      const strategy = entity('access-strategies', 'aws_lambda', 'by-arn', { settings: { arn } });
      const runner = createStrategyRegistry(deps).runnerFor(strategy);

      assert.deepEqual(await runner.escalate(invocation(strategy, 'escalate')), { body: { granted: 'escalate' } });
      assert.deepEqual(await runner.deescalate(invocation(strategy, 'deescalate')), { body: { granted: 'deescalate' } });

      const invokes = lambda.calls.filter((c) => c.operation === 'Invoke');
      assert.equal(invokes.length, 2);
      assert.equal(invokes[0].functionName, 'grant-app');
      assert.equal(invokes[0].headers['x-amz-invocation-type'], 'RequestResponse');
      assert.deepEqual(events[0], {
        version: 1,
        type: 'escalate',
        idempotency_key: 'escalate-key-1',
        org_id: 'org-1',
        request_id: 'req-1',
        run: { id: 'run-77', actor: { user: { id: '6f1c2d4e-0000-4000-8000-000000000001', email: 'alice@example.com' } } },
        user: { id: '6f1c2d4e-0000-4000-8000-000000000001', email: 'alice@example.com' },
        target: { id: target.id, type: 'custom', name: 'app', settings: { identifier: 'app-prod' } },
        fields: { user_id: 'bob', target: { id: target.id, settings: { identifier: 'app-prod' } }, duration: 3600 },
        flow: { id: 'flow-1', name: 'impersonate', vars: { team: 'support' } },
        strategy: { id: strategy.id, name: 'by-arn' },
      });
      assert.equal(events[1].type, 'deescalate');
      assert.equal(events[1].idempotency_key, 'deescalate-key-1');
      assert.deepEqual(
        lambda.calls.map((c) => c.operation),
        ['Invoke', 'Invoke'],
        'an ARN strategy never creates or updates functions',
      );
    });

    it('a non-empty errors list is a retryable StrategyError, reported to the error reporter', async () => {
      const arn = lambda.register('refuses', () => ({ body: null, errors: ['user bob is locked'] }));
      const strategy = entity('access-strategies', 'aws_lambda', 'refuses', { settings: { arn } });
      const error = await failure(createStrategyRegistry(deps).runnerFor(strategy).escalate(invocation(strategy, 'escalate')));
      assert.equal(error.retryable, true);
      assert.match(error.message, /user bob is locked/);
      assert.deepEqual(error.details, { errors: ['user bob is locked'] });
      assert.equal(reports.length, 1);
      assert.equal(reports[0].error, error);
      assert.deepEqual([reports[0].orgId, reports[0].environmentId, reports[0].requestId], ['org-1', 'env-1', 'req-1']);
    });

    it('a function error (the handler threw) is a StrategyError carrying the error type', async () => {
      const arn = lambda.register('throws', () => {
        throw new TypeError('cannot read user');
      });
      const strategy = entity('access-strategies', 'aws_lambda', 'throws', { settings: { arn } });
      const error = await failure(createStrategyRegistry(deps).runnerFor(strategy).deescalate(invocation(strategy, 'deescalate')));
      assert.equal(error.retryable, true);
      assert.match(error.message, /failed \(Unhandled\) with TypeError: cannot read user/);
      assert.deepEqual(error.details, { function_error: 'Unhandled', error_type: 'TypeError' });
    });

    it('a status code of 400 or more in the answer fails without retry (4xx) or with retry (5xx)', async () => {
      const arn = lambda.register('statuses', (e) => ((e as LambdaStrategyEvent).type === 'escalate' ? { statusCode: 400, body: '{"error":"missing user_id"}' } : { statusCode: 503, body: 'busy' }));
      const strategy = entity('access-strategies', 'aws_lambda', 'statuses', { settings: { arn } });
      const runner = createStrategyRegistry(deps).runnerFor(strategy);
      const bad = await failure(runner.escalate(invocation(strategy, 'escalate')));
      assert.equal(bad.retryable, false);
      assert.match(bad.message, /status 400: \{"error":"missing user_id"\}/);
      assert.equal((await failure(runner.deescalate(invocation(strategy, 'deescalate')))).retryable, true);
    });

    it('classifies AWS errors: missing function and permissions are final, throttling, 5xx and network errors retryable', async () => {
      const missing = entity('access-strategies', 'aws_lambda', 'missing', { settings: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:nope' } });
      const notFound = await failure(createStrategyRegistry(deps).runnerFor(missing).escalate(invocation(missing, 'escalate')));
      assert.equal(notFound.retryable, false);
      assert.match(notFound.message, /ResourceNotFoundException \(HTTP 404\)/);

      const arn = lambda.register('flaky', () => ({ body: 'ok' }));
      const flaky = entity('access-strategies', 'aws_lambda', 'flaky', { settings: { arn } });
      const runner = createStrategyRegistry(deps).runnerFor(flaky);
      const cases: [number, string, boolean][] = [
        [429, 'TooManyRequestsException', true],
        [500, 'ServiceException', true],
        [403, 'AccessDeniedException', false],
      ];
      for (const [status, type, retryable] of cases) {
        lambda.failNext({ operation: 'Invoke', status, type, message: `${type} for ${SECRET_KEY}` });
        const error = await failure(runner.escalate(invocation(flaky, 'escalate')));
        assert.equal(error.retryable, retryable, type);
        assert.match(error.message, new RegExp(type));
        assert.ok(!error.message.includes(SECRET_KEY), 'AWS error messages are scrubbed of the credentials');
      }
      assert.deepEqual(await runner.escalate(invocation(flaky, 'escalate')), { body: 'ok' });

      const closed = await startLambdaDouble();
      await closed.close();
      const offline = createStrategyRegistry({ ...deps, env: { ...deps.env, AWS_ENDPOINT_URL_LAMBDA: closed.url } }).runnerFor(flaky);
      const network = await failure(offline.escalate(invocation(flaky, 'escalate')));
      assert.equal(network.retryable, true, network.message);
    });
  });

  describe('by code', () => {
    it('creates the function on first use, then invokes the seed code', async () => {
      const strategy = entity('access-strategies', 'aws_lambda', 'my-lambda', { settings: { code: seedCode, set_id: 'set-1' } });
      const runner = createStrategyRegistry(deps).runnerFor(strategy);
      const outcome = await runner.escalate(invocation(strategy, 'escalate'));
      assert.deepEqual(outcome, { body: { requester: 'alice@example.com', impersonated: 'bob', type: 'escalate' } });

      const ops = lambda.calls.map((c) => c.operation);
      assert.equal(ops[0], 'GetFunction');
      assert.equal(ops[1], 'CreateFunction');
      assert.equal(ops.at(-1), 'Invoke');
      assert.ok(ops.slice(2, -1).every((op) => op === 'GetFunction') && ops.length >= 4, `waited for Active with GetFunction: ${ops.join(',')}`);
      const create = lambda.calls[1].body as Record<string, unknown>;
      assert.equal(create.Role, ROLE);
      assert.equal(create.Runtime, 'nodejs20.x');
      assert.equal(create.Handler, 'index.handler');
      const fn = lambda.functions.get(lambda.calls[1].functionName)!;
      assert.equal(fn.State, 'Active');
      assert.match(fn.FunctionName, /^opensym-my-lambda-[0-9a-f]{12}$/);

      assert.deepEqual(await runner.deescalate(invocation(strategy, 'deescalate')), {
        body: { requester: 'alice@example.com', impersonated: 'bob', type: 'deescalate' },
      });
    });

    it('does not update unchanged code, updates changed code and waits for the update before invoking', async () => {
      const id = crypto.randomUUID();
      const v1 = entity('access-strategies', 'aws_lambda', 'versioned', { settings: { code: seedCode } }, id);
      await createStrategyRegistry(deps).runnerFor(v1).escalate(invocation(v1, 'escalate'));
      const name = lambda.calls.find((c) => c.operation === 'CreateFunction')!.functionName;

      // A fresh registry (another process) checks the code hash and leaves the function alone.
      lambda.calls.length = 0;
      await createStrategyRegistry(deps).runnerFor(v1).escalate(invocation(v1, 'escalate'));
      assert.deepEqual(
        lambda.calls.map((c) => c.operation),
        ['GetFunction', 'Invoke'],
      );

      lambda.calls.length = 0;
      lambda.settlePolls = 2;
      const code = 'export async function handler(event) { return { body: { version: 2, type: event.type } }; }\n';
      const v2 = entity('access-strategies', 'aws_lambda', 'versioned', { settings: { code } }, id);
      assert.deepEqual(await createStrategyRegistry(deps).runnerFor(v2).deescalate(invocation(v2, 'deescalate')), { body: { version: 2, type: 'deescalate' } });
      lambda.settlePolls = 1;
      const ops = lambda.calls.map((c) => c.operation);
      assert.deepEqual(ops.slice(0, 2), ['GetFunction', 'UpdateFunctionCode']);
      assert.equal(ops.filter((op) => op === 'GetFunction').length, 1 + 3, `polled until the update was Successful: ${ops.join(',')}`);
      assert.equal(ops.at(-1), 'Invoke');
      assert.equal(lambda.functions.get(name)!.LastUpdateStatus, 'Successful');
      assert.ok(lambda.calls.every((c) => c.functionName === name));
    });

    it('two processes deploying the same new function at once both end up invoking it', async () => {
      const strategy = entity('access-strategies', 'aws_lambda', 'racing', { settings: { code: seedCode } });
      const outcomes = await Promise.all([createStrategyRegistry(deps), createStrategyRegistry(deps)].map((r) => r.runnerFor(strategy).escalate(invocation(strategy, 'escalate'))));
      assert.deepEqual(outcomes[0], outcomes[1]);
      const creates = lambda.calls.filter((c) => c.operation === 'CreateFunction');
      assert.ok(creates.length >= 1 && creates.length <= 2);
      assert.equal(lambda.calls.filter((c) => c.operation === 'UpdateFunctionCode').length, 0);
      assert.equal(lambda.calls.filter((c) => c.operation === 'Invoke').length, 2);
    });

    it('a syntax error in the code is a non-retryable StrategyError', async () => {
      const strategy = entity('access-strategies', 'aws_lambda', 'broken', { settings: { code: 'export async function handler(event) { return {; }' } });
      const error = await failure(createStrategyRegistry(deps).runnerFor(strategy).escalate(invocation(strategy, 'escalate')));
      assert.equal(error.retryable, false);
      assert.match(error.message, /Runtime\.UserCodeSyntaxError/);
    });

    it('without an execution role the deployment fails without retry', async () => {
      const { SYM_LAMBDA_ROLE_ARN: _role, ...env } = deps.env!;
      const strategy = entity('access-strategies', 'aws_lambda', 'no-role', { settings: { code: seedCode } });
      const error = await failure(
        createStrategyRegistry({ ...deps, env })
          .runnerFor(strategy)
          .escalate(invocation(strategy, 'escalate')),
      );
      assert.equal(error.retryable, false);
      assert.match(error.message, /execution role/);
      assert.equal(lambda.calls.length, 0);
    });

    it('role and runtime may come from the strategy settings; changing them updates the configuration only', async () => {
      const id = crypto.randomUUID();
      const strategy = entity('access-strategies', 'aws_lambda', 'own-role', { settings: { code: seedCode, role_arn: 'arn:aws:iam::123456789012:role/other', runtime: 'nodejs22.x' } }, id);
      // One registry for both calls: what it remembers covers the settings, not just the code.
      const registry = createStrategyRegistry(deps);
      await registry.runnerFor(strategy).escalate(invocation(strategy, 'escalate'));
      const create = lambda.calls.find((c) => c.operation === 'CreateFunction')!.body as Record<string, unknown>;
      assert.equal(create.Role, 'arn:aws:iam::123456789012:role/other');
      assert.equal(create.Runtime, 'nodejs22.x');

      lambda.calls.length = 0;
      const changed = entity(
        'access-strategies',
        'aws_lambda',
        'own-role',
        { settings: { code: seedCode, role_arn: 'arn:aws:iam::123456789012:role/other', runtime: 'nodejs20.x', timeout: '60' } },
        id,
      );
      await registry.runnerFor(changed).escalate(invocation(changed, 'escalate'));
      const ops = lambda.calls.map((c) => c.operation);
      assert.ok(!ops.includes('UpdateFunctionCode'), ops.join(','));
      const update = lambda.calls.find((c) => c.operation === 'UpdateFunctionConfiguration')!.body as Record<string, unknown>;
      assert.deepEqual([update.Runtime, update.Timeout, update.Handler], ['nodejs20.x', 60, 'index.handler']);
      assert.equal(ops.at(-1), 'Invoke');
    });
  });

  it('an unknown strategy type is a non-retryable StrategyError', () => {
    const strategy = entity('access-strategies', 'knowbe4', 'knowbe4-training', {});
    assert.throws(
      () => createStrategyRegistry(deps).runnerFor(strategy),
      (e: unknown) => e instanceof StrategyError && e.retryable === false && /type "knowbe4"/.test(e.message),
    );
  });

  it('no log line holds the AWS secret key', () => {
    assert.ok(lines.length > 0);
    assert.ok(lines.every((line) => !line.includes(SECRET_KEY)));
  });
});
