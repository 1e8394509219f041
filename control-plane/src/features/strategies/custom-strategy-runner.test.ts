// The custom-access-strategy example (the seed's CustomStrategy) through the registry, with its
// entities created through the API on PGlite: escalate and deescalate reach a local HTTP double
// with the bearer token read from an `env` secret source and from the Secrets Manager double.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { EntityKind } from '@opensym/schemas';
import { createLogger } from '../../logging/logger';
import { createSandbox, type JsonValue, type SymEvent } from '../../sandbox';
import { type HttpDouble, LOOPBACK_EGRESS, startHttpDouble } from '../../sandbox/http-double';
import { type SecretsManagerDouble, startSecretsManagerDouble } from '../../test-support/secrets-manager-double';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { createEntityStore } from '../entities/entity-store';
import { type StrategyInvocation, StrategyError } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import type { StrategyFailureReport } from './error-reporter';
import { createIdentityCacheStore, type IdentityCacheStore } from './identity-cache-store';
import { createStrategyRegistry, type StrategyRegistryDeps } from './strategy-registry';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ENV_TOKEN = 'env-token-5c1e0b7a93d2';
const SM_TOKEN = 'sm-token-e8a4f6012b9c';
const AWS_SECRET = 'aws-secret-key-double-77ab';
const example = await readFile(new URL('../../../../examples/custom-access-strategy/custom_strategy.js', import.meta.url), 'utf8');

