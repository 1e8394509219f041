import type { RequestHandler } from 'express';
import { ApiError } from '../errors/api-error';
import { documentedPathOf, type KnownPaths } from './allowed-methods';

/**
 * Bodies must be JSON; anything else is refused before parsing, so the answer is 415, not 400.
 * A request without a body passes where the OpenAPI document makes the body optional (approve,
 * deny, revoke, a user's token): the route then sees `req.body` undefined.
 */
export function requireJson(operations: KnownPaths): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' && req.method !== 'PATCH' && req.method !== 'PUT') return next();
    const bodiless = !req.headers['content-type'] && !Number(req.headers['content-length'] ?? 0) && !req.headers['transfer-encoding'];
    if (bodiless && documentedPathOf(operations, req, res)?.optionalBody.has(req.method)) return next();
    if (!req.is(['application/json', 'application/*+json'])) {
      throw new ApiError('unsupported_media_type', 'Send the body as `Content-Type: application/json`.');
    }
    next();
  };
}
