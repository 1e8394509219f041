import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { yieldingPGlite } from './pglite-yield';

describe('embedded database: a long run of statements lets pending I/O run', () => {
  let raw: PGlite;
  before(async () => {
    raw = new PGlite();
    await raw.waitReady;
  });
  after(async () => {
    await raw.close();
  });

  /** Runs `n` statements back to back on `db`; returns after how many of them work queued on the event loop ran (n: it waited for all). */
  async function probeDuring(db: PGlite, n: number): Promise<number> {
    let ranAfter = -1;
    let done = 0;
    setImmediate(() => (ranAfter = done));
    for (let i = 0; i < n; i++) {
      await db.query('SELECT 1');
      done++;
    }
    // Let the probe run if it has not yet, then tell when it did.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return ranAfter;
  }

  // Without the gate, PGlite's statements settle as microtasks: a job's run of statements never let
  // an HTTP request in (a Slack click waited seconds behind running jobs).
  it('work queued on the event loop runs once the run has lasted a slice, before the run ends', async () => {
    let clock = 0;
    // Each statement "takes" 4 ms: the 10 ms slice is used up after the third.
    const db = yieldingPGlite(raw, { sliceMs: 10, now: () => (clock += 4) });
    const ranAfter = await probeDuring(db, 20);
    assert.ok(ranAfter >= 1 && ranAfter <= 4, `the probe ran after ${ranAfter} of 20 statements`);
  });

  it('a run shorter than the slice does not give up the thread (no cost per statement)', async () => {
    const db = yieldingPGlite(raw, { sliceMs: 10, now: () => 0 });
    assert.equal(await probeDuring(db, 20), 20);
  });

  it('statements inside a transaction run in order and commit', async () => {
    const db = yieldingPGlite(raw, { sliceMs: 0 });
    const rows = await db.transaction(async (tx) => {
      await tx.exec('CREATE TEMP TABLE yield_probe (n int)');
      await tx.exec('INSERT INTO yield_probe VALUES (1), (2)');
      return (await tx.query<{ n: number }>('SELECT n FROM yield_probe ORDER BY n')).rows;
    });
    assert.deepEqual(rows, [{ n: 1 }, { n: 2 }]);
  });
});
