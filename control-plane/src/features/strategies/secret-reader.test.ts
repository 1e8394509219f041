// Secret sources: env and Secrets Manager (through the double), json_key, and failures whose
// messages never quote the stored value.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SecretsManagerDouble, startSecretsManagerDouble } from '../../test-support/secrets-manager-double';
import { StrategyError } from './access-strategy';
import { createSecretReader, type SecretLocation, type SecretReader } from './secret-reader';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const VALUE = 'not-json-but-secret-3b9f';

const envSecret = (path: string, jsonKey?: string): SecretLocation => ({ id: 's-env', path, jsonKey, source: { id: 'src-env', type: 'env', settings: {} } });
const smSecret = (path: string, jsonKey?: string): SecretLocation => ({
  id: 's-sm',
  path,
  jsonKey,
  source: { id: 'src-sm', type: 'aws_secrets_manager', settings: { region: 'eu-west-1' } },
});

async function rejection(promise: Promise<unknown>): Promise<StrategyError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StrategyError, String(error));
  assert.ok(!error.message.includes(VALUE), `the value leaked: ${error.message}`);
  return error;
}

describe('secret reader', () => {
  let sm: SecretsManagerDouble;
  let reader: SecretReader;
  before(async () => {
    sm = await startSecretsManagerDouble('eu-west-1');
    sm.put('plain', VALUE);
    sm.put('json', JSON.stringify({ token: 'tok-1', port: 5432 }));
    sm.put('binary', { binary: new TextEncoder().encode('bytes-value') });
    reader = createSecretReader({
      env: {
        SYM_SECRET_API_KEY: VALUE,
        SYM_SECRET_JSON_KEY: '{"a":"b"}',
        DATABASE_URL: 'postgres://op:pw@db/sym',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x'.repeat(20),
        AWS_ENDPOINT_URL: sm.url,
      },
    });
  });
  after(() => sm.close());

  it('reads environment variables, with json_key', async () => {
    assert.equal(await reader.read(envSecret('SYM_SECRET_API_KEY')), VALUE);
    assert.equal(await reader.read(envSecret('SYM_SECRET_JSON_KEY', 'a')), 'b');
    const missing = await rejection(reader.read(envSecret('SYM_SECRET_NOPE')));
    assert.equal(missing.retryable, false);
    assert.match(missing.message, /SYM_SECRET_NOPE is not set/);
  });

  it("never reads the operator's variables: only names with the allowed prefix, same answer whether they exist or not", async () => {
    const refusals = await Promise.all(
      ['DATABASE_URL', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'NOT_SET_ANYWHERE', 'SYM_SECRET_', 'sym_secret_API_KEY', '__proto__'].map((name) => rejection(reader.read(envSecret(name)))),
    );
    for (const refusal of refusals) {
      assert.match(refusal.message, /is not readable; env secret sources may read only variables named SYM_SECRET_<NAME>/);
      assert.match(refusal.message, /SYM_ENV_SECRET_PREFIX/);
      assert.equal(refusal.retryable, false);
      assert.ok(!refusal.message.includes('postgres://'), refusal.message);
    }
    // An existing and an absent variable outside the prefix get the same words (nothing but the name differs).
    assert.equal(refusals[0].message.replace('DATABASE_URL', 'X'), refusals[3].message.replace('NOT_SET_ANYWHERE', 'X'));
  });

  it('the operator chooses the prefix (SYM_ENV_SECRET_PREFIX); an empty or malformed prefix is refused', async () => {
    const custom = createSecretReader({ env: { SYM_ENV_SECRET_PREFIX: 'OPENSYM_HOOK_', OPENSYM_HOOK_TOKEN: 't1', SYM_SECRET_API_KEY: VALUE } });
    assert.equal(await custom.read(envSecret('OPENSYM_HOOK_TOKEN')), 't1');
    assert.match((await rejection(custom.read(envSecret('SYM_SECRET_API_KEY')))).message, /variables named OPENSYM_HOOK_<NAME>/);
    assert.throws(() => createSecretReader({ env: {}, envPrefix: '' }), /prefix/);
    assert.throws(() => createSecretReader({ env: {}, envPrefix: 'a-b' }), /prefix/);
  });

  it('reads Secrets Manager strings, binaries and JSON keys', async () => {
    assert.equal(await reader.read(smSecret('plain')), VALUE);
    assert.equal(await reader.read(smSecret('json', 'token')), 'tok-1');
    assert.equal(await reader.read(smSecret('json', 'port')), '5432');
    assert.equal(await reader.read(smSecret('binary')), 'bytes-value');
    assert.deepEqual(sm.calls.map((c) => [c.target, c.body.SecretId]).slice(0, 2), [
      ['secretsmanager.GetSecretValue', 'plain'],
      ['secretsmanager.GetSecretValue', 'json'],
    ]);
  });

  it('fails without quoting the value: json_key on a non-JSON value, a missing key, a missing secret', async () => {
    const notJson = await rejection(reader.read(smSecret('plain', 'token')));
    assert.match(notJson.message, /not JSON/);
    assert.equal(notJson.retryable, false);
    assert.match((await rejection(reader.read(smSecret('json', 'nope')))).message, /no key "nope"/);
    const absent = await rejection(reader.read(smSecret('absent')));
    assert.equal(absent.retryable, false);
    assert.match(absent.message, /ResourceNotFoundException/);
  });

  it('an unreachable Secrets Manager is retryable', async () => {
    const gone = await startSecretsManagerDouble();
    await gone.close();
    const offline = createSecretReader({ env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'y'.repeat(20), AWS_ENDPOINT_URL_SECRETS_MANAGER: gone.url } });
    assert.equal((await rejection(offline.read(smSecret('plain')))).retryable, true);
  });
});
