/**
 * PGlite runs each statement synchronously on this thread, and its promises settle as microtasks:
 * a job doing twenty statements in a row never lets the event loop reach its I/O phase, so an
 * HTTP request that arrives meanwhile (a Slack click, which must be answered within 3 s) waits for
 * every running job to finish. Yielding to the event loop (`setImmediate`) before each statement
 * outside a transaction lets pending I/O run between statements. Statements inside a transaction
 * do not yield: the transaction holds the only connection, so waiting there would hold it longer.
 */
import type { PGlite } from '@electric-sql/pglite';

/** Resolves after the event loop's I/O phase has run once. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `db` whose `query`, `exec` and `transaction` first let pending I/O run. */
export function yieldingPGlite(db: PGlite): PGlite {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'exec' || prop === 'transaction') {
        const method = Reflect.get(target, prop, target) as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          await yieldToIo();
          return method.apply(target, args);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
