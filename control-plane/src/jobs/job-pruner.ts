/**
 * Retention for the `Job` table: finished jobs (`done`, `failed`) older than the retention are
 * deleted now and then, in short batches. Every process that runs jobs also prunes; on one
 * PostgreSQL they split the rows (`SKIP LOCKED`), so running it twice costs nothing but a query.
 */
import type { Logger } from 'pino';
import { deleteFinishedJobs, type JobStoreClient } from './job-store';

export interface JobPrunerOptions {
  prisma: JobStoreClient;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Finished jobs are kept this long after they finished. */
  retentionMs: number;
  /** Time between rounds (default 10 min); the first round runs at start. */
  intervalMs?: number;
  /** Rows per DELETE (default 500): short statements, because on PGlite every query waits for the one before. */
  batchSize?: number;
  /** DELETEs per round at most (default 100); a bigger backlog is left to the next rounds. */
  maxBatchesPerRound?: number;
}

export interface JobPruner {
  /** Runs a round now and then every interval, until `stop`. */
  start(): void;
  /** Stops the rounds and waits for the batch being deleted (call before closing the database). */
  stop(): Promise<void>;
  /** One round: deletes batches until one comes back short or the round's limit is reached; returns the rows deleted. */
  pruneOnce(): Promise<number>;
}

export function createJobPruner(options: JobPrunerOptions): JobPruner {
  const retentionMs = positive('retentionMs', options.retentionMs);
  const intervalMs = positive('intervalMs', options.intervalMs ?? 10 * 60_000);
  const batchSize = positive('batchSize', options.batchSize ?? 500);
  const maxBatches = positive('maxBatchesPerRound', options.maxBatchesPerRound ?? 100);
  const { logger } = options;
  let active = false;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<number> | null = null;

  const prune = async (keepGoing: () => boolean): Promise<number> => {
    let deleted = 0;
    for (let batch = 0; batch < maxBatches && keepGoing(); batch++) {
      const n = await deleteFinishedJobs(options.prisma, retentionMs, batchSize);
      deleted += n;
      if (n < batchSize) break;
      // Let requests waiting for the (PGlite) connection go between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) logger.info({ deleted, retentionMs }, 'job queue: deleted finished jobs past their retention');
    return deleted;
  };

  const tick = () => {
    timer = null;
    round = prune(() => active)
      .catch((err: unknown) => {
        // The next round tries again; nothing is lost by a late prune.
        logger.error({ err }, 'job queue: deleting finished jobs failed');
        return 0;
      })
      .finally(() => {
        round = null;
        if (active) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    // Housekeeping alone never keeps a process alive.
    timer.unref();
  };

  return {
    start() {
      if (active) throw new Error('job pruner already started');
      active = true;
      tick();
    },
    async stop() {
      active = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await round;
    },
    pruneOnce: () => prune(() => true),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`job pruner: ${name} must be a positive number`);
  return value;
}
