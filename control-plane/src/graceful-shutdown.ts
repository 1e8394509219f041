/**
 * Orderly stop of a serving control plane: stop accepting connections, let the requests in
 * flight finish (bounded by a grace period), stop the job runner, and only then close the
 * database they all write to. Closing the database first made in-flight requests fail with
 * "PGlite is closed" (500) under load.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** What a shutdown stops, in this order after the HTTP server: jobs, then the database. */
export interface ShutdownDeps {
  server: Server;
  jobs: { stop(options?: { timeoutMs?: number }): Promise<void> };
  db: { close(): Promise<void> };
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long in-flight requests, and then running jobs, may take before they are cut off (default 10 s each). */
  graceMs?: number;
}

/** How a shutdown went. */
export interface ShutdownReport {
  /** Requests still unanswered when the grace period ran out (their connections were closed). */
  abandonedRequests: number;
}

/**
 * Starts tracking `server`'s requests right away (call it before the first request) and returns
 * the shutdown to run on SIGTERM/SIGINT. Calling it again returns the same shutdown.
 */
export function gracefulShutdown(deps: ShutdownDeps): () => Promise<ShutdownReport> {
  const { server, logger } = deps;
  const graceMs = deps.graceMs ?? 10_000;
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let onIdle: (() => void) | null = null;

  // Once draining, every answer says `Connection: close`, so a keep-alive client (autocannon, the
  // provider's agent) does not send its next request on a connection that is about to go away.
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  // Prepended: runs before Express, which may answer synchronously.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    if (draining) closeAfter(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (!draining) return;
      // A response sent before draining began kept its connection alive; it is idle now.
      setImmediate(() => server.closeIdleConnections());
      if (inFlight.size === 0) onIdle?.();
    });
  });

  let running: Promise<ShutdownReport> | null = null;
  const shutDown = async (): Promise<ShutdownReport> => {
    draining = true;
    for (const res of inFlight) closeAfter(res);
    // A keep-alive client may have sent its next request already, still unread in the socket:
    // closing that "idle" connection now would reset a request in flight. Whatever has arrived
    // by now is read in the next loop turn's poll phase (those requests then count as in flight),
    // so wait out this turn and that one before idle connections close.
    for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    // Stops accepting and closes the idle connections (Node ≥ 19 does both in close()).
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();

    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, graceMs, 'timeout')));
    const drained = new Promise<void>((resolve) => {
      onIdle = resolve;
      if (inFlight.size === 0) resolve();
    });
    // Drained requests leave their connections closing; wait for that too, within the same grace.
    const outcome = await Promise.race([drained.then(() => closed), graceOver]);
    clearTimeout(timer);
    const abandonedRequests = outcome === 'timeout' ? inFlight.size : 0;
    if (outcome === 'timeout') {
      // A stuck client or handler must not hold the process (and PGlite's files) open forever.
      logger.warn({ abandonedRequests, graceMs }, 'requests still running after the grace period; closing their connections');
      server.closeAllConnections();
      await closed;
    }

    // Running jobs finish before the database they write to closes; one stuck on a remote call is
    // abandoned (its lease lapses and another process, or the next start, retries it).
    try {
      await deps.jobs.stop({ timeoutMs: graceMs });
    } catch (err) {
      logger.error({ err }, 'error while stopping jobs');
    }
    await deps.db.close();
    return { abandonedRequests };
  };
  return () => (running ??= shutDown());
}
