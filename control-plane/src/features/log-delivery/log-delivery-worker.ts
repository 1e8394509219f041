/**
 * The `log_delivery` job: drains one destination's outbox in order, batch after batch, while it
 * holds the destination's lease. A failed attempt is recorded on the destination (last error,
 * failures in a row) and retried by a job scheduled with exponential backoff; the events stay
 * in the outbox until the destination accepts them, so nothing is lost to an outage or a restart.
 */
import type { Logger } from 'pino';
import type { Backoff, ClaimedJob } from '../../jobs';
import type { EntityReader } from '../strategies';
import type { LogDeliveryStore } from './log-delivery-store';
import { pickBatch } from './pick-batch';
import type { SinkFactory } from './sink-factory';
import { DeliveryError } from './sinks/log-sink';

/** What the worker needs. */
export interface LogDeliveryWorkerDeps {
  store: LogDeliveryStore;
  entities: EntityReader;
  sinks: SinkFactory;
  /** Delay before retry after the n-th failure in a row. */
  backoff: Backoff;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long the destination's lease holds without progress (default 2 min; each delivered batch renews it). */
  leaseMs?: number;
  /** Outbox rows read per round (default 2,000). */
  readLimit?: number;
}

/** Runs one `log_delivery` job (payload `{destinationId}`). Throws only when the database fails (the queue retries). */
export function createLogDeliveryWorker({ store, entities, sinks, backoff, logger, leaseMs = 120_000, readLimit = 2000 }: LogDeliveryWorkerDeps): (job: ClaimedJob) => Promise<void> {
  return async (job) => {
    const destinationId = typeof job.payload.destinationId === 'string' ? job.payload.destinationId : null;
    const orgId = job.orgId;
    if (!destinationId || !orgId) return;
    const destination = await entities.findById(orgId, 'log-destinations', destinationId);
    if (!destination) {
      await store.forget(destinationId);
      return;
    }
    // The job id, not the attempt: a rerun of this job after a crash takes its own lease back at once.
    const holder = job.id;
    if ((await store.acquire(orgId, destinationId, holder, leaseMs)) !== 'acquired') return;
    try {
      const sink = await destinationCall(() => sinks(orgId, destination));
      for (;;) {
        const pending = await store.pending(destinationId, readLimit);
        if (pending.length === 0) {
          if (await store.release(destinationId, holder)) return;
          continue;
        }
        const batch = pickBatch(pending, sink);
        const { failed } = await destinationCall(() => sink.send(batch));
        const refused = new Set(failed.map((f) => f.index));
        const accepted = batch.filter((_, i) => !refused.has(i));
        const last = accepted.at(-1);
        if (last)
          await store.delivered(
            destinationId,
            holder,
            accepted.map((r) => r.seq),
            { id: last.event.id, at: new Date(last.event.at) },
            leaseMs,
          );
        if (failed.length > 0) throw new DeliveryError(`${failed.length} of ${batch.length} records refused (first: ${failed[0]!.error}); they are retried alone`);
      }
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      const failures = await store.failed(orgId, destinationId, holder, error.message, backoff);
      logger.warn({ destinationId, failures, error: error.message }, 'log delivery: attempt failed; retrying with backoff');
    }
  };
}

/** Runs a call to the destination (or the building of its sink): any failure there is a delivery failure, never a job failure. */
async function destinationCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof DeliveryError ? error : new DeliveryError(error instanceof Error ? error.message : String(error));
  }
}
