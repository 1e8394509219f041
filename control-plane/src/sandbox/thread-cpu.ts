/**
 * CPU time of one thread, read from Linux's `/proc` (`utime + stime` of the thread's `stat`), so
 * the sandbox's CPU limit counts what the guest's worker thread really ran, not wall time: on a
 * loaded machine a thread that waits for a core, or a main thread too busy to read the worker's
 * "done" message in time, must not look like a guest that spent its CPU budget. Elsewhere (no
 * `/proc`) nothing is measured and callers fall back to wall time.
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/task/<tid>/stat` (`USER_HZ`, 100 on every Linux ABI Node supports). */
const TICKS_PER_SECOND = 100;

/** A thread's CPU time used so far, in ms; undefined when it cannot be read (thread gone, no `/proc`). */
export type CpuClock = () => number | undefined;

/** The CPU ms (`utime + stime`) in the text of a `/proc/.../stat` file; undefined if it is not one. */
export function parseStatCpuMs(stat: string): number | undefined {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (field 14) and stime (field 15) are at 11 and 12.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || rest.length < 13) return undefined;
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** The kernel's id of the calling thread (what `/proc/self/task/<tid>` names), or undefined off Linux. */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** A clock of the CPU time of thread `tid` of this process (undefined `tid`: a clock that never reads). */
export function threadCpuClock(tid: number | undefined): CpuClock {
  if (tid === undefined) return () => undefined;
  const file = `/proc/self/task/${tid}/stat`;
  return () => {
    try {
      return parseStatCpuMs(readFileSync(file, 'latin1'));
    } catch {
      return undefined;
    }
  };
}

/** A clock of the calling thread's own CPU time. */
export function ownThreadCpuClock(): CpuClock {
  return threadCpuClock(currentThreadId());
}
