// Test helper: the HTTP plumbing every SaaS vendor double shares (Okta, GitHub, Google): a
// loopback server that routes by method and path pattern, records what it was sent, and answers
// injected faults (a 429 or a 5xx, N times) before the route runs, so tests drive the vendors'
// failure answers through the real SDKs.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallHold, type CallHold, type HeldCall } from './held-call';

/** A request as a route sees it. */
export interface VendorRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Path parameters captured by the route pattern (`:name` segments). */
  params: Record<string, string>;
  /** `http://127.0.0.1:PORT`, for Link headers. */
  origin: string;
}

/** A route's answer; objects are sent as JSON, `undefined` bodies as nothing (204). */
export interface VendorReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

/** One route: method, a pattern such as `/api/v1/groups/:groupId/users/:userId`, and a handler. */
export interface VendorRoute {
  method: string;
  pattern: string;
  handle(request: VendorRequest): VendorReply;
}

/** A fault answered instead of the route for the next `times` matching requests. */
export interface InjectedFault {
  method: string;
  /** Matched against the path (without query). */
  path: RegExp;
  times: number;
  reply: VendorReply;
  /** The route runs first (the change lands) and then the fault is answered: a 5xx after the write. */
  landed?: boolean;
}

/** The running server. */
export interface VendorServer {
  url: string;
  /** Every request received, faults included, in order. */
  requests: { method: string; path: string; status: number }[];
  inject(fault: InjectedFault): void;
  /**
   * Keeps the first request matching `method` and `path` (after `skip` matching ones) waiting
   * until `release()`; faults and the route run after it is released.
   */
  hold(method: string, path: RegExp, skip?: number): HeldCall;
  close(): Promise<void>;
}

/** Options shared by the doubles. */
export interface VendorServerOptions {
  routes: VendorRoute[];
  /** Refuses the request (e.g. a 401) before routing; undefined lets it through. */
  authenticate(request: VendorRequest): VendorReply | undefined;
  /** Headers added to every answer (rate-limit counters, request ids). */
  commonHeaders?(request: VendorRequest): Record<string, string>;
  /** The answer for a path no route knows. */
  notFound(request: VendorRequest): VendorReply;
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}

/** Starts a vendor double on a random loopback port. */
export async function startVendorServer(options: VendorServerOptions): Promise<VendorServer> {
  const routes = options.routes.map((r) => ({ ...r, ...compile(r.pattern) }));
  const faults: InjectedFault[] = [];
  const holds: CallHold<{ method: string; path: string }>[] = [];
  const requests: VendorServer['requests'] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', origin);
      const request: VendorRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        params: {},
        origin,
      };
      for (const hold of holds) await hold.gate(request);
      const reply = answer(request);
      requests.push({ method: request.method, path: request.path, status: reply.status });
      const headers: Record<string, string | string[]> = { ...options.commonHeaders?.(request), ...reply.headers };
      if (reply.body === undefined) {
        res.writeHead(reply.status, headers);
        res.end();
        return;
      }
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text);
    });
  });

  const answer = (request: VendorRequest): VendorReply => {
    const fault = faults.find((f) => f.method === request.method && f.path.test(request.path) && f.times > 0);
    if (fault) {
      fault.times -= 1;
      if (fault.landed) route(request);
      return fault.reply;
    }
    return route(request);
  };

  const route = (request: VendorRequest): VendorReply => {
    const refused = options.authenticate(request);
    if (refused) return refused;
    for (const route of routes) {
      if (route.method !== request.method) continue;
      const match = route.regex.exec(request.path);
      if (!match) continue;
      route.names.forEach((name, i) => (request.params[name] = decodeURIComponent(match[i + 1])));
      return route.handle(request);
    }
    return options.notFound(request);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    requests,
    inject: (fault) => void faults.push({ ...fault }),
    hold(method, path, skip = 0) {
      const hold = createCallHold<{ method: string; path: string }>((call) => call.method === method && path.test(call.path), skip);
      holds.push(hold);
      return hold;
    },
    close: () =>
      new Promise((resolve) => {
        for (const hold of holds) hold.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Splits `items` into a page after the cursor `after` (an item key) of at most `limit`, with the next cursor. */
export function pageAfter<T>(items: T[], key: (item: T) => string, after: string | null, limit: number): { page: T[]; next: string | null } {
  const start = after === null ? 0 : items.findIndex((item) => key(item) === after) + 1;
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length && page.length > 0 ? key(page[page.length - 1]) : null;
  return { page, next };
}
