import type { RequestHandler, Response } from 'express';
import { ApiError } from '../../errors/api-error';
import type { TokenIdentity } from './token-store';
import type { AuthService } from './auth-service';

/** The authenticated identity of the current request (set by `requireToken`). */
export function identityOf(res: Response): TokenIdentity {
  const identity = res.locals.identity as TokenIdentity | undefined;
  if (!identity) throw new Error('route mounted without requireToken');
  return identity;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Authenticates the bearer token; members may read, only admins may change (403 otherwise). */
export function requireToken(auth: Pick<AuthService, 'authenticate'>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const identity = await auth.authenticate(match?.[1]);
    if (writeMethods.has(req.method) && identity.role !== 'admin') {
      throw new ApiError('forbidden', `A ${identity.role} token may read but not change entities; use an admin token.`);
    }
    res.locals.identity = identity;
    next();
  };
}
