import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { yieldingPGlite } from './pglite-yield';
import { withStatementPriority } from './statement-priority';

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

  // PGlite's own queue is first come, first served: an ack's insert waited behind a statement of
  // every running job. Order, not time: which statements finish between the ack's issue and its end.
  it('an urgent statement (the Slack ack path) goes before the background statements waiting for the connection', async () => {
    const db = yieldingPGlite(raw, { sliceMs: 10, now: () => 0 });
    await db.exec('CREATE TABLE IF NOT EXISTS ack_probe (n int)');
    const log: string[] = [];
    let ack: Promise<unknown> | undefined;
    const chain = async (name: string) => {
      for (let i = 0; i < 10; i++) {
        await db.query('SELECT $1::int', [i]);
        log.push(`${name}${i}`);
        if (name === 'a' && i === 2) {
          // The other chains each have a statement waiting now.
          log.push('ack issued');
          ack = withStatementPriority(() => db.query('INSERT INTO ack_probe VALUES (1)')).then(() => log.push('ack'));
        }
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(chain));
    await ack;
    const between = log.slice(log.indexOf('ack issued') + 1, log.indexOf('ack'));
    // At most the statement that held the connection when the ack came finishes first.
    assert.ok(between.length <= 1, `background statements finished before the ack: ${between.join(', ')}`);
  });

  it("an urgent statement never runs inside another caller's transaction", async () => {
    const db = yieldingPGlite(raw, { sliceMs: 0 });
    await db.exec('CREATE TABLE IF NOT EXISTS tx_probe (n int)');
    const log: string[] = [];
    let urgent: Promise<unknown> | undefined;
    const seen = await db.transaction(async (tx) => {
      await tx.exec('INSERT INTO tx_probe VALUES (1)');
      urgent = withStatementPriority(() => db.query('INSERT INTO tx_probe VALUES (2)')).then(() => log.push('urgent'));
      // Let the urgent statement try to get in while the transaction is open.
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      const rows = (await tx.query<{ n: number }>('SELECT n FROM tx_probe ORDER BY n')).rows;
      log.push('commit');
      return rows.map((r) => r.n);
    });
    await urgent;
    assert.deepEqual(seen, [1]);
    assert.deepEqual(log, ['commit', 'urgent']);
  });
});
