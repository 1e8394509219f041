/**
 * `datadog`: the Logs intake, `POST <intake>/api/v2/logs` with the `DD-API-KEY` header; the intake
 * host follows `site` (`https://http-intake.logs.<site>`) unless `api_url` names one.
 */
import type { DeliveredEvent } from '../delivered-event';
import { postJson, type Fetch } from './http-post';
import type { LogSink } from './log-sink';

/** At most 1,000 entries and 5 MB (uncompressed) per call. */
export const DATADOG_LIMITS = { maxRecords: 1000, maxBytes: 5_000_000 - 64, recordOverhead: 1 };

/** The intake URL base for a Datadog site (`datadoghq.com`, `datadoghq.eu`, `us3.datadoghq.com`, ...). */
export function datadogIntakeUrl(site: string): string {
  return `https://http-intake.logs.${site}`;
}

/** The log entry for one audit event: the event as a JSON message (Datadog parses it into attributes), tagged as OpenSym audit. */
export function datadogEntry(event: DeliveredEvent): Record<string, unknown> {
  return { ddsource: 'opensym', service: 'opensym', ddtags: `event_type:${event.type}`, date: event.at, event_id: event.id, message: JSON.stringify(event) };
}

/** A sink sending batches to Datadog with `apiKey`. */
export function createDatadogSink({ apiKey, apiUrl, fetch: fetchFn }: { apiKey: string; apiUrl: string; fetch: Fetch }): LogSink {
  const url = `${apiUrl.replace(/\/+$/, '')}/api/v2/logs`;
  return {
    limits: DATADOG_LIMITS,
    partial: false,
    encode: (event) => JSON.stringify(datadogEntry(event)),
    async send(batch) {
      await postJson(fetchFn, url, `[${batch.map((r) => r.body).join(',')}]`, { 'dd-api-key': apiKey });
      return { failed: [] };
    },
  };
}
