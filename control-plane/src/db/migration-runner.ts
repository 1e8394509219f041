import { createHash, randomUUID } from 'node:crypto';
import { readMigrations } from './schema-engine';

/** The few raw-SQL operations the migration runner needs from a database connection. */
export interface MigrationConnection {
  /** Runs a multi-statement script (simple query protocol). */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised query and returns its rows. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` inside one transaction on one session. */
  transaction<T>(fn: (tx: MigrationConnection) => Promise<T>): Promise<T>;
}

// Same table and lock key as Prisma's schema engine, so `prisma migrate deploy` and this runner
// can take turns on one database.
const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;
const prismaAdvisoryLockKey = 72707369;

/** Names of the migrations in `migrationsDir` (folder names, in order). */
export async function migrationNames(migrationsDir: string): Promise<string[]> {
  return (await readMigrations(migrationsDir)).migrationDirectories.map((d) => d.path);
}

/**
 * Applies pending migrations from `migrationsDir` in order, recording them the way
 * `prisma migrate deploy` does. Called at server start; a no-op when the database is current.
 * Each migration runs in its own transaction under Prisma's advisory lock, so concurrent
 * replicas do not apply one twice.
 */
export async function applyMigrations(conn: MigrationConnection, migrationsDir: string): Promise<string[]> {
  const list = await readMigrations(migrationsDir);
  if (list.migrationDirectories.length === 0) throw new Error(`no migrations found in ${migrationsDir}`);
  await conn.exec(createMigrationsTable);
  const applied: string[] = [];
  for (const dir of list.migrationDirectories) {
    const file = dir.migrationFile.content;
    if (file.tag === 'error') throw new Error(`cannot read migration ${dir.path}: ${file.value}`);
    const script = file.value;
    const checksum = createHash('sha256').update(script).digest('hex');
    const done = await conn.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [prismaAdvisoryLockKey]);
      const rows = await tx.query<{ checksum: string; finished_at: unknown }>('SELECT checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL', [
        dir.path,
      ]);
      if (rows.some((r) => r.finished_at !== null)) return false;
      if (rows.length > 0) throw new Error(`migration ${dir.path} failed earlier; resolve it with \`prisma migrate resolve\``);
      await tx.exec(script);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), checksum, dir.path],
      );
      return true;
    });
    if (done) applied.push(dir.path);
  }
  return applied;
}
