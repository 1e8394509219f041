import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupCommit } from './group-commit';

/** A writer whose batches finish only when the test releases them. */
function controlledWriter() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (items.includes(13)) throw new Error('13 is unlucky');
    return items.map((n) => n * 10);
  };
  const releaseNext = async () => {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
  };
  return { write, batches, releaseNext };
}

describe('groupCommit', () => {
  it('writes an item at once when nothing is in flight', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.write, { maxBatch: 10, maxInFlight: 1 });
    const first = write(1);
    assert.deepEqual(w.batches, [[1]]);
    await w.releaseNext();
    assert.equal(await first, 10);
  });

  it('coalesces items queued behind a batch in flight, in order, up to maxBatch', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.write, { maxBatch: 3, maxInFlight: 1 });
    const results = [1, 2, 3, 4, 5, 6].map((n) => write(n));
    assert.deepEqual(w.batches, [[1]]);
    await w.releaseNext();
    await w.releaseNext();
    await w.releaseNext();
    assert.deepEqual(await Promise.all(results), [10, 20, 30, 40, 50, 60]);
    assert.deepEqual(w.batches, [[1], [2, 3, 4], [5, 6]]);
  });

  it('runs up to maxInFlight batches at the same time', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.write, { maxBatch: 10, maxInFlight: 2 });
    const results = [1, 2, 3, 4].map((n) => write(n));
    assert.deepEqual(w.batches, [[1], [2]]);
    for (let i = 0; i < 3; i++) await w.releaseNext();
    assert.deepEqual(await Promise.all(results), [10, 20, 30, 40]);
    assert.deepEqual(w.batches, [[1], [2], [3, 4]]);
  });

  it('with gatherTurn, waits for the rest of the turn so writes ready in it share the first batch', async () => {
    const batches: number[][] = [];
    const write = async (items: number[]) => {
      batches.push(items);
      return items;
    };
    const gathered = groupCommit(write, { maxBatch: 10, maxInFlight: 1, gatherTurn: true });
    const first = [1, 2, 3].map((n) => gathered(n));
    assert.deepEqual(batches, [], 'nothing is written before the turn ends');
    assert.deepEqual(await Promise.all(first), [1, 2, 3]);
    assert.deepEqual(batches, [[1, 2, 3]]);
    const eager = groupCommit(write, { maxBatch: 10, maxInFlight: 1 });
    await Promise.all([4, 5, 6].map((n) => eager(n)));
    assert.deepEqual(batches.slice(1), [[4], [5, 6]], 'without it the first write goes out alone');
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.write, { maxBatch: 10, maxInFlight: 1 });
    const first = write(1);
    const rest = [12, 13, 14].map((n) =>
      write(n).then(
        (v) => ({ ok: v }),
        (e: Error) => ({ error: e.message }),
      ),
    );
    await w.releaseNext(); // [1]
    await w.releaseNext(); // [12, 13, 14] fails
    for (let i = 0; i < 3; i++) await w.releaseNext(); // one by one
    assert.equal(await first, 10);
    assert.deepEqual(await Promise.all(rest), [{ ok: 120 }, { error: '13 is unlucky' }, { ok: 140 }]);
    assert.deepEqual(w.batches, [[1], [12, 13, 14], [12], [13], [14]]);
  });
});
