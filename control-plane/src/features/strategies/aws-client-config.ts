/**
 * Client configuration for the AWS SDK, from the process environment (the standard AWS variables)
 * plus a region chosen by the entity. The endpoint comes only from the environment: pointing the
 * control plane's AWS credentials at another host is an operator decision, not an org admin's.
 */
/** The environment variables read here (normally `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Static credentials, as the SDK accepts them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The SDK endpoint ids (env-var form) the control plane's clients use. */
export type AwsService = 'LAMBDA' | 'SECRETS_MANAGER' | 'STS' | 'SSO_ADMIN' | 'IDENTITYSTORE' | 'IAM' | 'FIREHOSE' | 'KINESIS';

/** What the SDK clients are constructed with. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentials;
  /** Retries belong to the job queue (with backoff across restarts), not to one attempt. */
  maxAttempts: number;
}

/**
 * `service` is the SDK's endpoint id in env-var form (`LAMBDA`, `SECRETS_MANAGER`): the
 * service-specific `AWS_ENDPOINT_URL_<SERVICE>` wins over `AWS_ENDPOINT_URL`. `credentials`
 * (an assumed runtime or permission-context role) replace the environment's keys.
 */
export function awsClientConfig(env: Env, service: AwsService, region?: string | null, credentials?: AwsCredentials): AwsClientConfig {
  const config: AwsClientConfig = {
    region: region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    maxAttempts: 1,
  };
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  if (endpoint) config.endpoint = endpoint;
  if (credentials) {
    config.credentials = credentials;
    return config;
  }
  // Explicit keys in the given environment; otherwise the SDK's default chain (profiles, instance roles).
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
    };
  }
  return config;
}
