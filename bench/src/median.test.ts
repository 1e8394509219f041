import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median } from './median';

test('median of an odd sample is the middle value, whatever the order', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([42]), 42);
});

test('median of an even sample is the mean of the middle two', () => {
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('median does not reorder its input and rejects an empty sample', () => {
  const sample = [3, 1, 2];
  median(sample);
  assert.deepEqual(sample, [3, 1, 2]);
  assert.throws(() => median([]), RangeError);
});
