import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PYTHON_ROW_NAMES, pythonRows } from './python-rows';

describe('python rows', () => {
  const s = (median: number) => ({ median, p99: median * 2, n: 5 });

  it('gives one row per measurement, in order, judged against the budgets', () => {
    const rows = pythonRows({ cold: s(450), warm: s(0.4), fresh: s(1.2), host: s(0.6), rssPerWorkerMiB: 41.6 });
    assert.deepEqual(
      rows.map((r) => r.benchmark),
      [...PYTHON_ROW_NAMES],
    );
    assert.equal(rows[0]!.measured, '400 µs median, p99 800 µs (n=5)');
    assert.deepEqual(
      rows.map((r) => r.ok),
      [true, null, null, true, null],
    );
    assert.equal(rows[4]!.measured, '42 MiB');
  });

  it('fails the rows whose medians are over budget', () => {
    const rows = pythonRows({ cold: s(2500), warm: s(6), fresh: s(9), host: s(1), rssPerWorkerMiB: 100 });
    assert.equal(rows[0]!.ok, false);
    assert.equal(rows[3]!.ok, false);
  });
});
