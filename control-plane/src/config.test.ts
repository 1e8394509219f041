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
