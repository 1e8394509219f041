import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestRow, requestRowName } from './request-rows';

const result = (average: number, p99: number, non2xx = 0) => ({ requests: { average, total: average * 10 }, latency: { p50: p99 / 2, p99 }, non2xx, errors: 0, timeouts: 0 });

test('a request row passes only when rate, p99 and every answer are within target', () => {
  const name = requestRowName('pglite', 10, 10);
  assert.match(name, /embedded PGlite \(10 s, 10 conns\)/);
  assert.deepEqual(requestRow(name, result(612.4, 31)), { benchmark: name, measured: '612 req/s, p50 15.5 ms, p99 31.0 ms', target: '≥ 500 req/s, p99 ≤ 50 ms', ok: true });
  assert.equal(requestRow(name, result(499, 31)).ok, false);
  assert.equal(requestRow(name, result(900, 51)).ok, false);
  const failed = requestRow(name, result(900, 20, 3));
  assert.equal(failed.ok, false);
  assert.match(failed.measured, /\(3 failed of 9000\)$/);
  assert.equal(requestRow(name, result(100, 20), 12_000).measured, '100 req/s, p50 10.0 ms, p99 20.0 ms, server CPU 12.00 ms/request');
});
