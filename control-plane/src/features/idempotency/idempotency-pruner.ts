import type { Logger } from 'pino';
import type { IdempotencyStore } from './idempotency-store';

/** Deletes expired idempotency keys now and then; started and stopped with the job runner. */
export interface IdempotencyPruner {
  start(): void;
  stop(): Promise<void>;
  /** One round; returns the keys deleted. */
  pruneOnce(): Promise<number>;
}

/** A pruner running every `intervalMs` (default 10 min), the first round at start. */
export function createIdempotencyPruner({
  store,
  logger,
  intervalMs = 10 * 60_000,
}: {
  store: Pick<IdempotencyStore, 'prune'>;
  logger: Pick<Logger, 'info' | 'error'>;
  intervalMs?: number;
}): IdempotencyPruner {
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<unknown> = Promise.resolve();
  let active = false;
  const pruneOnce = async () => {
    const deleted = await store.prune(new Date());
    if (deleted > 0) logger.info({ deleted }, 'idempotency: deleted expired keys');
    return deleted;
  };
  const tick = () => {
    round = pruneOnce()
      .catch((err: unknown) => logger.error({ err }, 'idempotency: deleting expired keys failed'))
      .finally(() => {
        if (active) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  return {
    start() {
      if (active) return;
      active = true;
      tick();
    },
    async stop() {
      active = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await round;
    },
    pruneOnce,
  };
}
