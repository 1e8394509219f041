import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMs, formatRate } from './format';

test('durations: one decimal under 100 ms, whole ms under 10 s, seconds above', () => {
  assert.equal(formatMs(12.345), '12.3 ms');
  assert.equal(formatMs(1234.5), '1235 ms');
  assert.equal(formatMs(12_345), '12.35 s');
});

test('rates are whole requests per second with separators', () => {
  assert.equal(formatRate(12345.6), '12,346 req/s');
});
