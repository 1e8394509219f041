/**
 * Group commit: writes that arrive while earlier ones are still in flight are coalesced into one
 * batch, written by one statement or transaction. A write that finds a free slot goes out at once
 * (no timer, no added latency when idle); under load, each round trip carries every write that
 * queued up meanwhile. Embedded PGlite has one connection, so its per-statement cost (parse, plan,
 * commit, WAL write) is what limits throughput there.
 */

/** Writes `items` in one go and returns one result per item, in order; throws if any fails. */
export type BatchWriter<I, O> = (items: I[]) => Promise<O[]>;

export interface GroupCommitOptions {
  /** Most items in one batch (bounds statement size and bind parameters). */
  maxBatch: number;
  /** Batches written at the same time (1 for a single-connection database). */
  maxInFlight: number;
  /**
   * Waits for the rest of the current event-loop turn before writing, so writes that become ready
   * in the same turn share a batch. For a database that runs on this thread (PGlite): its statement
   * blocks the thread, so nothing could queue up behind it otherwise.
   */
  gatherTurn?: boolean;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Returns `write(item)`, which resolves once the batch holding `item` is written. When a batch
 * fails, its items are retried one by one, so one bad item fails alone with its own error.
 */
export function groupCommit<I, O>(writeBatch: BatchWriter<I, O>, options: GroupCommitOptions): (item: I) => Promise<O> {
  const queue: Pending<I, O>[] = [];
  let inFlight = 0;

  const settleOne = async (entry: Pending<I, O>) => {
    try {
      const [result] = await writeBatch([entry.item]);
      entry.resolve(result as O);
    } catch (error) {
      entry.reject(error);
    }
  };

  const run = async (batch: Pending<I, O>[]) => {
    try {
      const results = await writeBatch(batch.map((entry) => entry.item));
      if (results.length !== batch.length) throw new Error(`batch writer returned ${results.length} results for ${batch.length} items`);
      batch.forEach((entry, i) => entry.resolve(results[i] as O));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const entry of batch) await settleOne(entry);
    }
  };

  const pump = () => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  let scheduled = false;
  const schedule = () => {
    if (!options.gatherTurn) return pump();
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      pump();
    });
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
