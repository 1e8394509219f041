// The embedded autovacuum against real PGlite: statistics appear, the planner stops scanning a
// whole index for a request's events, dead rows are reclaimed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { maintainOnce, maintenanceFor, startMaintenance } from './pglite-maintenance';

const stats = (over: Partial<Parameters<typeof maintenanceFor>[0]>) => ({ relname: 't', n_live_tup: 1000, n_dead_tup: 0, n_mod_since_analyze: 0, reltuples: 1000, ...over });

describe('PGlite maintenance', () => {
  it('follows autovacuum thresholds', () => {
    assert.equal(maintenanceFor(stats({ reltuples: -1 })), 'analyze', 'never analyzed');
    assert.equal(maintenanceFor(stats({ n_mod_since_analyze: 150 })), null);
    assert.equal(maintenanceFor(stats({ n_mod_since_analyze: 151 })), 'analyze');
    assert.equal(maintenanceFor(stats({ n_dead_tup: 251 })), 'vacuum');
    assert.equal(maintenanceFor(stats({ n_dead_tup: 250, n_mod_since_analyze: 10 })), null);
  });

  it('analyzes changed tables so a selective index wins, and vacuums dead rows', async () => {
    const db = new PGlite();
    try {
      await db.exec(`CREATE TABLE ev (id int PRIMARY KEY, org int NOT NULL, req int NOT NULL, at int NOT NULL);
        CREATE INDEX ev_org ON ev (org, at); CREATE INDEX ev_req ON ev (req, at);
        INSERT INTO ev SELECT g, 1, g, g FROM generate_series(1, 20000) g;`);
      const plan = async () => (await db.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT * FROM ev WHERE org = 1 AND req = 7 ORDER BY at')).rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(await plan(), /ev_org/, 'without statistics the planner also reads the organization index');
      const events: string[] = [];
      await maintainOnce(db, (e) => events.push('table' in e ? `${e.action} ${e.table}` : String(e.error)));
      assert.deepEqual(events, ['analyze ev']);
      assert.doesNotMatch(await plan(), /ev_org/);
      await db.exec('UPDATE ev SET at = at + 1 WHERE id <= 10000');
      events.length = 0;
      await maintainOnce(db, (e) => events.push('table' in e ? `${e.action} ${e.table}` : String(e.error)));
      assert.deepEqual(events, ['vacuum ev']);
      const [dead] = (await db.query<{ n_dead_tup: number }>(`SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'ev'`)).rows;
      assert.equal(Number(dead!.n_dead_tup), 0);
      events.length = 0;
      await maintainOnce(db, (e) => events.push('table' in e ? `${e.action} ${e.table}` : String(e.error)));
      assert.deepEqual(events, [], 'nothing to do right after');
    } finally {
      await db.close();
    }
  });

  it('runs a round at start and stops cleanly', async () => {
    const db = new PGlite();
    try {
      await db.exec('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10)');
      const seen: string[] = [];
      let first!: () => void;
      const firstRound = new Promise<void>((resolve) => (first = resolve));
      const loop = startMaintenance(db, { intervalMs: 60_000, onEvent: (e) => (seen.push('table' in e ? e.table : 'error'), first()) });
      await firstRound;
      await loop.stop();
      assert.deepEqual(seen, ['t']);
    } finally {
      await db.close();
    }
  });
});
