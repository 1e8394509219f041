/**
 * One HTTP exchange with the control plane on node:http(s) and a keep-alive agent. A plan reads
 * every resource once, so per-request cost adds up: the global fetch (undici, WHATWG streams)
 * costs ~2.5× the CPU of http.request per call and ~30 ms to load on the first one.
 */
import * as http from 'node:http';
import * as https from 'node:https';

/** A complete answer; the body is read to the end. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  body: string;
}

/** Why an exchange failed before an answer arrived. */
export class HttpFailure extends Error {
  constructor(
    readonly kind: 'cancelled' | 'timeout' | 'network',
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

export interface HttpExchange {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Aborts the exchange (StopProvider). */
  signal: AbortSignal;
}

/** Sockets kept open between calls; one pool per protocol, shared by every client in the process. */
// Idle sockets are dropped before Node's default server keepAliveTimeout (5 s) would close them.
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: 4000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 4000 }),
};

/** Sends one request; resolves with any status, rejects with HttpFailure only. */
export async function exchange(url: URL, x: HttpExchange): Promise<HttpAnswer> {
  try {
    return await attempt(url, x);
  } catch (e) {
    // A kept-alive socket the server closed while idle fails before the request was read, so
    // sending it again on a new connection is safe for any method (as Node's docs advise).
    if (e instanceof HttpFailure && e.kind === 'network' && (e as { reused?: boolean }).reused) return attempt(url, x);
    throw e;
  }
}

function attempt(url: URL, x: HttpExchange): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    if (x.signal.aborted) return reject(new HttpFailure('cancelled', 'cancelled'));
    const mod = url.protocol === 'https:' ? https : http;
    const agent = agents[url.protocol as keyof typeof agents];
    const headers = x.body === undefined ? x.headers : { ...x.headers, 'content-length': String(Buffer.byteLength(x.body)) };
    let failed: HttpFailure | undefined;
    const req = mod.request(url, { method: x.method, headers, agent });
    const fail = (f: HttpFailure): void => {
      failed ??= f;
      req.destroy(f);
    };
    const timer = setTimeout(() => fail(new HttpFailure('timeout', 'timed out')), x.timeoutMs);
    const onAbort = (): void => fail(new HttpFailure('cancelled', 'cancelled'));
    x.signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      x.signal.removeEventListener('abort', onAbort);
    };
    req.on('error', (err: NodeJS.ErrnoException) => {
      done();
      if (failed) return reject(failed);
      const f = new HttpFailure('network', err.message, err.code);
      (f as { reused?: boolean }).reused = req.reusedSocket && err.code === 'ECONNRESET';
      reject(f);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      let ended = false;
      // An abort, a timeout or a dropped connection mid-body ends in 'close' without 'end'.
      res.on('error', () => {});
      res.on('close', () => {
        done();
        if (!ended) reject(failed ?? new HttpFailure('network', 'connection closed while reading the answer'));
      });
      res.on('end', () => {
        ended = true;
        done();
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(x.body);
  });
}
