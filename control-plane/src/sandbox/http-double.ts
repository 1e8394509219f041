// Test helper: a local HTTP server on 127.0.0.1 that records requests and answers from a handler.
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Egress settings that let a sandbox reach these doubles: loopback is refused unless the
 * operator allows it, so every test sandbox talking to a double says so explicitly.
 */
export const LOOPBACK_EGRESS = Object.freeze({ allowCidrs: Object.freeze(['127.0.0.0/8', '::1/128']) });

/** A request the double received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the double answers: status, optional headers, body (objects are sent as JSON). */
export interface DoubleReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A running double; `host` is `127.0.0.1:PORT`, ready for an allowlist. */
export interface HttpDouble {
  url: string;
  host: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a double on a random loopback port (used by the sandbox tests as the third-party API). */
export async function startHttpDouble(handler: (request: RecordedRequest) => DoubleReply = () => ({ body: { ok: true } })): Promise<HttpDouble> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const reply = handler(recorded);
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
