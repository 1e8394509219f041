/**
 * Live status for the waiting page as a progressive enhancement: a small inline script opens an
 * EventSource on the protected URL (`?opensym=events&seen=<state shown>`) and reloads the page
 * when the server says the state changed. Without script the page keeps its meta refresh (in
 * `<noscript>`); if EventSource is missing or refused, the script falls back to reloading.
 */
import { createHash } from 'node:crypto';

/** The script, constant so the page's CSP can allow exactly it by hash. */
export const LIVE_STATUS_SCRIPT = `(() => {
  const main = document.querySelector('main[data-events]');
  if (!main) return;
  const every = Number(main.dataset.refresh) * 1000 || 3000;
  const poll = () => setTimeout(() => location.reload(), every);
  if (!('EventSource' in window)) return poll();
  const events = new EventSource(main.dataset.events);
  events.addEventListener('change', () => {
    events.close();
    location.reload();
  });
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) poll();
  };
})();`;

/** The CSP source allowing {@link LIVE_STATUS_SCRIPT} and nothing else. */
export const LIVE_STATUS_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(LIVE_STATUS_SCRIPT).digest('base64')}'`;

/** Headers of an event-stream answer. */
export const EVENT_STREAM_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * One event-stream answer: `change` (with the state now) when it differs from what the page
 * shows, else a comment; `retry` tells the browser when to reconnect for the next wait.
 */
export function eventStreamBody(changedTo: string | null, retryMs: number): string {
  return `retry: ${retryMs}\n${changedTo === null ? ': no change yet\n\n' : `event: change\ndata: ${changedTo}\n\n`}`;
}

/** Waits `ms`, or less when `signal` aborts (the browser went away). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
