import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { defaultMigrationsDir } from '../compose';
import { applyMigrations } from './migration-runner';
import { noFilters, openSchemaEngine, readMigrations } from './schema-engine';

const migrationsDir = defaultMigrationsDir();
const schemaPath = path.join(migrationsDir, '..', 'schema.prisma');

// The WASM engine is Prisma's own migration logic: if it agrees with our runner and sees no
// drift, `prisma migrate deploy` / `migrate dev` would agree too.
describe('migrations', () => {
  let db: PGlite;
  let engine: SchemaEngine;
  before(async () => {
    db = new PGlite();
    engine = await openSchemaEngine(new PrismaPGlite(db));
  });
  after(async () => {
    engine?.free();
    await db?.close();
  });

  it('migration history produces exactly the Prisma schema', async () => {
    const content = await readFile(schemaPath, 'utf8');
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrations(migrationsDir)) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    assert.equal(result.exitCode, 0, `schema.prisma and prisma/migrations differ; run migrate:dev. Missing SQL:\n${result.stdout}`);
  });

  it('the startup runner records migrations the way Prisma does', async () => {
    const conn = {
      exec: async (sql: string) => void (await db.exec(sql)),
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      transaction: <T>(fn: (tx: never) => Promise<T>) =>
        db.transaction((tx) =>
          fn({
            exec: async (sql: string) => void (await tx.exec(sql)),
            query: async (sql: string, params?: unknown[]) => (await tx.query(sql, params)).rows,
          } as never),
        ),
    };
    const applied = await applyMigrations(conn as never, migrationsDir);
    assert.ok(applied.length > 0);
    assert.deepEqual(await applyMigrations(conn as never, migrationsDir), [], 'second run is a no-op');
    const migrationsList = await readMigrations(migrationsDir);
    const diagnosis = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters });
    assert.equal(diagnosis.history, null, JSON.stringify(diagnosis));
    assert.deepEqual(diagnosis.editedMigrationNames, []);
    assert.deepEqual(diagnosis.failedMigrationNames, []);
    assert.equal(diagnosis.hasMigrationsTable, true);
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    assert.deepEqual(appliedMigrationNames, []);
  });

  it('leaves the JSON documents of requests and audit events out of the planner statistics', async () => {
    // Runs after the test above has applied every migration to `db`.
    const org = (await db.query<{ id: string }>(`INSERT INTO "Organization" ("id", "slug") VALUES (gen_random_uuid(), 'stats') RETURNING "id"`)).rows[0]!.id;
    await db.query(
      `INSERT INTO "AuditEvent" ("id", "orgId", "type", "requestId", "at", "data")
       SELECT gen_random_uuid(), $1, 'request.created', gen_random_uuid(), now(), jsonb_build_object('n', g) FROM generate_series(1, 200) g`,
      [org],
    );
    await db.exec('ANALYZE "AuditEvent"; ANALYZE "AccessRequest"');
    const targets = await db.query<{ table: string; column: string; target: number }>(`
      SELECT c.relname AS "table", a.attname AS "column", a.attstattarget AS "target" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname IN ('AuditEvent', 'AccessRequest') AND a.attname IN ('data', 'flowSnapshot', 'fields') ORDER BY 1, 2`);
    assert.deepEqual(
      targets.rows.map((r) => [r.table, r.column, Number(r.target)]),
      [
        ['AccessRequest', 'fields', 0],
        ['AccessRequest', 'flowSnapshot', 0],
        ['AuditEvent', 'data', 0],
      ],
    );
    const analyzed = (await db.query<{ attname: string }>(`SELECT attname FROM pg_stats WHERE tablename = 'AuditEvent' ORDER BY 1`)).rows.map((r) => r.attname);
    assert.ok(analyzed.includes('requestId') && analyzed.includes('orgId'), `the other columns keep their statistics: ${analyzed.join(', ')}`);
    assert.ok(!analyzed.includes('data'), 'ANALYZE skipped the event data');
  });
});
