/** CPU time of another process (all its threads), from Linux's /proc; null elsewhere. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** user + system CPU milliseconds `pid` has used so far, or null when /proc cannot tell. */
export function processCpuMs(pid: number): number | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // Fields after the parenthesised command name (which may contain spaces): utime is the 12th, stime the 13th.
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / ticksPerSecond : null;
}

/**
 * user + system CPU milliseconds of `pid`'s main thread and of its other threads (workers, GC and
 * compiler helpers, libuv's pool), or null when /proc cannot tell: where a process's CPU goes.
 */
export function threadCpuMs(pid: number): { main: number; others: number } | null {
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return null;
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let main = 0;
  let others = 0;
  for (const tid of readdirSync(dir)) {
    let stat: string;
    try {
      stat = readFileSync(`${dir}/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    if (!Number.isFinite(ms)) continue;
    if (tid === String(pid)) main += ms;
    else others += ms;
  }
  return { main, others };
}

/** Parsed fields of /proc/<pid>/stat after the command name, or null when the process is gone. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds of `pid` and its children (live ones, and the exited ones it has reaped), or
 * null when /proc cannot tell: a PostgreSQL server is a postmaster with one process per connection.
 */
export function processTreeCpuMs(pid: number): number | null {
  const own = statFields(pid);
  if (!own) return null;
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // utime, stime, cutime, cstime are fields 14-17 of stat (indexes 11-14 after the name); ppid is field 4.
  const ticks = (f: string[]) => Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  let total = ticks(own);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(entry);
    if (f && f[1] === String(pid)) total += ticks(f);
  }
  return (total * 1000) / ticksPerSecond;
}

/** The pid of the PostgreSQL postmaster listening on `port` (its command line has `-p <port>`), or null. */
export function postmasterPid(port: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!/postgres$/.test(args[0] ?? '')) continue;
    const at = args.indexOf('-p');
    if (at >= 0 && args[at + 1] === String(port)) return Number(entry);
  }
  return null;
}
