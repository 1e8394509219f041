/**
 * A PostgreSQL database for tests and benchmarks that need a real server: a fresh database on
 * OPENSYM_TEST_DATABASE_URL when that is set, otherwise a throwaway cluster (initdb + pg_ctl on a
 * free loopback port) when the PostgreSQL binaries are installed. Neither: a reason to skip.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port';

const run = promisify(execFile);
const pgBin = process.env.OPENSYM_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  /** Connection URL of an empty database of its own. */
  url: string;
  /** Drops the database, or stops and removes the cluster. */
  close(): Promise<void>;
}

/** Returns a database, or why none is available (for `describe(..., { skip })`). */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | { skip: string }> {
  const shared = process.env.OPENSYM_TEST_DATABASE_URL;
  if (shared) return freshDatabase(shared);
  if (!existsSync(path.join(pgBin, 'initdb'))) return { skip: `no OPENSYM_TEST_DATABASE_URL and no PostgreSQL binaries in ${pgBin}` };
  return startCluster();
}

async function freshDatabase(serverUrl: string): Promise<ThrowawayPostgres> {
  const name = `opensym_t_${process.pid}_${Date.now().toString(36)}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), close: () => admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function startCluster(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opensym-pg-'));
  const dataDir = path.join(dir, 'data');
  // PostgreSQL refuses to run as root: then every server command runs as `postgres`.
  const root = process.getuid?.() === 0;
  const asPostgres = (bin: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', path.join(pgBin, bin), ...args], { cwd: dir }) : run(path.join(pgBin, bin), args, { cwd: dir }));
  let started = false;
  const close = async () => {
    if (started) await asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (root) {
      const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
      chownSync(dir, await id('-u'), await id('-g'));
    }
    await asPostgres('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await asPostgres('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'log'), '-w', '-o', options, 'start']);
    started = true;
    return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
