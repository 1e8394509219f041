import type { RequestHandler, Response } from 'express';
import { ApiError } from '../../errors/api-error';
import type { Role, TokenIdentity } from './token-store';
import type { AuthService } from './auth-service';
import { assertRole } from './roles';

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

// What guests may not even read: configuration, people, tokens and the audit trail. A guest
// requests access (where a flow allows guests) and follows its own requests; nothing else.
const closedToGuests = /^\/+(entities|users|tokens|audit)(\/|$)/i;

/** The area (`entities`, `users`, `tokens`, `audit`) of `path` that guests may not use at all, if any. */
export function guestClosedArea(path: string): string | undefined {
  return closedToGuests.exec(path)?.[1]?.toLowerCase();
}

/** Route guard: 403 unless the request's token has one of `roles` (mount after `requireToken`). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    assertRole(identityOf(res), roles);
    next();
  };
}

/**
 * Authenticates the bearer token; configuration writes need an admin, and guests may not read
 * entities, users, tokens or the audit trail (403 otherwise).
 */
export function requireToken(auth: Pick<AuthService, 'authenticate'>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const identity = await auth.authenticate(match?.[1]);
    const closed = identity.role === 'guest' ? guestClosedArea(req.path) : undefined;
    if (closed) {
      const own = closed === 'users' ? ' GET /api/v1/whoami shows its own user.' : '';
      throw new ApiError('forbidden', `A guest token may not use /${closed}: guests may only request access (on flows that allow guests) and read their own requests.${own}`);
    }
    if (isConfigurationWrite(req.method, req.path) && identity.role !== 'admin') {
      throw new ApiError('forbidden', `A ${identity.role} token may read but not change configuration; use an admin token.`);
    }
    res.locals.identity = identity;
    next();
  };
}
