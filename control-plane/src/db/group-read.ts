/**
 * Group read: the read side of `group-commit.ts`. Lookups of one kind (a request by id, a request's
 * events) that arrive while an earlier one is in flight share the next statement. Jobs the runner
 * claims together run in step and ask for the same kinds of rows at the same moments, so on
 * PGlite's one connection ten lookups become two statements. Nothing is cached: every lookup is
 * answered by a statement sent after it was asked, so it sees every write committed before.
 */
import { groupCommit } from './group-commit';

/** How many lookups share a statement, and how many statements of a kind run at once. */
export interface GroupReadOptions {
  /** Most keys in one statement (default 50). */
  maxBatch?: number;
  /** Statements of this kind in flight at once: 1 for a single-connection database (default), more for a pool. */
  maxInFlight?: number;
}

/**
 * Returns `read(key)`, answered by `readMany(keys)`, which returns the rows of all keys in any
 * order; `belongs(row, key)` says which rows answer a key. Each caller gets its own copy of shared
 * rows (a key asked twice in one batch), so no caller sees another's changes to them.
 */
export function groupRead<K, R>(readMany: (keys: K[]) => Promise<R[]>, belongs: (row: R, key: K) => boolean, options: GroupReadOptions = {}): (key: K) => Promise<R[]> {
  return groupCommit<K, R[]>(
    async (keys) => {
      const rows = await readMany(keys);
      const handedOut = new Set<R>();
      return keys.map((key) =>
        rows
          .filter((row) => belongs(row, key))
          .map((row) => {
            if (!handedOut.has(row)) {
              handedOut.add(row);
              return row;
            }
            return structuredClone(row);
          }),
      );
    },
    { maxBatch: options.maxBatch ?? 50, maxInFlight: options.maxInFlight ?? 1 },
  );
}

/**
 * Returns `read(key)` where lookups with the same `keyOf` that arrive while one is in flight share
 * a single `readOne` (a burst of clicks by one approver resolves their identity once). Values are
 * copied for every caller after the first.
 */
export function sharedRead<K, V>(readOne: (key: K) => Promise<V>, keyOf: (key: K) => string, options: GroupReadOptions = {}): (key: K) => Promise<V> {
  return groupCommit<K, V>(
    async (keys) => {
      const distinct = new Map<string, Promise<V>>();
      for (const key of keys) if (!distinct.has(keyOf(key))) distinct.set(keyOf(key), readOne(key));
      const seen = new Set<string>();
      return Promise.all(
        keys.map(async (key) => {
          const value = await distinct.get(keyOf(key))!;
          if (seen.has(keyOf(key))) return structuredClone(value);
          seen.add(keyOf(key));
          return value;
        }),
      );
    },
    { maxBatch: options.maxBatch ?? 50, maxInFlight: options.maxInFlight ?? 1 },
  );
}
