// The log-delivery trigger exists only once a log destination has (migration
// `log_delivery_trigger_with_first_destination`): audit writes cost nothing where log delivery
// is not used, and the first destination creates the trigger in its own transaction, waiting for
// every open audit writer, so no event committed after the destination is missed. On PGlite and
// on a PostgreSQL server (several sessions, and the migration over existing data).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { DatabaseLocation } from '../../db/database';
import { openDatabase } from '../../db/database';
import { migrationsDir } from '../../jobs/testing/migrations-dir';
import { waitFor } from '../../jobs/testing/wait-for';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../test-support/throwaway-postgres';

const TRIGGER = 'AuditEvent_log_delivery';
const INSTALLING_MIGRATION = '20261207200000_log_delivery_trigger_with_first_destination';

const server = await startThrowawayPostgres();
const noServer = 'skip' in server ? server.skip : false;
const backends: { name: string; location: () => DatabaseLocation; skip: string | false }[] = [
  { name: 'PGlite', location: () => ({ memory: true }), skip: false },
  { name: 'PostgreSQL', location: () => ({ url: (server as ThrowawayPostgres).url }), skip: noServer },
];

after(async () => {
  if (!('skip' in server)) await server.close();
});

/** Whether the log-delivery trigger is on "AuditEvent" (the catalog, as the database sees it now). */
async function triggerInstalled(query: (sql: string) => Promise<unknown[]>): Promise<boolean> {
  const rows = await query(`SELECT 1 FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass AND tgname = '${TRIGGER}'`);
  return rows.length === 1;
}

