import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrationsDir } from '../jobs/testing/migrations-dir';
import { openDatabase, type Database } from './database';

describe('embedded database: statements let pending I/O run', () => {
  let db: Database;
  before(async () => {
    db = await openDatabase({ memory: true }, migrationsDir);
  });
  after(async () => {
    await db.close();
  });

  // Without the yield, PGlite's statements settle as microtasks: a job's run of statements never let
  // an HTTP request in (a Slack click waited seconds behind running jobs).
  it('work queued on the event loop before each statement of a run gets its turn before that statement ends', async () => {
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      setImmediate(() => order.push(`io ${i}`));
      await db.prisma.$queryRaw`SELECT 1`;
      order.push(`statement ${i}`);
    }
    const expected = [0, 1, 2, 3, 4].flatMap((i) => [`io ${i}`, `statement ${i}`]);
    assert.deepEqual(order, expected);
  });

  it('statements inside a transaction still run in order and commit', async () => {
    const rows = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`CREATE TEMP TABLE yield_probe (n int)`;
      await tx.$executeRaw`INSERT INTO yield_probe VALUES (1), (2)`;
      return tx.$queryRaw<{ n: number }[]>`SELECT n FROM yield_probe ORDER BY n`;
    });
    assert.deepEqual(rows, [{ n: 1 }, { n: 2 }]);
  });
});
