// One embedded data directory, one server: a second process is refused with the holder named,
// and a holder killed with SIGKILL does not block the next start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { migrationsDir } from '../jobs/testing/migrations-dir';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './data-dir-lock';
import { openDatabase } from './database';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sym-lock-'));
  dirs.push(dir);
  return dir;
};
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Starts hold-data-dir.ts on `dir` and resolves once its database is open. */
async function holdInChild(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing', 'hold-data-dir.ts')], {
    cwd: path.resolve(here, '..', '..'),
    env: { ...process.env, SYM_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('"ready"')) resolve();
    });
    void exited.then(([code]) => reject(new Error(`holder exited (${code}) before it was ready: ${err}`)));
  });
  return { child, exited };
}

describe('embedded data directory lock', () => {
  it('refuses a second process on the same SYM_DATA_DIR, naming the holder; a SIGKILLed holder does not block the next start', async () => {
    const dir = await tempDir();
    const holder = await holdInChild(dir);
    try {
      await assert.rejects(openDatabase({ dataDir: dir }, migrationsDir), (err: Error) => {
        assert.ok(err instanceof DataDirLockedError, String(err));
        assert.match(err.message, new RegExp(`in use by process ${holder.child.pid} on ${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(since \\d{4}-\\d\\d-\\d\\dT`));
        return true;
      });
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    // The lock file is still there (nobody released it) but its process is gone.
    assert.ok(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).pid === holder.child.pid);
    const db = await openDatabase({ dataDir: dir }, migrationsDir);
    try {
      await db.ping();
      assert.equal(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    } finally {
      await db.close();
    }
    // Closing releases it: the next open (same process here) succeeds.
    const again = await openDatabase({ dataDir: dir }, migrationsDir);
    await again.close();
  });

  it('refuses a second open in the same process while the first is open', async () => {
    const dir = await tempDir();
    const first = await lockDataDir(dir);
    try {
      await assert.rejects(lockDataDir(dir), DataDirLockedError);
    } finally {
      await first.release();
    }
    const second = await lockDataDir(dir);
    await second.release();
  });

  it('takes over a lock whose pid now belongs to another process (pid reuse after a crash)', async () => {
    const dir = await tempDir();
    // Our own pid, but a start time that is not ours: the recorded holder is gone.
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: '2020-01-01T00:00:00.000Z', procStart: '1' }));
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('treats a lock of another host as held (its process cannot be checked from here)', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1234, host: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z' }));
    await assert.rejects(lockDataDir(dir), /in use by process 1234 on elsewhere\.example \(since 2026-01-01T00:00:00\.000Z\)/);
  });
});
