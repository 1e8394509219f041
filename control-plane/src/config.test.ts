import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from './config';

describe('parseConfig: workflow settings', () => {
  it('defaults: jobs on, 24 h pending TTL, 30 s job lease, 7 d job retention, 10 s shutdown grace', () => {
    const c = parseConfig({});
    assert.deepEqual([c.jobsEnabled, c.pendingTtlSeconds, c.jobLeaseMs, c.jobRetentionMs, c.shutdownGraceMs], [true, 86_400, 30_000, 7 * 86_400_000, 10_000]);
  });

  it('reads SYM_JOB_RETENTION as a duration, or off to keep finished jobs', () => {
    assert.equal(parseConfig({ SYM_JOB_RETENTION: '12h' }).jobRetentionMs, 12 * 3_600_000);
    assert.equal(parseConfig({ SYM_JOB_RETENTION: '2w' }).jobRetentionMs, 14 * 86_400_000);
    assert.equal(parseConfig({ SYM_JOB_RETENTION: 'OFF' }).jobRetentionMs, null);
    for (const bad of ['0', 'forever', '-1d']) assert.throws(() => parseConfig({ SYM_JOB_RETENTION: bad }), /SYM_JOB_RETENTION must be a duration/, bad);
  });

  it('reads SYM_JOBS, SYM_PENDING_TTL, SYM_JOB_LEASE and SYM_SHUTDOWN_GRACE', () => {
    const c = parseConfig({ SYM_JOBS: 'OFF', SYM_PENDING_TTL: '30m', SYM_JOB_LEASE: '2', SYM_SHUTDOWN_GRACE: '1m' });
    assert.deepEqual([c.jobsEnabled, c.pendingTtlSeconds, c.jobLeaseMs, c.shutdownGraceMs], [false, 1800, 2000, 60_000]);
  });

  it('lists every bad value at once', () => {
    assert.throws(
      () => parseConfig({ SYM_JOBS: 'maybe', SYM_PENDING_TTL: 'soon', SYM_JOB_LEASE: '0s', SYM_SHUTDOWN_GRACE: 'never' }),
      (err: Error) => ['SYM_JOBS', 'SYM_PENDING_TTL', 'SYM_JOB_LEASE', 'SYM_SHUTDOWN_GRACE'].every((name) => err.message.includes(name)),
    );
  });
});

describe('parseConfig: isolation settings', () => {
  it('defaults: env secrets named SYM_SECRET_*, no egress exceptions, 30 s wall clock per invocation, 4 per organization, 16 threads', () => {
    const c = parseConfig({});
    assert.equal(c.secretEnvPrefix, 'SYM_SECRET_');
    assert.deepEqual(c.sandbox, { egressAllowCidrs: [], wallClockMs: 30_000, perOrg: 4, maxThreads: 16 });
  });

  it('reads SYM_ENV_SECRET_PREFIX, SYM_EGRESS_ALLOW_CIDRS, SYM_SANDBOX_WALL_CLOCK, SYM_SANDBOX_ORG_CONCURRENCY and SYM_SANDBOX_MAX_THREADS', () => {
    const c = parseConfig({
      SYM_ENV_SECRET_PREFIX: 'HOOK_',
      SYM_EGRESS_ALLOW_CIDRS: '127.0.0.0/8, ::1/128,10.1.0.0/16',
      SYM_SANDBOX_WALL_CLOCK: '2m',
      SYM_SANDBOX_ORG_CONCURRENCY: '2',
      SYM_SANDBOX_MAX_THREADS: '8',
    });
    assert.equal(c.secretEnvPrefix, 'HOOK_');
    assert.deepEqual(c.sandbox, { egressAllowCidrs: ['127.0.0.0/8', '::1/128', '10.1.0.0/16'], wallClockMs: 120_000, perOrg: 2, maxThreads: 8 });
  });

  it('refuses a prefix that is not a variable name, bad CIDRs and bad sandbox numbers', () => {
    assert.throws(
      () =>
        parseConfig({
          SYM_ENV_SECRET_PREFIX: 'a-b',
          SYM_EGRESS_ALLOW_CIDRS: '10.0.0.0/33',
          SYM_SANDBOX_WALL_CLOCK: 'never',
          SYM_SANDBOX_ORG_CONCURRENCY: '0',
          SYM_SANDBOX_MAX_THREADS: 'many',
        }),
      (err: Error) =>
        ['SYM_ENV_SECRET_PREFIX', 'SYM_EGRESS_ALLOW_CIDRS', 'SYM_SANDBOX_WALL_CLOCK', 'SYM_SANDBOX_ORG_CONCURRENCY', 'SYM_SANDBOX_MAX_THREADS'].every((name) => err.message.includes(name)),
    );
  });
});

describe('parseConfig: the console key', () => {
  it('reads SYM_CONSOLE_KEY (unset: a random key per start) and refuses a short one', () => {
    assert.equal(parseConfig({}).consoleKey, undefined);
    assert.equal(parseConfig({ SYM_CONSOLE_KEY: 'k'.repeat(32) }).consoleKey?.toString(), 'k'.repeat(32));
    assert.throws(() => parseConfig({ SYM_CONSOLE_KEY: 'short' }), /SYM_CONSOLE_KEY must have at least 32 characters/);
  });
});
