/** The JSON each destination receives for one audit event: the same fields as `GET /audit` answers. */
import type { AuditEvent } from '@opensym/schemas';
import type { AuditEventRecord } from '../audit/audit-log';

/** An audit event as delivered; `id` is stable across redeliveries, so receivers de-duplicate on it. */
export type DeliveredEvent = AuditEvent;

/** The API shape of a stored event (the audit feature wrote `data` already scrubbed of secrets). */
export function deliveredEvent(e: AuditEventRecord): DeliveredEvent {
  return {
    id: e.id,
    type: e.type,
    at: e.at.toISOString(),
    actor: { user_id: e.actorUserId, token_id: e.actorTokenId },
    entity_id: e.entityId,
    request_id: e.requestId,
    data: e.data,
  };
}
