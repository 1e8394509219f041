/** Reading a log destination's delivery state (`GET /entities/log-destinations/{id}/delivery`). */
import type { LogDeliveryState } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import { assertRole } from '../auth/roles';
import type { TokenIdentity } from '../auth/token-store';
import type { EntityReader } from '../strategies';
import type { LogDeliveryStore } from './log-delivery-store';

/** The delivery-state reads the routes call. */
export interface LogDeliveryService {
  /** The destination's state; a destination nothing was ever queued for shows zeros. 404 for an unknown id. */
  state(actor: TokenIdentity, destinationId: string): Promise<LogDeliveryState>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The service over the store and the entity reads (admins and members may read, as entities). */
export function createLogDeliveryService({ store, entities }: { store: Pick<LogDeliveryStore, 'state'>; entities: EntityReader }): LogDeliveryService {
  return {
    async state(actor, destinationId) {
      assertRole(actor, ['admin', 'member'], 'read delivery state');
      const orgId = actor.org.id;
      const destination = UUID.test(destinationId) ? await entities.findById(orgId, 'log-destinations', destinationId.toLowerCase()) : null;
      if (!destination) throw new ApiError('not_found', `No log-destinations entity with id ${destinationId} in this organization.`);
      const s = await store.state(orgId, destination.id);
      const failing = (s?.failures ?? 0) > 0;
      return {
        destination_id: destination.id,
        pending: s?.pending ?? 0,
        delivered: s?.delivered ?? 0,
        last_event_id: s?.lastEventId ?? null,
        last_event_at: s?.lastEventAt?.toISOString() ?? null,
        last_delivered_at: s?.lastDeliveredAt?.toISOString() ?? null,
        last_error: s?.lastError ?? null,
        last_error_at: s?.lastErrorAt?.toISOString() ?? null,
        failing,
        consecutive_failures: s?.failures ?? 0,
        next_attempt_at: failing ? (s?.retryAt?.toISOString() ?? null) : null,
      };
    },
  };
}
