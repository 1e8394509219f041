/**
 * CPU time of one thread, read from Linux's `/proc`, so the sandbox's CPU limit counts what the
 * guest's worker thread really ran, not wall time: on a loaded machine a thread that waits for a
 * core, or a main thread too busy to read the worker's "done" message in time, must not look like
 * a guest that spent its CPU budget. The thread's `schedstat` (time on a CPU, in nanoseconds) is
 * read where the kernel has it: a line of three numbers costs about a quarter of `stat` (52 fields,
 * `utime + stime` in 10 ms ticks) to produce and parse (3 µs against 10 µs here), and it is exact.
 * Elsewhere (no `/proc`) nothing is measured and callers fall back to wall time.
 */
import { closeSync, existsSync, openSync, readSync, readlinkSync } from 'node:fs';

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

/** The CPU ms in the text of a `/proc/.../schedstat` file (its first number: ns on a CPU); undefined if it is not one. */
export function parseSchedstatCpuMs(schedstat: string): number | undefined {
  const fields = schedstat.trim().split(' ');
  const ns = Number(fields[0]);
  if (fields.length < 3 || !Number.isFinite(ns) || fields[0] === '') return undefined;
  return ns / 1e6;
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

// A clock keeps its `stat` file open and re-reads it from offset 0 (one pread per reading, where
// reading the file anew costs open, fstat, read and close: the sandbox reads it at every start and
// pause of an invocation). The descriptor is closed once the thread is gone, or with the clock.
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/** Which file of a thread the clocks read, and how to read it (`schedstat` where the kernel has it). */
const source: { name: string; parse: (text: string) => number | undefined } = existsSync('/proc/thread-self/schedstat')
  ? { name: 'schedstat', parse: parseSchedstatCpuMs }
  : { name: 'stat', parse: parseStatCpuMs };

/** A clock of the CPU time of thread `tid` of this process (undefined `tid`: a clock that never reads). */
export function threadCpuClock(tid: number | undefined): CpuClock {
  if (tid === undefined) return () => undefined;
  const file = `/proc/self/task/${tid}/${source.name}`;
  const buffer = Buffer.alloc(1024);
  let fd: number | undefined;
  let gone = false;
  const clock: CpuClock = () => {
    if (gone) return undefined;
    try {
      if (fd === undefined) {
        fd = openSync(file, 'r');
        openFiles.register(clock, fd, clock);
      }
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      return source.parse(buffer.toString('latin1', 0, length));
    } catch {
      // The thread has ended (or there is no /proc): nothing more to read.
      gone = true;
      if (fd !== undefined) {
        openFiles.unregister(clock);
        try {
          closeSync(fd);
        } catch {
          // already closed
        }
      }
      return undefined;
    }
  };
  return clock;
}

/** A clock of the calling thread's own CPU time. */
export function ownThreadCpuClock(): CpuClock {
  return threadCpuClock(currentThreadId());
}

/**
 * `clock` read at most once per `maxAgeMs`: each call returns the latest reading, taken anew when
 * it is older than that. The CPU clock only moves forward, so the answer is a lower bound of the
 * clock now, short by at most the CPU used in `maxAgeMs` (`now` is injectable for tests).
 */
export function recentCpuReading(clock: CpuClock, maxAgeMs: number, now: () => number = () => performance.now()): CpuClock {
  let last: { cpuMs: number | undefined; at: number } | undefined;
  return () => {
    const at = now();
    if (!last || at - last.at > maxAgeMs) last = { cpuMs: clock(), at };
    return last.cpuMs;
  };
}