describe('custom strategies (seed example, PGlite, HTTP and Secrets Manager doubles)', () => {
  let t: TestControlPlane;
  let api: HttpDouble;
  let sm: SecretsManagerDouble;
  const sandbox = createSandbox({ egress: LOOPBACK_EGRESS });
  const lines: string[] = [];
  const reports: StrategyFailureReport[] = [];
  const identitySets: string[] = [];
  let deps: StrategyRegistryDeps;
  let userId: string;
  let target: EntityRecord;

  const create = async (kind: EntityKind, body: Record<string, unknown>): Promise<string> => {
    const res = await t.request.post(`/api/v1/entities/${kind}`).set('authorization', `Bearer ${t.admin}`).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const load = async (kind: string, id: string) => (await createEntityStore(t.cp.db.prisma).findById(t.orgId, kind, id))!;

  /** A custom strategy over an integration holding `secretId`, implemented by `source`. */
  const strategyWith = async (name: string, secretId: string, source: string, allowedHosts = api.host, integrationType = 'custom'): Promise<EntityRecord> => {
    const integration = await create('integrations', {
      type: integrationType,
      name,
      external_id: 'my-account',
      settings: { secret_ids_json: JSON.stringify([secretId]), allowed_hosts: allowedHosts },
    });
    const id = await create('access-strategies', { type: 'custom', name, integration_id: integration, targets: [target.id], implementation: source });
    return load('access-strategies', id);
  };

  const invocation = (strategy: EntityRecord, action: 'escalate' | 'deescalate'): StrategyInvocation => {
    const event: SymEvent = {
      type: action,
      user: { id: userId, email: 'alice@example.com' },
      payload: { fields: { target: { id: target.id, settings: target.data.settings as JsonValue }, reason: 'debugging' } },
      flow: { id: 'flow-1', name: 'custom-access', environment_id: 'env-1' },
    };
    return { orgId: t.orgId, requestId: crypto.randomUUID(), idempotencyKey: `${action}-1`, action, strategy, target, event };
  };

  before(async () => {
    [t, api, sm] = await Promise.all([startTestControlPlane(), startHttpDouble(), startSecretsManagerDouble()]);
    sm.put('sym/custom-strategy/api-key', JSON.stringify({ api_key: SM_TOKEN, other: 'unused' }));
    userId = (await t.cp.db.prisma.user.create({ data: { orgId: t.orgId, email: 'alice@example.com' } })).id;
    target = await load('access-targets', await create('access-targets', { type: 'custom', name: 'custom-target', label: 'Custom Target', settings: { identifier: 'some-resource' } }));
    const store = createIdentityCacheStore(t.cp.db.prisma);
    const counting: IdentityCacheStore = {
      get: (user, integration) => store.get(user, integration),
      set: (user, integration, identity) => {
        identitySets.push(`${user}/${integration}`);
        return store.set(user, integration, identity);
      },
    };
    deps = {
      entities: createEntityStore(t.cp.db.prisma),
      identityCache: counting,
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
      errorReporter: undefined,
      sandbox,
      env: {
        SYM_SECRET_CUSTOM_API_KEY: ENV_TOKEN,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
      },
    };
  });
  after(async () => {
    await sandbox.close();
    await Promise.all([api.close(), sm.close(), t.close()]);
  });

  const seedSource = () => example.replaceAll('https://some-api.invalid', api.url);

  for (const variant of ['env', 'aws_secrets_manager'] as const) {
    it(`escalates and deescalates with the token from the ${variant} secret source, fetching the identity once`, async () => {
      const source = await create('secret-sources', { type: variant, name: `${variant}-source`, ...(variant === 'aws_secrets_manager' && { settings: { region: 'us-east-1' } }) });
      const secret =
        variant === 'env'
          ? await create('secrets', { path: 'SYM_SECRET_CUSTOM_API_KEY', source_id: source })
          : await create('secrets', { path: 'sym/custom-strategy/api-key', source_id: source, settings: { json_key: 'api_key' } });
      const strategy = await strategyWith(`custom-${variant}`, secret, seedSource());
      const token = variant === 'env' ? ENV_TOKEN : SM_TOKEN;
      const runner = createStrategyRegistry(deps).runnerFor(strategy);
      api.requests.length = 0;
      identitySets.length = 0;

      assert.deepEqual(await runner.escalate(invocation(strategy, 'escalate')), {});
      assert.deepEqual(await runner.deescalate(invocation(strategy, 'deescalate')), {});

      assert.deepEqual(
        api.requests.map((r) => [r.method, r.path, r.headers.authorization, JSON.parse(r.body)]),
        [
          ['POST', '/escalate', `Bearer ${token}`, { user_id: 'alice@example.com', resource_id: 'some-resource' }],
          ['POST', '/deescalate', `Bearer ${token}`, { user_id: 'alice@example.com', resource_id: 'some-resource' }],
        ],
      );
      const integrationId = strategy.data.integration_id as string;
      assert.deepEqual(identitySets, [`${userId}/${integrationId}`], 'fetch_remote_identity ran once for the two invocations');
      const rows = await t.cp.db.prisma.identityCache.findMany({ where: { userId, integrationId } });
      assert.deepEqual(
        rows.map((r) => r.identity),
        ['"alice@example.com"'],
      );
      if (variant === 'aws_secrets_manager') {
        assert.ok(sm.calls.length >= 2 && sm.calls.every((c) => c.target === 'secretsmanager.GetSecretValue' && c.body.SecretId === 'sym/custom-strategy/api-key'));
      }
    });
  }

  it('a knowbe4 integration (accepted, as Sym does) serves a custom strategy like any other: its secret and allowed hosts reach the guest', async () => {
    const source = await create('secret-sources', { type: 'env', name: 'knowbe4-env' });
    const secret = await create('secrets', { path: 'SYM_SECRET_CUSTOM_API_KEY', source_id: source });
    const strategy = await strategyWith('custom-knowbe4', secret, seedSource(), api.host, 'knowbe4');
    api.requests.length = 0;
    await createStrategyRegistry(deps).runnerFor(strategy).escalate(invocation(strategy, 'escalate'));
    assert.deepEqual(
      api.requests.map((r) => [r.method, r.path, r.headers.authorization]),
      [['POST', '/escalate', `Bearer ${ENV_TOKEN}`]],
    );
  });

  it('a strategy that prints and throws its token leaks it into no log line and no error', async () => {
    const source = await create('secret-sources', { type: 'env', name: 'leaky-source' });
    const secret = await create('secrets', { path: 'SYM_SECRET_CUSTOM_API_KEY', source_id: source });
    const leaky = seedSource().replace(
      'escalate(target_id, event) {',
      `escalate(target_id, event) {
    const token = this.integration.settings.secrets[0].retrieve_value();
    console.log('using token', token);
    console.error(JSON.stringify({ token }));
    if (event.payload.fields.reason === 'explode') throw new Error('refused with ' + token);`,
    );
    const strategy = await strategyWith('custom-leaky', secret, leaky);
    const runner = createStrategyRegistry({ ...deps, errorReporter: { report: (r) => void reports.push(r) } }).runnerFor(strategy);
    const before = lines.length;
    await runner.escalate(invocation(strategy, 'escalate'));
    const guestLines = lines.slice(before).filter((l) => l.includes('guest: '));
    assert.equal(guestLines.length, 2, 'guest console lines reach the log');
    assert.ok(guestLines.every((l) => l.includes('[REDACTED]')));

    const exploding = invocation(strategy, 'escalate');
    exploding.event.payload.fields.reason = 'explode';
    const error = await runner.escalate(exploding).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof StrategyError);
    assert.equal(error.retryable, true, 'a guest runtime error may be transient');
    assert.match(error.message, /custom strategy custom-leaky escalate failed \(runtime\): .*refused with \[REDACTED\]/);
    assert.equal((error.details as { sandbox_code: string }).sandbox_code, 'runtime');
    assert.equal(reports.at(-1)?.error, error);
    assert.equal(reports.at(-1)?.environmentId, 'env-1');
    assert.ok(!JSON.stringify({ message: error.message, details: error.details }).includes(ENV_TOKEN));
  });

  // A SymException is the author's deliberate failure: final, shown as written (secrets redacted).
  // Raised on escalate before any HTTP call, it proves nothing was granted (notApplied); after one,
  // or on deescalate, it does not, so the grant is taken back or kept failing visibly.
  const SYM_EXCEPTION_JS = (url: string) => `
import { AccessStrategy, SymException } from 'sym/sdk';
import * as requests from 'sym/http';
export class CustomStrategy extends AccessStrategy {
  fetch_remote_identity(user) { return user.email; }
  escalate(target_id, event) {
    const token = this.integration.settings.secrets[0].retrieve_value();
    if (event.payload.fields.reason === 'after-call') requests.post('${url}/escalate', { json: { user: event.user.email } });
    throw new SymException('Only on-call engineers may request this (' + token + ')');
  }
  deescalate(target_id, event) {
    throw new SymException('The vendor refuses to remove ' + event.user.email);
  }
}
`;
  const SYM_EXCEPTION_PY = (url: string) => `
import requests
from sym.sdk.exceptions import SymException
from sym.sdk.strategies import AccessStrategy

class CustomStrategy(AccessStrategy):
    def fetch_remote_identity(self, user):
        return user.email

    def escalate(self, target_id, event):
        token = self.integration.settings["secrets"][0].retrieve_value()
        if event.payload.fields["reason"] == "after-call":
            requests.post("${url}/escalate", json={"user": event.user.email})
        raise SymException("Only on-call engineers may request this (" + token + ")")

    def deescalate(self, target_id, event):
        raise SymException("The vendor refuses to remove " + event.user.email)
`;
  for (const [language, source] of [
    ['JavaScript', SYM_EXCEPTION_JS],
    ['Python', SYM_EXCEPTION_PY],
  ] as const) {
    it(`${language}: a SymException is final and shown as written; notApplied only when escalate raised before any HTTP call`, async () => {
      const secretSource = await create('secret-sources', { type: 'env', name: `sym-exception-${language}` });
      const secret = await create('secrets', { path: 'SYM_SECRET_CUSTOM_API_KEY', source_id: secretSource });
      const strategy = await strategyWith(`custom-sym-exception-${language.toLowerCase()}`, secret, source(api.url));
      const runner = createStrategyRegistry(deps).runnerFor(strategy);
      const failure = (work: Promise<unknown>) =>
        work.then(
          () => assert.fail('expected a failure'),
          (e: unknown) => {
            assert.ok(e instanceof StrategyError, String(e));
            return e;
          },
        );

      api.requests.length = 0;
      const refused = await failure(runner.escalate(invocation(strategy, 'escalate')));
      assert.equal(refused.message, 'Only on-call engineers may request this ([REDACTED])');
      assert.equal(refused.retryable, false);
      assert.equal(refused.notApplied, true, 'raised before any HTTP call: nothing was granted');
      assert.equal(api.requests.length, 0);

      const afterCall = invocation(strategy, 'escalate');
      afterCall.event.payload.fields.reason = 'after-call';
      const late = await failure(runner.escalate(afterCall));
      assert.equal(api.requests.length, 1, 'the strategy called its API before raising');
      assert.equal(late.message, 'Only on-call engineers may request this ([REDACTED])');
      assert.equal(late.retryable, false);
      assert.equal(late.notApplied, false, 'the call may have granted: the request must take it back');

      const kept = await failure(runner.deescalate(invocation(strategy, 'deescalate')));
      assert.equal(kept.message, 'The vendor refuses to remove alice@example.com');
      assert.equal(kept.retryable, false);
      assert.equal(kept.notApplied, false);
    });
  }

  it('configuration problems are non-retryable: missing variable, missing Secrets Manager secret, host not allowed, unbounded recursion', async () => {
    const envSource = await create('secret-sources', { type: 'env', name: 'broken-env' });
    const smSource = await create('secret-sources', { type: 'aws_secrets_manager', name: 'broken-sm' });
    const unset = await create('secrets', { path: 'SYM_SECRET_NOT_SET_ANYWHERE', source_id: envSource });
    const absent = await create('secrets', { path: 'sym/absent', source_id: smSource });
    const good = await create('secrets', { path: 'SYM_SECRET_CUSTOM_API_KEY', source_id: envSource });
    const cases: [string, EntityRecord, RegExp][] = [
      ['unset', await strategyWith('c-unset', unset, seedSource()), /environment variable SYM_SECRET_NOT_SET_ANYWHERE is not set/],
      ['absent', await strategyWith('c-absent', absent, seedSource()), /ResourceNotFoundException/],
      ['denied', await strategyWith('c-denied', good, seedSource(), 'api.example.com'), /host_denied|not allowed/],
      // Syntax errors never get this far: the API checks implementations when they are stored.
      [
        'recursion',
        await strategyWith('c-stack', good, seedSource().replace('escalate(target_id, event) {', 'escalate(target_id, event) {\n    const deeper = (n) => deeper(n + 1) + 1;\n    deeper(0);')),
        /\(stack\)/,
      ],
    ];
    for (const [label, strategy, pattern] of cases) {
      const error = await createStrategyRegistry(deps)
        .runnerFor(strategy)
        .escalate(invocation(strategy, 'escalate'))
        .then(
          () => assert.fail(`${label}: expected a failure`),
          (e: unknown) => e,
        );
      assert.ok(error instanceof StrategyError, label);
      assert.equal(error.retryable, false, `${label}: ${error.message}`);
      assert.match(error.message, pattern, label);
    }
  });

  it('invalid allowed_hosts and secret_ids_json are reported before any code runs', async () => {
    const bad = async (settings: Record<string, string>) => {
      const integration = await create('integrations', { type: 'custom', name: `bad-${crypto.randomUUID().slice(0, 8)}`, external_id: 'x', settings });
      const id = await create('access-strategies', { type: 'custom', name: `bad-${integration.slice(0, 8)}`, integration_id: integration, targets: [target.id], implementation: seedSource() });
      const strategy = await load('access-strategies', id);
      return createStrategyRegistry(deps)
        .runnerFor(strategy)
        .escalate(invocation(strategy, 'escalate'))
        .then(
          () => assert.fail('expected a failure'),
          (e: unknown) => e as StrategyError,
        );
    };
    const hosts = await bad({ allowed_hosts: 'api.example.com, http://evil/' });
    assert.equal(hosts.retryable, false);
    assert.match(hosts.message, /allowed_hosts/);
    const ids = await bad({ secret_ids_json: 'not json' });
    assert.equal(ids.retryable, false);
    assert.match(ids.message, /secret_ids_json/);
  });

  it('no captured log line contains a token or the AWS secret key', () => {
    assert.ok(lines.length > 0, 'logs were captured');
    const reported = lines.filter((line) => line.includes('"msg":"access strategy failed"')).map((line) => JSON.parse(line));
    assert.ok(reported.length >= 4, 'the default error reporter logged the failures');
    assert.ok(reported.every((r) => r.level === 40 && r.orgId === t.orgId && r.environmentId === 'env-1' && typeof r.error.message === 'string'));
    for (const secret of [ENV_TOKEN, SM_TOKEN, AWS_SECRET]) {
      assert.ok(
        lines.every((line) => !line.includes(secret)),
        `${secret} leaked into the logs`,
      );
    }
  });
});
