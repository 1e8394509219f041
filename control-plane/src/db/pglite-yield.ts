/**
 * PGlite runs each statement synchronously on this thread, and its promises settle as microtasks:
 * running jobs that issue statement after statement never let the event loop reach its I/O phase,
 * so an HTTP request that arrives meanwhile (a Slack click, which must be answered within 3 s)
 * waits for every running job to finish. The PGlite handed to Prisma therefore hands its one
 * connection out one top-level statement or transaction at a time, and time-slices: once the
 * current run of statements has held the thread for `sliceMs`, the event loop turns once
 * (`setImmediate`) before the next one starts, so pending I/O runs. Short runs never wait (a
 * statement costs nothing extra), and statements inside a transaction never do (the transaction
 * holds the connection until it ends, so nothing else ever runs inside it).
 *
 * Two lanes: statements marked urgent (`statement-priority.ts`: the inbound Slack path before its
 * ack) go before every waiting background statement. PGlite's own queue is first come, first
 * served, so an ack's one insert used to wait behind a statement of every running job.
 */
import type { PGlite } from '@electric-sql/pglite';
import { isUrgentStatement } from './statement-priority';

/** Default slice: the event loop gets a turn at least every 10 ms while statements keep coming. */
export const DEFAULT_SLICE_MS = 10;

/**
 * `db` whose top-level `query`, `exec` and `transaction` take turns (urgent ones first) and let
 * pending I/O run once a run of statements has lasted `sliceMs`.
 */
export function yieldingPGlite(db: PGlite, { sliceMs = DEFAULT_SLICE_MS, now = () => performance.now() }: { sliceMs?: number; now?: () => number } = {}): PGlite {
  // Start of the current run of statements, or null when the event loop has turned since the run
  // began (an immediate scheduled at the start of each run clears it: it can only fire once the
  // microtask chain of the run has ended or yielded).
  let runStart: number | null = null;
  // A statement or transaction holds the connection; `turning` = a yield is under way.
  let held = false;
  let turning = false;
  const urgent: (() => void)[] = [];
  const background: (() => void)[] = [];

  const dispatch = () => {
    if (held || turning || (urgent.length === 0 && background.length === 0)) return;
    if (runStart !== null && now() - runStart >= sliceMs) {
      // The run's own immediate (queued earlier) fires first and ends the run; I/O that arrived
      // meanwhile (a click) queues its statements before this one picks the next waiter.
      turning = true;
      setImmediate(() => {
        turning = false;
        dispatch();
      });
      return;
    }
    const next = urgent.shift() ?? background.shift()!;
    held = true;
    if (runStart === null) {
      runStart = now();
      setImmediate(() => (runStart = null));
    }
    next();
  };
  const take = (): Promise<void> =>
    new Promise<void>((resolve) => {
      (isUrgentStatement() ? urgent : background).push(resolve);
      dispatch();
    });
  const release = () => {
    held = false;
    dispatch();
  };

  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'exec' || prop === 'transaction') {
        const method = Reflect.get(target, prop, target) as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          await take();
          try {
            return await method.apply(target, args);
          } finally {
            release();
          }
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