for (const backend of backends) {
  describe(`the log-delivery trigger comes with the first log destination (${backend.name})`, { skip: backend.skip }, () => {
    let t: TestControlPlane;
    const admin = () => ({ Authorization: `Bearer ${t.admin}` });
    const send = async (method: 'post' | 'patch' | 'delete', apiPath: string, body?: object) => {
      const res = await t.request[method](`/api/v1${apiPath}`).set(admin()).send(body);
      assert.ok(res.status < 300, `${method} ${apiPath}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, string>;
    };
    const installed = () => triggerInstalled((sql) => t.cp.db.prisma.$queryRawUnsafe(sql));
    const queued = () => t.cp.db.prisma.logDeliveryOutbox.count();

    before(async () => {
      t = await startTestControlPlane(backend.location());
    });
    after(async () => {
      await t?.close();
    });

    it('is absent on a new database, made by the first destination, kept after the last is deleted', async () => {
      assert.equal(await installed(), false, 'no destination yet: audit writes run no trigger');
      const env = await send('post', '/entities/environments', { name: 'env-install' });
      assert.equal(await queued(), 0);

      const first = await send('post', '/entities/log-destinations', { type: 'http', settings: { url: 'http://127.0.0.1:9/first' } });
      assert.equal(await installed(), true, 'the first destination made it');
      const second = await send('post', '/entities/log-destinations', { type: 'http', settings: { url: 'http://127.0.0.1:9/second' } });
      assert.equal(await installed(), true, 'a second destination finds it there');

      // The environment's own update is an organization event: queued for the destination it now lists.
      await send('patch', `/entities/environments/${env.id}`, { log_destination_ids: [first.id] });
      assert.equal(await queued(), 1, 'the environment update went to its one destination');

      await send('patch', `/entities/environments/${env.id}`, { log_destination_ids: [] });
      await send('delete', `/entities/log-destinations/${first.id}`);
      await send('delete', `/entities/log-destinations/${second.id}`);
      assert.equal(await installed(), true, 'kept: it finds nothing to queue, as before');
    });
  });
}

describe('the first log destination and concurrent audit writers (PostgreSQL)', { skip: noServer }, () => {
  let t: TestControlPlane;
  let holder: pg.Client;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });

  before(async () => {
    t = await startTestControlPlane({ url: (server as ThrowawayPostgres).url });
    holder = new pg.Client({ connectionString: (server as ThrowawayPostgres).url });
    await holder.connect();
  });
  after(async () => {
    await holder?.end();
    await t?.close();
  });

  it('waits for a transaction that wrote audit events; the writes after it are queued', async () => {
    const prisma = t.cp.db.prisma;
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "${TRIGGER}" ON "AuditEvent"`);
    for (const d of await prisma.entity.findMany({ where: { kind: 'log-destinations' } })) await prisma.entity.delete({ where: { id: d.id } });
    const env = await t.request.post('/api/v1/entities/environments').set(admin()).send({ name: 'env-concurrent' });
    assert.equal(env.status, 201);
    // The database is shared with the suite above: count from here.
    const queuedBefore = await prisma.logDeliveryOutbox.count();

    // An audit writer still open when the first destination is created.
    await holder.query('BEGIN');
    await holder.query(`INSERT INTO "AuditEvent" ("id", "orgId", "type", "at", "data") VALUES (gen_random_uuid(), $1, 'test.open_writer', now(), '{}')`, [t.orgId]);

    const creating = t.request
      .post('/api/v1/entities/log-destinations')
      .set(admin())
      .send({ type: 'http', settings: { url: 'http://127.0.0.1:9/concurrent' } });
    const created = creating.then((res) => res);
    // Two first destinations at once: both wait, both end with the one trigger.
    const alsoCreating = t.request
      .post('/api/v1/entities/log-destinations')
      .set(admin())
      .send({ type: 'http', settings: { url: 'http://127.0.0.1:9/concurrent-2' } });
    const alsoCreated = alsoCreating.then((res) => res);
    await waitFor('both creations waiting for the open writer', async () => {
      const rows = await holder.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = '"AuditEvent"'::regclass`);
      return rows.rows[0].n === 2;
    });
    assert.equal(await triggerInstalled(async (sql) => (await holder.query(sql)).rows), false, 'not there while they wait');

    await holder.query('COMMIT');
    const [one, two] = await Promise.all([created, alsoCreated]);
    assert.equal(one.status, 201, JSON.stringify(one.body));
    assert.equal(two.status, 201, JSON.stringify(two.body));
    assert.equal(await triggerInstalled((sql) => prisma.$queryRawUnsafe(sql)), true);

    // The open writer's event committed before the destinations: not queued (no backfill), and an
    // event written now is, for a destination the environment lists.
    assert.equal(await prisma.logDeliveryOutbox.count(), queuedBefore);
    const patched = await t.request
      .patch(`/api/v1/entities/environments/${env.body.id}`)
      .set(admin())
      .send({ log_destination_ids: [one.body.id] });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(await prisma.logDeliveryOutbox.count(), queuedBefore + 1);
  });
});

describe('the migration on a database in use (PostgreSQL)', { skip: noServer }, () => {
  const dirs: string[] = [];
  const databases: string[] = [];
  /** Runs one statement on the database at `url`, in a session of its own; its rows. */
  const query = (url: string) => async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  // The server's own database, where this suite's databases are created and dropped.
  const onServer = query((server as ThrowawayPostgres).url);
  after(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    for (const name of databases) await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  /** A fresh database migrated up to just before the installing migration. */
  async function databaseBeforeMigration(name: string): Promise<{ url: string; earlier: string }> {
    await onServer(`CREATE DATABASE "${name}"`);
    databases.push(name);
    const url = new URL((server as ThrowawayPostgres).url);
    url.pathname = `/${name}`;
    const earlier = mkdtempSync(path.join(tmpdir(), 'opensym-migrations-'));
    dirs.push(earlier);
    for (const entry of readdirSync(migrationsDir)) if (entry < INSTALLING_MIGRATION) cpSync(path.join(migrationsDir, entry), path.join(earlier, entry), { recursive: true });
    const db = await openDatabase({ url: url.toString() }, earlier);
    await db.close();
    return { url: url.toString(), earlier };
  }
  it('drops the trigger where no destination exists and keeps it where one does', async () => {
    const without = await databaseBeforeMigration(`opensym_mig_without_${process.pid}`);
    const withOne = await databaseBeforeMigration(`opensym_mig_with_${process.pid}`);
    assert.equal(await triggerInstalled(query(without.url)), true, 'the earlier migrations made it');
    await query(withOne.url)(`
      WITH org AS (INSERT INTO "Organization" ("id", "slug") VALUES (gen_random_uuid(), 'mig') RETURNING "id")
      INSERT INTO "Entity" ("id", "orgId", "kind", "type", "name", "slug", "naturalKey", "data", "updatedAt")
      SELECT gen_random_uuid(), org."id", 'log-destinations', 'http', 'dest', 'dest', 'dest', '{"settings": {"url": "http://127.0.0.1:9/"}}', now() FROM org`);

    for (const db of [without, withOne]) await (await openDatabase({ url: db.url }, migrationsDir)).close();
    assert.equal(await triggerInstalled(query(without.url)), false, 'no destination: dropped');
    assert.equal(await triggerInstalled(query(withOne.url)), true, 'a destination: kept');
  });
});
