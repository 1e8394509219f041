import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { ApiError } from '../../errors/api-error';
import type { Role, TokenIdentity, TokenStore } from './token-store';

/** SHA-256 (hex) of a token: what is stored and looked up, never the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh random API token (`sym_` + 43 base64url characters, 256 bits). */
export function generateToken(): string {
  return `sym_${randomBytes(32).toString('base64url')}`;
}

/** Authentication and first-start bootstrap. */
export interface AuthService {
  /** The identity behind a bearer token; 401 problem when missing or unknown. */
  authenticate(token: string | undefined): Promise<TokenIdentity>;
  /** On an empty database, creates the organization and an admin token; returns the token once. */
  bootstrap(orgSlug: string): Promise<{ orgSlug: string; token: string } | null>;
  /** Adds a token to an organization; returns the clear token once. With `userId` it acts for that user. */
  issueToken(orgId: string, name: string, role: Role, userId?: string | null): Promise<{ id: string; token: string }>;
  /** Drops every cached identity; call after deleting a token or changing or deleting a user. */
  forget(): void;
}

// Writing lastUsedAt on every request would turn reads into writes; a minute is precise enough.
const touchIntervalMs = 60_000;

/** How long a token's identity is reused without reading the database (default 5 s). */
export const DEFAULT_IDENTITY_TTL_MS = 5_000;

/**
 * Creates the auth service over a token store. Identities found by token hash are kept for
 * `identityTtlMs` (0: not at all), saving a query on every API call; this process drops them
 * when `forget()` is called, other processes on the same database see a deleted token or a
 * changed role only after the TTL.
 */
export function createAuthService({ store, now = () => new Date(), identityTtlMs = DEFAULT_IDENTITY_TTL_MS }: { store: TokenStore; now?: () => Date; identityTtlMs?: number }): AuthService {
  const cache = identityTtlMs > 0 ? new LRUCache<string, TokenIdentity>({ max: 10_000, ttl: identityTtlMs }) : null;
  return {
    async authenticate(token) {
      if (!token) throw new ApiError('unauthorized', 'Send an API token as `Authorization: Bearer <token>`.');
      const hash = hashToken(token);
      let identity = cache?.get(hash) ?? (await store.findByHash(hash));
      if (!identity) throw new ApiError('unauthorized', 'The API token is not valid.');
      const at = now();
      if (!identity.lastUsedAt || at.getTime() - identity.lastUsedAt.getTime() > touchIntervalMs) {
        await store.touch(identity.tokenId, at);
        identity = { ...identity, lastUsedAt: at };
      }
      // Kept without refreshing its age when already cached, so a change is seen within the TTL.
      cache?.set(hash, identity, { noUpdateTTL: true });
      return { ...identity, org: { ...identity.org } };
    },
    forget() {
      cache?.clear();
    },
    async bootstrap(orgSlug) {
      if ((await store.countOrganizations()) > 0) return null;
      const token = generateToken();
      const created = await store.createOrganizationWithToken({ slug: orgSlug, tokenName: 'bootstrap admin', role: 'admin', tokenHash: hashToken(token) });
      return created ? { orgSlug, token } : null;
    },
    async issueToken(orgId, name, role, userId = null) {
      const token = generateToken();
      const { id } = await store.createToken({ orgId, name, role, tokenHash: hashToken(token), userId });
      return { id, token };
    },
  };
}
