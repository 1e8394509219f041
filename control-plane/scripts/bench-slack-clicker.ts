/**
 * The clicking half of the Slack bench, in its own process so that its HTTP client does not share
 * the control plane's event loop (the numbers are then the server's, not the client's). Reads
 * `{ url, clicks: [{ body, headers }] }` from stdin, sends every click at once and prints one JSON
 * line: per click, when it was sent (epoch ms, `performance.timeOrigin` based), the ack time in
 * milliseconds and the HTTP status.
 */
import { text } from 'node:stream/consumers';

interface Click {
  body: string;
  headers: Record<string, string>;
}

const { url, clicks } = JSON.parse(await text(process.stdin)) as { url: string; clicks: Click[] };

const results = await Promise.all(
  clicks.map(async (click) => {
    const start = performance.now();
    const res = await fetch(url, { method: 'POST', headers: click.headers, body: click.body });
    await res.arrayBuffer();
    return { sentAt: performance.timeOrigin + start, ackMs: performance.now() - start, status: res.status };
  }),
);
process.stdout.write(`${JSON.stringify(results)}\n`);
