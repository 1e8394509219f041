import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exponentialBackoff } from './backoff';

describe('exponentialBackoff', () => {
  it('doubles per attempt between half and all of the capped delay', () => {
    const low = exponentialBackoff({ baseMs: 100, maxMs: 1000 }, () => 0);
    const high = exponentialBackoff({ baseMs: 100, maxMs: 1000 }, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 50].map(low), [50, 100, 200, 400, 500, 500]);
    assert.deepEqual([1, 2, 3, 4, 5, 50].map(high), [100, 200, 400, 800, 1000, 1000]);
  });
});
