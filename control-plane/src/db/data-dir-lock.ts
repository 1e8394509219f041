import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Who holds an embedded data directory, as written in its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder took the lock (ISO 8601). */
  startedAt: string;
  /** Linux only: the holder's start time in clock ticks since boot, so a reused pid is not taken for the holder. */
  procStart?: string;
}

/** A held data-directory lock; `release()` removes the file (only if it is still ours). */
export interface DataDirLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Thrown when another live process holds the directory; the message names it. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database in ${dir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.startedAt}); ` +
        'stop that server first, or point SYM_DATA_DIR at another directory (two servers on one directory lose writes)',
    );
    this.name = 'DataDirLockedError';
  }
}

/** The lock file's name inside the data directory. */
export const LOCK_FILE = 'opensym.lock';

/**
 * Takes the exclusive lock of an embedded data directory: a file naming this process, created
 * atomically (written aside, then hard-linked into place, so it is never seen half-written).
 * A lock whose holder no longer runs on this host (killed with SIGKILL, crashed) is stale and
 * taken over; a lock held by a live process, or by another host, is refused with the holder named.
 */
export async function lockDataDir(dir: string, self: LockHolder = currentHolder()): Promise<DataDirLock> {
  const file = path.join(dir, LOCK_FILE);
  const text = JSON.stringify(self);
  const temp = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(temp, text, { mode: 0o600 });
  try {
    // A few rounds at most: each round either takes the lock, refuses, or clears one stale lock.
    for (let round = 0; round < 5; round++) {
      try {
        await link(temp, file);
        return {
          file,
          release: async () => {
            const now = await readFile(file, 'utf8').catch(() => null);
            if (now === text) await unlink(file).catch(() => {});
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = await readFile(file, 'utf8').catch(() => null);
      if (seen === null) continue; // released between our link and read: try again
      const holder = parseHolder(seen);
      if (holder && isAlive(holder)) throw new DataDirLockedError(dir, holder);
      await clearStale(file, seen);
    }
    throw new Error(`could not lock ${dir}: the lock file keeps changing`);
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/** This process as a lock holder. */
export function currentHolder(): LockHolder {
  const procStart = procStartOf(process.pid);
  return { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), ...(procStart && { procStart }) };
}

/**
 * Moves the stale lock aside (rename is atomic) and deletes it. If what was moved is not the stale
 * lock we read (another process replaced it meanwhile), it is put back for its owner.
 */
async function clearStale(file: string, staleText: string): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== null && moved !== staleText) await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string' || typeof v.startedAt !== 'string') return null;
    return { pid: v.pid, host: v.host, startedAt: v.startedAt, ...(typeof v.procStart === 'string' && { procStart: v.procStart }) };
  } catch {
    return null;
  }
}

// Another host's process cannot be checked from here, so its lock counts as live (shared volumes).
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: the pid exists but belongs to another user: alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // After a SIGKILL the pid may be reused by an unrelated process: compare start times when known.
  if (holder.procStart !== undefined) {
    const now = procStartOf(holder.pid);
    if (now !== undefined && now !== holder.procStart) return false;
  }
  return true;
}

/** Field 22 of /proc/<pid>/stat (start time in ticks since boot); undefined off Linux. */
function procStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
