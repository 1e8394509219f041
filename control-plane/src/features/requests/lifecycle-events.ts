/** Audit events the lifecycle writes, and the text helpers their data uses. */
import type { JsonValue } from '@opensym/schemas';
import type { NewRequestEvent, RequestRecord } from './request-store';
import { STORAGE_WARNING, storableJson, storableText } from './storable';

/**
 * An event about `request` (every one carries the flow version the request runs on). Its data
 * holds hook, reducer and strategy output, so it is made storable here, where every event passes;
 * `warnings` says when something had to be replaced.
 */
export function newEvent(type: string, request: Pick<RequestRecord, 'flowVersion'>, actorUserId: string | null, actorTokenId: string | null, data: Record<string, JsonValue> = {}): NewRequestEvent {
  const storable = storableJson<Record<string, JsonValue>>({ flow_version: request.flowVersion, ...data });
  return { type, actorUserId, actorTokenId, data: storable.changed ? { ...storable.value, warnings: [STORAGE_WARNING] } : storable.value };
}

/** An error's message as stored (bounded: errors can carry whole response bodies; storable: they can carry anything). */
export const errorText = (err: unknown): string => storableText((err instanceof Error ? err.message : String(err)).slice(0, 2000));

/** A time as the API shows it. */
export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
