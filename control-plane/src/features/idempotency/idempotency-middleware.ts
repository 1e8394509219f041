import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../errors/api-error';
import { identityOf } from '../auth/auth-middleware';
import { parseIdempotencyKey } from './idempotency-key-header';
import type { IdempotencyScope, IdempotencyStore } from './idempotency-store';

/** Settings of the `Idempotency-Key` handling. */
export interface IdempotencyOptions {
  store: Pick<IdempotencyStore, 'begin' | 'finish' | 'release'>;
  logger: Pick<Logger, 'error'>;
  /** How long a key and its answer are kept (default 24 h). */
  ttlMs?: number;
  /**
   * How long a first request may take before its key counts as abandoned (its process died) and a
   * retry runs again (default 2 min).
   */
  lockMs?: number;
  now?: () => Date;
}

/** Builds middleware for one operation; `idempotent('POST /events/request')` goes before that route's handler. */
export type Idempotent = (operation: string) => RequestHandler;

/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header) for unsafe operations: the first
 * request with a key runs and its answer (status, body, `Location`) is stored; a retry with the
 * same key and the same request gets that answer again, marked `Idempotent-Replayed: true`. The
 * same key with another request is a 422, and a retry while the first is still running a 409.
 * 5xx answers are not kept, so a retry after a server failure runs again. Requests without the
 * header are untouched. Runs after authentication and body parsing.
 */
export function createIdempotency(options: IdempotencyOptions): Idempotent {
  const ttlMs = options.ttlMs ?? 24 * 3600_000;
  const lockMs = options.lockMs ?? 120_000;
  const now = options.now ?? (() => new Date());
  const { store, logger } = options;

  return (operation) => (req, res, next) => {
    const header = req.get('idempotency-key');
    // Most requests carry no key: they pass without a promise of their own.
    if (header === undefined) return next();
    return keyed(operation, header, req, res, next);
  };

  async function keyed(operation: string, header: string, req: Request, res: Response, next: NextFunction): Promise<void> {
    const key = parseIdempotencyKey(header);
    const identity = identityOf(res);
    const scope: IdempotencyScope = { orgId: identity.org.id, tokenId: identity.tokenId, operation, key };
    // The path holds the request id of approve/deny/revoke: the same key on another request is another request.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([req.method, req.baseUrl + req.path, req.body ?? null]))
      .digest('hex');
    const t = now();
    const outcome = await store.begin(scope, fingerprint, { now: t, lockedUntil: new Date(t.getTime() + lockMs), expiresAt: new Date(t.getTime() + ttlMs) });
    if (outcome.kind === 'mismatch') {
      throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request; use a new key for a new request.');
    }
    if (outcome.kind === 'in_flight') {
      res.set('retry-after', '1');
      throw new ApiError('idempotency_key_in_flight', 'A request with this Idempotency-Key is still being processed; retry once it has been answered.');
    }
    if (outcome.kind === 'replay') {
      const { status, body, location } = outcome.answer;
      res.status(status).set('idempotent-replayed', 'true');
      if (location) res.location(location);
      if (body === null || body === undefined) return void res.end();
      res.type(status >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(body));
      return;
    }
    recordAnswer(res, scope, store, logger);
    next();
  }
}

/**
 * Holds the answer back until it is stored, so a client that retries right after it arrives finds
 * it (storing after sending would let a quick retry see the key still in flight).
 */
function recordAnswer(res: Response, scope: IdempotencyScope, store: IdempotencyOptions['store'], logger: IdempotencyOptions['logger']): void {
  const send = res.send.bind(res);
  let settled = false;
  res.send = (body?: unknown) => {
    if (settled) return send(body);
    settled = true;
    const status = res.statusCode;
    const keep = status < 500;
    const location = res.get('location') ?? null;
    const parsed = parseBody(body);
    const done = keep ? store.finish(scope, { status, body: parsed, location }) : store.release(scope);
    done.then(
      () => send(body),
      (err: unknown) => {
        logger.error({ err, operation: scope.operation }, 'idempotency: storing the answer failed');
        // The answer goes out anyway; the key is dropped so a retry runs again rather than waiting.
        void store.release(scope).catch(() => {});
        send(body);
      },
    );
    return res;
  };
  res.once('close', () => {
    if (!settled) {
      settled = true;
      void store.release(scope).catch((err: unknown) => logger.error({ err }, 'idempotency: releasing the key failed'));
    }
  });
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body);
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
