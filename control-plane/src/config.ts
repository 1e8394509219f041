import path from 'node:path';
import { parseDuration } from './features/requests/duration';
import { DEFAULT_SECRET_ENV_PREFIX, SECRET_ENV_PREFIX_PATTERN } from './features/strategies/secret-reader';
import { parseCidrs } from './sandbox/egress-policy';
import type { SandboxOptions } from './sandbox';

/** Runtime settings, read once from the environment at startup. */
export interface Config {
  port: number;
  host: string;
  /** Holds the embedded database (`<dir>/pglite`) and the bootstrap admin token file. */
  dataDir: string;
  /** PostgreSQL server URL; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  logLevel: string;
  /** Slug of the organization created on first start. */
  bootstrapOrg: string;
  /** Whether this process runs durable jobs (escalation, expiry); `SYM_JOBS=off` starts with the runner paused. */
  jobsEnabled: boolean;
  /** How long an access request waits for a decision before it expires (seconds). */
  pendingTtlSeconds: number;
  /** How long a claimed job is held before another process may take it over (ms). */
  jobLeaseMs: number;
  /** How long finished jobs (done, failed) are kept before they are deleted (ms); null keeps them forever (`SYM_JOB_RETENTION=off`). */
  jobRetentionMs: number | null;
  /** On SIGTERM/SIGINT, how long in-flight requests (then running jobs) may take before they are cut off (ms). */
  shutdownGraceMs: number;
  /** How long an `Idempotency-Key` and its stored answer are kept (ms). */
  idempotencyTtlMs: number;
  /** Port of the Prometheus `/metrics` listener; undefined (the default) collects no metrics. */
  metricsPort: number | undefined;
  /** Address the metrics listener binds (default: `host`). */
  metricsHost: string;
  /** `env` secret sources read only variables whose names start with this (`SYM_ENV_SECRET_PREFIX`). */
  secretEnvPrefix: string;
  /** How hooks and strategies run: egress exceptions, the wall-clock limit and fair-share settings. */
  sandbox: SandboxConfig;
  /** Signs the web console's session cookies (`SYM_CONSOLE_KEY`, at least 32 characters); undefined: a random key per start. */
  consoleKey: Buffer | undefined;
}

