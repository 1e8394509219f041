/**
 * Local doubles of the HTTP intakes log destinations post to, following their API references:
 * a plain webhook (`http`), Segment's `POST /v1/batch` (Basic auth with the write key as user;
 * 400 over 500 KB; `{"success": true}`) and Datadog's `POST /api/v2/logs` (`DD-API-KEY`; 403
 * `{"errors": ["Forbidden"]}` on a wrong key; 413 over 5 MB or 1,000 entries; 202 `{}`).
 * `outage(n, path?)` makes the next n calls (to `path` only, when given) fail with 503 before the
 * API checks run.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One call the double accepted. */
export interface IntakeCall {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A running double. */
export interface IntakeDouble {
  url: string;
  /** Calls answered 2xx, in arrival order. */
  accepted: IntakeCall[];
  /** Calls refused (any status), in arrival order. */
  refused: { path: string; status: number }[];
  /** The next `n` calls (to `path` only, when given: other destinations share the double) answer 503. */
  outage(n: number, path?: string): void;
  close(): Promise<void>;
}

/** What the double checks: Segment's write key, Datadog's API key. */
export interface IntakeOptions {
  segmentWriteKey?: string;
  datadogApiKey?: string;
}

const SEGMENT_MAX_BYTES = 500 * 1000;
const DATADOG_MAX_BYTES = 5 * 1000 * 1000;

/** Starts the double on a free loopback port. */
export async function startIntakeDouble(options: IntakeOptions = {}): Promise<IntakeDouble> {
  const accepted: IntakeCall[] = [];
  const refused: { path: string; status: number }[] = [];
  let failNext = 0;
  let failPath: string | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const answer = (status: number, body: unknown) => {
        if (status >= 300) refused.push({ path, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (failNext > 0 && (failPath === undefined || failPath === path)) {
        failNext--;
        return answer(503, { message: 'unavailable' });
      }
      if (req.method !== 'POST') return answer(405, { message: 'method not allowed' });
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return answer(400, { message: 'invalid JSON' });
      }
      if (path === '/v1/batch') {
        const expected = `Basic ${Buffer.from(`${options.segmentWriteKey ?? ''}:`).toString('base64')}`;
        if (req.headers.authorization !== expected) return answer(401, { success: false, message: 'invalid write key' });
        if (raw.length > SEGMENT_MAX_BYTES) return answer(400, { success: false, message: 'batch over 500 KB' });
        if (!Array.isArray((body as { batch?: unknown }).batch)) return answer(400, { success: false, message: 'batch must be an array' });
        accepted.push({ path, headers: req.headers, body });
        return answer(200, { success: true });
      }
      if (path === '/api/v2/logs') {
        if (req.headers['dd-api-key'] !== options.datadogApiKey) return answer(403, { errors: ['Forbidden'] });
        if (raw.length > DATADOG_MAX_BYTES || !Array.isArray(body) || body.length > 1000) return answer(413, { errors: ['Payload too large'] });
        accepted.push({ path, headers: req.headers, body });
        return answer(202, {});
      }
      accepted.push({ path, headers: req.headers, body });
      return answer(200, { ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    refused,
    outage(n, onlyPath) {
      failNext = n;
      failPath = onlyPath;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
