import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expiryRow } from './expiry-rows';

const base = { mode: 'postgres' as const, instances: 2, jobs: 10_000, done: 10_000, failed: 0, p50Ms: 1200, p99Ms: 2700, maxMs: 2900, duplicates: 0, handler: 'records completion', loadAverage: 1.5 };

describe('expiryRow', () => {
  it('passes when every grant was taken back in time and none twice', () => {
    const row = expiryRow({ ...base, spreadMs: 60_000 }, 'postgres', 'lifecycle');
    assert.equal(row.ok, true);
    assert.match(row.benchmark, /full lifecycle: 10,000 aws_lambda grants ending within 60 s \(PostgreSQL, 2 servers\)/);
    assert.match(row.measured, /^p50 1200 ms, p99 2700 ms, max 2900 ms; 0 ran twice \(handler records completion; load avg 1.5\)$/);
  });

  it('fails on a duplicate, a late grant or an unfinished one', () => {
    assert.equal(expiryRow({ ...base, duplicates: 1 }, 'postgres', 'lifecycle').ok, false);
    assert.equal(expiryRow({ ...base, maxMs: 5001 }, 'postgres', 'lifecycle').ok, false);
    const unfinished = expiryRow({ ...base, done: 9_990, failed: 10 }, 'postgres', 'lifecycle');
    assert.equal(unfinished.ok, false);
    assert.match(unfinished.measured, /only 9990\/10000 done, 10 failed/);
  });

  it('keeps the job-queue-only half informational', () => {
    const row = expiryRow(base, 'pglite');
    assert.equal(row.ok, null);
    assert.equal(row.target, '—');
    assert.match(row.benchmark, /job queue only: 10,000 deescalate jobs due within 5 s \(PGlite, 1 queue\)/);
  });

  it('reports a skipped run', () => {
    const row = expiryRow({ skipped: 'no PostgreSQL' }, 'pglite');
    assert.equal(row.ok, null);
    assert.equal(row.measured, 'skipped: no PostgreSQL');
  });
});
