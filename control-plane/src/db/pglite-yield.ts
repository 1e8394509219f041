/**
 * PGlite runs each statement synchronously on this thread, and its promises settle as microtasks:
 * running jobs that issue statement after statement never let the event loop reach its I/O phase,
 * so an HTTP request that arrives meanwhile (a Slack click, which must be answered within 3 s)
 * waits for every running job to finish. The PGlite handed to Prisma therefore time-slices: a
 * statement outside a transaction that would start after the current run of statements has held
 * the thread for `sliceMs` first lets the event loop turn once (`setImmediate`), so pending I/O
 * runs. Short runs never wait (a statement costs nothing extra), and statements inside a
 * transaction never do (the transaction holds the only connection; waiting there would hold it
 * longer).
 */
import type { PGlite } from '@electric-sql/pglite';

/** Default slice: the event loop gets a turn at least every 10 ms while statements keep coming. */
export const DEFAULT_SLICE_MS = 10;

/** `db` whose top-level `query`, `exec` and `transaction` let pending I/O run once a run of statements has lasted `sliceMs`. */
export function yieldingPGlite(db: PGlite, { sliceMs = DEFAULT_SLICE_MS, now = () => performance.now() }: { sliceMs?: number; now?: () => number } = {}): PGlite {
  // Start of the current run of statements, or null when the event loop has turned since the last
  // statement (an immediate scheduled at the start of each run clears it: it can only fire once the
  // microtask chain of the run has ended or yielded).
  let runStart: number | null = null;
  const gate = async () => {
    const t = now();
    if (runStart === null) {
      runStart = t;
      setImmediate(() => (runStart = null));
      return;
    }
    if (t - runStart < sliceMs) return;
    // The run's own immediate (queued earlier) fires first and ends the run; every statement that
    // waits here resumes after it, in arrival order, and the first one starts the next run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'exec' || prop === 'transaction') {
        const method = Reflect.get(target, prop, target) as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          await gate();
          return method.apply(target, args);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
