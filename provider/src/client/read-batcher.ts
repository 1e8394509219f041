/**
 * Reads of single entities coalesced into list calls. Terraform refreshes every resource with its
 * own ReadResource call, up to its parallelism at once; answering each with its own GET costs the
 * control plane one request and one query per resource. Reads of one kind that arrive in the same
 * event-loop turn, or while a list call of that kind is in flight, go out together as
 * `GET /entities/<kind>?id=a,b,...`.
 */

/** Lists the entities of `kind` among `ids` (lowercased); ids that name nothing are left out. */
export type ListByIds<T extends { id: string }> = (kind: string, ids: string[]) => Promise<T[]>;

export interface ReadBatcherOptions {
  /** Most ids in one list call (the API accepts 100). */
  maxBatch: number;
  /** List calls of one kind in flight at a time. */
  maxInFlight: number;
}

interface Waiting<T> {
  id: string;
  resolve(entity: T | null): void;
  reject(error: unknown): void;
}

/** Returns `read(kind, id)`: the entity, or null when it does not exist. */
export function createReadBatcher<T extends { id: string }>(list: ListByIds<T>, options: ReadBatcherOptions): (kind: string, id: string) => Promise<T | null> {
  const kinds = new Map<string, { queue: Waiting<T>[]; inFlight: number; scheduled: boolean }>();

  const flush = (kind: string) => {
    const state = kinds.get(kind)!;
    while (state.inFlight < options.maxInFlight && state.queue.length > 0) {
      const batch = state.queue.splice(0, options.maxBatch);
      state.inFlight++;
      const ids = [...new Set(batch.map((w) => w.id))];
      list(kind, ids)
        .then(
          (entities) => {
            const byId = new Map(entities.map((e) => [e.id.toLowerCase(), e]));
            for (const w of batch) w.resolve(byId.get(w.id) ?? null);
          },
          (error: unknown) => {
            for (const w of batch) w.reject(error);
          },
        )
        .finally(() => {
          state.inFlight--;
          flush(kind);
        });
    }
  };

  return (kind, id) =>
    new Promise<T | null>((resolve, reject) => {
      let state = kinds.get(kind);
      if (!state) kinds.set(kind, (state = { queue: [], inFlight: 0, scheduled: false }));
      state.queue.push({ id: id.toLowerCase(), resolve, reject });
      if (state.scheduled) return;
      // The rest of this turn: reads Terraform sent together arrive in it.
      state.scheduled = true;
      setImmediate(() => {
        state.scheduled = false;
        flush(kind);
      });
    });
}
