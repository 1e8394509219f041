import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { PostgresServer } from './postgres-server';

const available = existsSync('/usr/lib/postgresql/15/bin/initdb') || process.env.OPENSYM_PG_BIN !== undefined;

test('PostgresServer starts a cluster, creates databases and cleans up', { skip: !available && 'PostgreSQL 15 binaries missing', timeout: 60_000 }, async () => {
  const server = await PostgresServer.start();
  try {
    const url = await server.createDatabase('unit');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT current_database() AS db, version() AS v');
    await client.end();
    assert.match(rows[0].db, /^unit_1_/);
    assert.match(rows[0].v, /PostgreSQL 15/);
  } finally {
    await server.stop();
  }
  assert.equal(existsSync(server.dir), false);
});