/** Sandbox settings an operator may change (see the README's configuration table). */
export interface SandboxConfig {
  /** CIDRs `sym/http` may reach although they are not public addresses (`SYM_EGRESS_ALLOW_CIDRS`). */
  egressAllowCidrs: string[];
  /** Wall-clock limit of one hook or strategy invocation, host calls included (ms). */
  wallClockMs: number;
  /** Invocations of one organization admitted at once, running or waiting on host calls. */
  perOrg: number;
  /** Sandbox worker threads in all, counting those parked in host calls. */
  maxThreads: number;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses the environment; throws with every problem listed so a misconfiguration fails fast. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const portText = env.PORT?.trim() || '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number, got "${portText}"`);
  const logLevel = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// URL');
  const bootstrapOrg = env.SYM_ORG?.trim() || 'default';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(bootstrapOrg)) problems.push('SYM_ORG must be a lowercase slug (a-z, 0-9, -)');
  const jobsText = (env.SYM_JOBS?.trim() || 'on').toLowerCase();
  if (!['on', 'off'].includes(jobsText)) problems.push('SYM_JOBS must be on or off');
  const ttlText = env.SYM_PENDING_TTL?.trim() || '24h';
  const pendingTtlSeconds = parseDuration(ttlText);
  if (pendingTtlSeconds === undefined) problems.push(`SYM_PENDING_TTL must be a duration such as 24h, 30m or 3600, got "${ttlText}"`);
  const leaseText = env.SYM_JOB_LEASE?.trim() || '30s';
  const jobLease = parseDuration(leaseText);
  if (jobLease === undefined) problems.push(`SYM_JOB_LEASE must be a duration such as 30s or 2m, got "${leaseText}"`);
  const retentionText = (env.SYM_JOB_RETENTION?.trim() || '7d').toLowerCase();
  const retention = retentionText === 'off' ? null : parseDuration(retentionText);
  if (retention === undefined) problems.push(`SYM_JOB_RETENTION must be a duration such as 7d or 12h, or off, got "${retentionText}"`);
  const graceText = env.SYM_SHUTDOWN_GRACE?.trim() || '10s';
  const grace = parseDuration(graceText);
  if (grace === undefined) problems.push(`SYM_SHUTDOWN_GRACE must be a duration such as 10s or 1m, got "${graceText}"`);
  const idemText = env.SYM_IDEMPOTENCY_TTL?.trim() || '24h';
  const idemTtl = parseDuration(idemText);
  if (idemTtl === undefined || idemTtl <= 0) problems.push(`SYM_IDEMPOTENCY_TTL must be a duration such as 24h or 30m, got "${idemText}"`);
  const metricsText = env.SYM_METRICS_PORT?.trim() || undefined;
  const metricsPort = metricsText === undefined ? undefined : Number(metricsText);
  if (metricsPort !== undefined && (!/^\d+$/.test(metricsText!) || metricsPort > 65535)) problems.push(`SYM_METRICS_PORT must be a port number, got "${metricsText}"`);
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port) problems.push('SYM_METRICS_PORT must differ from PORT');
  const secretEnvPrefix = env.SYM_ENV_SECRET_PREFIX?.trim() || DEFAULT_SECRET_ENV_PREFIX;
  if (!SECRET_ENV_PREFIX_PATTERN.test(secretEnvPrefix)) {
    problems.push(`SYM_ENV_SECRET_PREFIX must be upper-case letters, digits and _ (such as SYM_SECRET_), got "${secretEnvPrefix}"`);
  }
  const egressAllowCidrs = (env.SYM_EGRESS_ALLOW_CIDRS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    parseCidrs(egressAllowCidrs);
  } catch (error) {
    problems.push(`SYM_EGRESS_ALLOW_CIDRS must be a comma-separated list of CIDR ranges such as 10.1.0.0/16: ${(error as Error).message}`);
  }
  const wallText = env.SYM_SANDBOX_WALL_CLOCK?.trim() || '30s';
  const wallClock = parseDuration(wallText);
  if (wallClock === undefined) problems.push(`SYM_SANDBOX_WALL_CLOCK must be a duration such as 30s or 2m, got "${wallText}"`);
  const positive = (name: string, fallback: number): number => {
    const text = env[name]?.trim() || String(fallback);
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > 1000) problems.push(`${name} must be a whole number from 1 to 1000, got "${text}"`);
    return value;
  };
  const perOrg = positive('SYM_SANDBOX_ORG_CONCURRENCY', 4);
  const maxThreads = positive('SYM_SANDBOX_MAX_THREADS', 16);
  const consoleKeyText = env.SYM_CONSOLE_KEY?.trim() || undefined;
  if (consoleKeyText !== undefined && consoleKeyText.length < 32) problems.push('SYM_CONSOLE_KEY must have at least 32 characters (e.g. `openssl rand -base64 32`)');
  if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join('; ')}`);
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: path.resolve(env.SYM_DATA_DIR?.trim() || './.sym-data'),
    databaseUrl,
    logLevel,
    bootstrapOrg,
    jobsEnabled: jobsText === 'on',
    pendingTtlSeconds: pendingTtlSeconds!,
    jobLeaseMs: jobLease! * 1000,
    jobRetentionMs: retention === null ? null : retention! * 1000,
    shutdownGraceMs: grace! * 1000,
    idempotencyTtlMs: idemTtl! * 1000,
    metricsPort,
    metricsHost: env.SYM_METRICS_HOST?.trim() || env.HOST?.trim() || '127.0.0.1',
    secretEnvPrefix,
    sandbox: { egressAllowCidrs, wallClockMs: wallClock! * 1000, perOrg, maxThreads },
    consoleKey: consoleKeyText === undefined ? undefined : Buffer.from(consoleKeyText, 'utf8'),
  };
}

/** The settings of the sandbox `compose.ts` builds, from the operator's configuration. */
export function sandboxOptionsOf(config: Pick<Config, 'sandbox'>): SandboxOptions {
  return {
    egress: { allowCidrs: config.sandbox.egressAllowCidrs },
    limits: { wallClockMs: config.sandbox.wallClockMs },
    perTenant: config.sandbox.perOrg,
    maxThreads: config.sandbox.maxThreads,
  };
}
