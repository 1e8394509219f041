/** A throwaway PostgreSQL 15 cluster on a random loopback port, for running the control plane against a server. */
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';
import { progress } from './progress';
import { describeResult, runProcess } from './run-process';

/** Debian's PostgreSQL 15 binaries. */
const pgBin = process.env.OPENSYM_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * initdb + pg_ctl in a temp directory with trust auth. PostgreSQL refuses to run as root, so when
 * we are root every server command runs as `postgres` through runuser and the directory is chowned.
 */
export class PostgresServer {
  /** The cluster's directory (data, log and the Unix socket). */
  readonly dir: string;
  /** The TCP port the server listens on, on 127.0.0.1. */
  port = 0;
  private running = false;
  private databases = 0;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates and starts a cluster (about 2 s). */
  static async start(): Promise<PostgresServer> {
    const server = new PostgresServer(mkdtempSync(path.join(os.tmpdir(), 'opensym-pg-')));
    try {
      await server.init();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** A connection URL for the `postgres` superuser and the given database. */
  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates a fresh, empty database and returns its URL: one per scenario keeps them independent. */
  async createDatabase(prefix = 'opensym_e2e'): Promise<string> {
    const name = `${prefix}_${++this.databases}_${process.pid}`;
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server (fast shutdown) and removes its directory. */
  async stop(): Promise<void> {
    if (this.running) {
      const result = await this.asPostgres(path.join(pgBin, 'pg_ctl'), ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
      if (result.code !== 0) progress(`pg_ctl stop failed:\n${describeResult('pg_ctl stop', result)}`);
      this.running = false;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private async init(): Promise<void> {
    if (isRoot()) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(this.dir, uid, gid);
    }
    const initdb = await this.asPostgres(path.join(pgBin, 'initdb'), ['-D', this.dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
    if (initdb.code !== 0) throw new Error(describeResult('initdb', initdb));
    this.port = await freePort();
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const start = await this.asPostgres(path.join(pgBin, 'pg_ctl'), ['-D', this.dataDir, '-l', path.join(this.dir, 'log'), '-w', '-o', options, 'start']);
    if (start.code !== 0) throw new Error(describeResult('pg_ctl start', start));
    this.running = true;
    progress(`PostgreSQL 15 listening on 127.0.0.1:${this.port} (${this.dir})`);
  }

  private asPostgres(command: string, args: string[]) {
    const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return runProcess(cmd as string, argv as string[], { cwd: this.dir, timeoutMs: 60_000 });
  }
}

/** PostgreSQL will not start as root; we drop to `postgres` then. */
function isRoot(): boolean {
  return process.getuid?.() === 0;
}
