/**
 * Reads a `sym_secret`'s value from its `sym_secrets` source: the control plane's environment
 * (`env`) or AWS Secrets Manager (`aws_secrets_manager`). Failures are StrategyErrors whose
 * messages name the secret, never its value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { StrategyError } from './access-strategy';
import { awsClientConfig, type AwsCredentials, type Env } from './aws-client-config';
import { strategyErrorFromAws } from './aws-error';
import { processScrubber } from './secret-scrubber';

/** A secret and its source, as loaded from their entities. */
export interface SecretLocation {
  id: string;
  /** Environment variable name, or Secrets Manager secret name/ARN. */
  path: string;
  /** Picks one key when the stored value is a JSON object. */
  jsonKey?: string | null;
  source: { id: string; type: string; settings: Record<string, string | null> };
}

/** Reads secret values; each call reads afresh (callers memoize per invocation). */
export interface SecretReader {
  /** `credentials`: for `aws_secrets_manager`, the environment's assumed role (else the control plane's own). */
  read(secret: SecretLocation, credentials?: AwsCredentials): Promise<string>;
}

/** The prefix `env` secret sources are limited to unless the operator sets `SYM_ENV_SECRET_PREFIX`. */
export const DEFAULT_SECRET_ENV_PREFIX = 'SYM_SECRET_';

/** Names an env secret prefix may have: upper-case letters, digits and `_`, not starting with a digit. */
export const SECRET_ENV_PREFIX_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/** The operator's prefix for `env` secret sources: `SYM_ENV_SECRET_PREFIX`, or {@link DEFAULT_SECRET_ENV_PREFIX}. */
export function secretEnvPrefixOf(env: Env): string {
  return env.SYM_ENV_SECRET_PREFIX?.trim() || DEFAULT_SECRET_ENV_PREFIX;
}

/**
 * The reader over both source types; `env` defaults to `process.env`. `env` sources read only
 * variables whose names start with `envPrefix` (default: {@link secretEnvPrefixOf} `env`), so an
 * organization's secret cannot name the operator's own settings (`DATABASE_URL`, `AWS_*`).
 */
export function createSecretReader({ env = process.env, envPrefix = secretEnvPrefixOf(env) }: { env?: Env; envPrefix?: string } = {}): SecretReader {
  // An empty or malformed prefix would open the whole environment; refuse to build such a reader.
  if (!SECRET_ENV_PREFIX_PATTERN.test(envPrefix)) {
    throw new TypeError(`the env secret prefix must match ${SECRET_ENV_PREFIX_PATTERN}, got ${JSON.stringify(envPrefix)}`);
  }
  // One client per region, shared by all reads.
  const clients = new Map<string, SecretsManagerClient>();
  const scrubber = processScrubber(env);
  const clientFor = (region: string | null, credentials: AwsCredentials | undefined) => {
    const key = `${region ?? ''}|${credentials?.accessKeyId ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      // Assumed credentials change per session: keep the newest clients only.
      if (clients.size >= 100) clients.delete(clients.keys().next().value!);
      clients.set(key, (client = new SecretsManagerClient(awsClientConfig(env, 'SECRETS_MANAGER', region, credentials))));
    }
    return client;
  };

  const readRaw = async (secret: SecretLocation, credentials: AwsCredentials | undefined): Promise<string> => {
    switch (secret.source.type) {
      case 'env': {
        // Same answer whether or not the variable exists, so the refusal reveals nothing.
        if (!secret.path.startsWith(envPrefix) || secret.path === envPrefix) {
          throw new StrategyError(
            `secret ${secret.id}: environment variable ${secret.path} is not readable; env secret sources may read only variables named ${envPrefix}<NAME> (the operator sets the prefix with SYM_ENV_SECRET_PREFIX)`,
            false,
          );
        }
        const value = Object.hasOwn(env, secret.path) ? env[secret.path] : undefined;
        if (value === undefined) throw new StrategyError(`secret ${secret.id}: environment variable ${secret.path} is not set`, false);
        return value;
      }
      case 'aws_secrets_manager': {
        let output;
        try {
          output = await clientFor(secret.source.settings.region ?? null, credentials).send(new GetSecretValueCommand({ SecretId: secret.path }));
        } catch (error) {
          throw strategyErrorFromAws(error, `reading secret ${secret.id} (${secret.path}) from Secrets Manager`, scrubber);
        }
        if (typeof output.SecretString === 'string') return output.SecretString;
        if (output.SecretBinary) return Buffer.from(output.SecretBinary).toString('utf8');
        throw new StrategyError(`secret ${secret.id}: Secrets Manager returned no value for ${secret.path}`, false);
      }
      default:
        throw new StrategyError(`secret ${secret.id}: unknown secret source type ${JSON.stringify(secret.source.type)}`, false);
    }
  };

  return {
    async read(secret, credentials) {
      const raw = await readRaw(secret, credentials);
      return secret.jsonKey ? pickJsonKey(raw, secret.jsonKey, secret.id) : raw;
    },
  };
}

/** One key of a JSON object secret. Parse errors are rethrown without V8's message, which quotes the text. */
function pickJsonKey(raw: string, key: string, id: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new StrategyError(`secret ${id}: json_key "${key}" is set but the stored value is not JSON`, false);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.hasOwn(parsed, key)) {
    throw new StrategyError(`secret ${id}: the stored JSON object has no key "${key}"`, false);
  }
  const value = (parsed as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : JSON.stringify(value);
}
