/**
 * `segment`: Segment's HTTP Tracking API batch call, `POST <api_url>/v1/batch` with the write key
 * as the Basic-auth user. Each event is a `track` call named after the event type, with the event
 * id as `messageId` (Segment de-duplicates on it) and the acting user (or token) as the user.
 */
import type { DeliveredEvent } from '../delivered-event';
import { postJson, type Fetch } from './http-post';
import type { LogSink } from './log-sink';

/** Segment's default API host. */
export const SEGMENT_API_URL = 'https://api.segment.io';

/** A batch call carries at most 500 KB; each call inside it at most 32 KB (not enforced here). */
export const SEGMENT_LIMITS = { maxRecords: 500, maxBytes: 500 * 1000 - 64, recordOverhead: 1 };

/** The `track` call for one audit event. */
export function segmentTrack(event: DeliveredEvent): Record<string, unknown> {
  const who = event.actor.user_id ? { userId: event.actor.user_id } : { anonymousId: event.actor.token_id ?? 'opensym' };
  return { type: 'track', event: event.type, messageId: event.id, timestamp: event.at, ...who, properties: event, context: { library: { name: 'opensym' } } };
}

/** A sink sending batches to Segment with `writeKey`. */
export function createSegmentSink({ writeKey, apiUrl, fetch: fetchFn }: { writeKey: string; apiUrl: string; fetch: Fetch }): LogSink {
  const url = `${apiUrl.replace(/\/+$/, '')}/v1/batch`;
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  return {
    limits: SEGMENT_LIMITS,
    partial: false,
    encode: (event) => JSON.stringify(segmentTrack(event)),
    async send(batch) {
      await postJson(fetchFn, url, `{"batch":[${batch.map((r) => r.body).join(',')}],"sentAt":${JSON.stringify(new Date().toISOString())}}`, { authorization }, [writeKey]);
      return { failed: [] };
    },
  };
}
