/** One JSON POST to a destination, with its failures turned into DeliveryErrors that name no secret. */
import { DeliveryError } from './log-sink';

/** The `fetch` the sinks use (tests may pass their own). */
export type Fetch = typeof fetch;

/** How long one call may take before it counts as failed (and is retried with backoff). */
export const SEND_TIMEOUT_MS = 30_000;

/** Origin and path of a URL: enough to say where a call went, without query strings or credentials. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * POSTs `body` as JSON; resolves on 2xx, throws a DeliveryError with the status and a short body
 * otherwise. The header values and `secrets` are cut out of that body, in case the destination
 * echoes what it was sent: the error is stored and shown to members.
 */
export async function postJson(fetchFn: Fetch, url: string, body: string, headers: Record<string, string>, secrets: readonly string[] = []): Promise<void> {
  const where = describeUrl(url);
  let res: Response;
  try {
    res = await fetchFn(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(SEND_TIMEOUT_MS), redirect: 'manual' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError(`POST ${where} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  let text = await res.text().catch(() => '');
  for (const secret of [...Object.values(headers), ...secrets]) if (secret.length >= 4) text = text.replaceAll(secret, '[redacted]');
  if (res.status < 200 || res.status > 299) {
    throw new DeliveryError(`POST ${where} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
}
