/** `http`: each batch is POSTed to `settings.url` as `{"events": [...]}`, with the headers of `headers_secret`. */
import type { DeliveredEvent } from '../delivered-event';
import { postJson, type Fetch } from './http-post';
import type { LogSink } from './log-sink';

/** Up to 500 events and 1 MiB per POST (the control plane's own body limit, so one OpenSym can feed another). */
export const HTTP_LIMITS = { maxRecords: 500, maxBytes: 1024 * 1024 - 64, recordOverhead: 1 };

/** A sink POSTing to `url`; `headers` come from the destination's secret and are sent, never logged. */
export function createHttpSink({ url, headers, fetch: fetchFn }: { url: string; headers: Record<string, string>; fetch: Fetch }): LogSink {
  return {
    limits: HTTP_LIMITS,
    partial: false,
    encode: (event: DeliveredEvent) => JSON.stringify(event),
    async send(batch) {
      await postJson(fetchFn, url, `{"events":[${batch.map((r) => r.body).join(',')}]}`, headers);
      return { failed: [] };
    },
  };
}
