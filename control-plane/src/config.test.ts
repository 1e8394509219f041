import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from './config';

describe('parseConfig: workflow settings', () => {
  it('defaults: jobs on, 24 h pending TTL, 30 s job lease', () => {
    const c = parseConfig({});
    assert.deepEqual([c.jobsEnabled, c.pendingTtlSeconds, c.jobLeaseMs], [true, 86_400, 30_000]);
  });

  it('reads SYM_JOBS, SYM_PENDING_TTL and SYM_JOB_LEASE', () => {
    const c = parseConfig({ SYM_JOBS: 'OFF', SYM_PENDING_TTL: '30m', SYM_JOB_LEASE: '2' });
    assert.deepEqual([c.jobsEnabled, c.pendingTtlSeconds, c.jobLeaseMs], [false, 1800, 2000]);
  });

  it('lists every bad value at once', () => {
    assert.throws(
      () => parseConfig({ SYM_JOBS: 'maybe', SYM_PENDING_TTL: 'soon', SYM_JOB_LEASE: '0s' }),
      (err: Error) => /SYM_JOBS/.test(err.message) && /SYM_PENDING_TTL/.test(err.message) && /SYM_JOB_LEASE/.test(err.message),
    );
  });
});
