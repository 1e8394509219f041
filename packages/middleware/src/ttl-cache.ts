/** A small time-to-live cache: values are reused for `ttlMs`, then fetched again. */
export interface TtlCache<T> {
  /** The cached value for `key`, or the result of `load` (stored for later calls). */
  get(key: string, load: () => Promise<T>): Promise<T>;
  set(key: string, value: T): void;
  delete(key: string): void;
}

/**
 * Creates a {@link TtlCache}. Concurrent misses on one key share a single load, so a burst of
 * visits re-checks a grant with the control plane once; failed loads are not kept.
 */
export function createTtlCache<T>(ttlMs: number, now: () => number, maxEntries = 10_000): TtlCache<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      const value = load();
      entries.set(key, { at: now(), value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    set(key, value) {
      entries.set(key, { at: now(), value: Promise.resolve(value) });
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
