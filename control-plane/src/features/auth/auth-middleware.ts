import type { RequestHandler, Response } from 'express';
import { ApiError } from '../../errors/api-error';
import type { Role, TokenIdentity } from './token-store';
import type { AuthService } from './auth-service';

/** The authenticated identity of the current request (set by `requireToken`). */
export function identityOf(res: Response): TokenIdentity {
  const identity = res.locals.identity as TokenIdentity | undefined;
  if (!identity) throw new Error('route mounted without requireToken');
  return identity;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Configuration: entities, users and tokens. Changing them is an admin's job; other writes
// (requests, approvals) are open to every role and the feature enforces the finer rules.
// Case-insensitive like Express's routing, so `/ENTITIES/...` cannot slip past this check.
const configurationPath = /^\/+(entities|users|tokens)(\/|$)/i;

/** True when `path` (relative to `/api/v1`) and `method` change configuration, which needs an admin. */
export function isConfigurationWrite(method: string, path: string): boolean {
  return writeMethods.has(method) && configurationPath.test(path);
}

/** Throws 403 unless the identity has one of `roles`. */
export function assertRole(identity: TokenIdentity, roles: readonly Role[], doing = 'do this'): void {
  if (!roles.includes(identity.role)) {
    throw new ApiError('forbidden', `A ${identity.role} token may not ${doing}; this needs ${roles.join(' or ')}.`);
  }
}

/** Route guard: 403 unless the request's token has one of `roles` (mount after `requireToken`). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    assertRole(identityOf(res), roles);
    next();
  };
}

/** Authenticates the bearer token; configuration writes need an admin (403 otherwise). */
export function requireToken(auth: Pick<AuthService, 'authenticate'>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const identity = await auth.authenticate(match?.[1]);
    if (isConfigurationWrite(req.method, req.path) && identity.role !== 'admin') {
      throw new ApiError('forbidden', `A ${identity.role} token may read but not change configuration; use an admin token.`);
    }
    res.locals.identity = identity;
    next();
  };
}
