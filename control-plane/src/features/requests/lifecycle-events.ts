/** Audit events the lifecycle writes, and the text helpers their data uses. */
import type { JsonValue } from '@opensym/schemas';
import type { NewRequestEvent, RequestRecord } from './request-store';

/** An event about `request` (every one carries the flow version the request runs on). */
export function newEvent(type: string, request: Pick<RequestRecord, 'flowVersion'>, actorUserId: string | null, actorTokenId: string | null, data: Record<string, JsonValue> = {}): NewRequestEvent {
  return { type, actorUserId, actorTokenId, data: { flow_version: request.flowVersion, ...data } };
}

/** An error's message as stored (bounded: errors can carry whole response bodies). */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** A time as the API shows it. */
export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
