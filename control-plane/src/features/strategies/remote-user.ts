/**
 * The requester's identity in a vendor system, as Sym resolves it: the user's stored identity for
 * that service (`identities.<service>`) first, then the flow's `get_identity` reducer, then the identity cache (one lookup per user and
 * integration, not one per grant), then the vendor's own lookup by email, whose answer is cached.
 */
import { StrategyError, type StrategyInvocation } from './access-strategy';
import type { IdentityCacheStore } from './identity-cache-store';

/** What a native strategy needs to find the requester in its vendor. */
export interface RemoteUserQuery {
  invocation: StrategyInvocation;
  /** The key of `user.identities` for this vendor, e.g. `aws_sso`. */
  service: string;
  /** The cache's integration key: the strategy's integration id, else the strategy id. */
  cacheKey: string;
  /** The integration's `external_id`, handed to `get_identity`. */
  externalId?: string;
  identityCache: IdentityCacheStore;
  /** Finds the vendor's id for an email; undefined when there is none. */
  lookup(email: string): Promise<string | undefined>;
  /** Names the system in the "unknown user" error, e.g. `identity store d-123`. */
  where: string;
}

/** The error for a requester the vendor does not know (deescalate treats it as nothing to take back). */
export class UnknownRemoteUserError extends StrategyError {
  constructor(message: string) {
    super(message, false);
  }
}

/** The vendor id of the requester, or a non-retryable StrategyError naming what to fix. */
export async function resolveRemoteUser(query: RemoteUserQuery): Promise<string> {
  const user = query.invocation.event.user;
  const stored = user.identities?.[query.service];
  if (typeof stored === 'string' && stored) return stored;
  const mapped = query.invocation.identityFor ? await query.invocation.identityFor(query.service, query.externalId ?? '') : null;
  if (mapped) return mapped;
  const userId = typeof user.id === 'string' ? user.id : undefined;
  if (userId) {
    const cached = await query.identityCache.get(userId, query.cacheKey);
    if (typeof cached === 'string' && cached) return cached;
  }
  const email = user.email;
  if (!email) throw new StrategyError(`the requester has no email and no ${query.service} identity to look up in ${query.where}`, false);
  const found = await query.lookup(email);
  if (!found) {
    throw new UnknownRemoteUserError(`unknown user: no user for ${email} in ${query.where}; create it there or set the user's ${query.service} identity (users API, identities.${query.service})`);
  }
  if (userId) await query.identityCache.set(userId, query.cacheKey, found);
  return found;
}
