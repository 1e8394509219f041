import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFineMs, SANDBOX_ROW_NAMES, sandboxRows } from './sandbox-rows';

describe('sandbox rows', () => {
  it('formats microseconds, milliseconds and seconds-scale durations', () => {
    assert.equal(formatFineMs(0.0038), '4 µs');
    assert.equal(formatFineMs(1.8181), '1.82 ms');
    assert.equal(formatFineMs(56.03), '56.0 ms');
    assert.equal(formatFineMs(1233.9), '1,234 ms');
  });

  it('gives one informational row per measurement, in order', () => {
    const s = (median: number) => ({ median, p99: median * 2, n: 5 });
    const rows = sandboxRows({
      on_request: { cold: s(1200), warm: s(2), warmModule: s(0.1) },
      get_approvers: { cold: s(1300), warm: s(3), warmModule: s(0.2) },
      vm: { cold: s(0.4), warm: s(0.004) },
    });
    assert.deepEqual(
      rows.map((r) => r.benchmark),
      [...SANDBOX_ROW_NAMES],
    );
    assert.equal(rows[1]!.measured, '2.00 ms median, p99 4.00 ms (n=5)');
    assert.equal(rows[2]!.measured, '100 µs median, p99 200 µs (n=5)');
    assert.equal(rows[7]!.measured, '4 µs median, p99 8 µs (n=5)');
    assert.ok(rows.every((r) => r.ok === null && r.target === '—'));
  });
});
