import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTable, skippedRow } from './render-table';

test('renders an aligned markdown table with yes / NO / — in the ok column', () => {
  const table = renderTable([
    { benchmark: 'a', measured: '12 ms', target: '≤ 150 ms', ok: true },
    { benchmark: 'longer name', measured: '2.10×', target: '≤ 1.5×', ok: false },
    { benchmark: 'info', measured: '900 req/s', target: '—', ok: null },
  ]);
  assert.equal(
    table,
    [
      '| benchmark   | measured  | target   | ok  |',
      '|-------------|-----------|----------|-----|',
      '| a           | 12 ms     | ≤ 150 ms | yes |',
      '| longer name | 2.10×     | ≤ 1.5×   | NO  |',
      '| info        | 900 req/s | —        | —   |',
    ].join('\n'),
  );
});

test('a skipped row says why in the measured column, and pipes cannot break the table', () => {
  const row = skippedRow('plan', '≤ 1.5×', 'no tofu | not built\nyet');
  assert.deepEqual(row, { benchmark: 'plan', measured: 'skipped: no tofu | not built\nyet', target: '≤ 1.5×', ok: null });
  const [, , line] = renderTable([row]).split('\n');
  assert.equal(line, '| plan      | skipped: no tofu \\| not built yet | ≤ 1.5× | —  |');
});
