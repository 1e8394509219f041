import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { applyMigrations, migrationNames, type MigrationConnection } from './migration-runner';
import { startMaintenance, type MaintenanceOptions } from './pglite-maintenance';
import { yieldingPGlite } from './pglite-yield';

/** An open database: the Prisma client plus how to check and close it. */
export interface Database {
  readonly prisma: PrismaClient;
  /** `embedded` (PGlite in SYM_DATA_DIR or memory) or `postgres` (DATABASE_URL). */
  readonly mode: 'embedded' | 'postgres';
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** Migrations this build ships that the database has not (successfully) applied; empty when current. */
  pendingMigrations(): Promise<string[]>;
  /** Closes the client and the underlying driver; PGlite flushes its data directory. */
  close(): Promise<void>;
}

/** Where the database lives: a PostgreSQL URL, a PGlite directory, or PGlite in memory (tests). */
export type DatabaseLocation = { url: string } | { dataDir: string } | { memory: true };

/** Options of openDatabase. */
export interface OpenDatabaseOptions {
  /** PGlite only: the maintenance loop standing in for autovacuum (see pglite-maintenance.ts). */
  maintenance?: MaintenanceOptions;
}

/**
 * Opens the database, applies pending migrations and returns a ready Prisma client. On PGlite it
 * also starts the maintenance loop (analyze and vacuum), stopped by `close()`.
 */
export async function openDatabase(location: DatabaseLocation, migrationsDir: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if ('url' in location) return openPostgres(location.url, migrationsDir);
  let dataDir: string | undefined;
  let lock: DataDirLock | undefined;
  if ('dataDir' in location) {
    dataDir = path.join(location.dataDir, 'pglite');
    await mkdir(dataDir, { recursive: true });
    // PGlite is one process's database: a second server on the same directory would write over
    // the first one's files. The lock refuses it, naming the process that holds the directory.
    lock = await lockDataDir(location.dataDir);
  }
  const db = new PGlite(dataDir);
  try {
    await applyMigrations(pgliteConnection(db), migrationsDir);
  } catch (err) {
    await db.close().catch(() => {});
    await lock?.release();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(yieldingPGlite(db)) });
  const maintenance = startMaintenance(db, options.maintenance);
  const shipped = await migrationNames(migrationsDir);
  return {
    prisma,
    mode: 'embedded',
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    pendingMigrations: () => pendingOf(prisma, shipped),
    close: async () => {
      await maintenance.stop();
      await prisma.$disconnect();
      try {
        if (!db.closed) await db.close();
      } finally {
        await lock?.release();
      }
    },
  };
}

async function openPostgres(url: string, migrationsDir: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await applyMigrations(pgConnection(pool), migrationsDir);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const shipped = await migrationNames(migrationsDir);
  return {
    prisma,
    mode: 'postgres',
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    pendingMigrations: () => pendingOf(prisma, shipped),
    close: async () => {
      await prisma.$disconnect();
      if (!pool.ended) await pool.end();
    },
  };
}

async function pendingOf(prisma: PrismaClient, shipped: readonly string[]): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((r) => r.migration_name));
  return shipped.filter((name) => !applied.has(name));
}

function pgliteConnection(db: PGlite | Parameters<Parameters<PGlite['transaction']>[0]>[0]): MigrationConnection {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    transaction: (fn) => {
      if (!('transaction' in db)) throw new Error('nested transactions are not supported');
      return db.transaction((tx) => fn(pgliteConnection(tx)));
    },
  };
}

function pgConnection(pool: pg.Pool): MigrationConnection {
  const on = (client: pg.Pool | pg.PoolClient): MigrationConnection => ({
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    transaction: async (fn) => {
      const session = await pool.connect();
      try {
        await session.query('BEGIN');
        const result = await fn(on(session));
        await session.query('COMMIT');
        return result;
      } catch (err) {
        await session.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        session.release();
      }
    },
  });
  return on(pool);
}
