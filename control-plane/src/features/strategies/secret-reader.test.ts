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
      env: { API_KEY: VALUE, JSON_KEY: '{"a":"b"}', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x'.repeat(20), AWS_ENDPOINT_URL: sm.url },
    });
  });
  after(() => sm.close());

  it('reads environment variables, with json_key', async () => {
    assert.equal(await reader.read(envSecret('API_KEY')), VALUE);
    assert.equal(await reader.read(envSecret('JSON_KEY', 'a')), 'b');
    const missing = await rejection(reader.read(envSecret('NOPE')));
    assert.equal(missing.retryable, false);
  });

  it('reads Secrets Manager strings, binaries and JSON keys', async () => {
    assert.equal(await reader.read(smSecret('plain')), VALUE);
    assert.equal(await reader.read(smSecret('json', 'token')), 'tok-1');
    assert.equal(await reader.read(smSecret('json', 'port')), '5432');
    assert.equal(await reader.read(smSecret('binary')), 'bytes-value');
    assert.deepEqual(
      sm.calls.map((c) => [c.target, c.body.SecretId]).slice(0, 2),
      [
        ['secretsmanager.GetSecretValue', 'plain'],
        ['secretsmanager.GetSecretValue', 'json'],
      ],
    );
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
