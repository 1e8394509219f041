import { randomUUID } from 'node:crypto';
import type { TokenIdentity, TokenStore } from './token-store';

/** In-memory TokenStore for unit tests. */
export function createFakeTokenStore(): TokenStore & { tokens: Map<string, TokenIdentity> } {
  const tokens = new Map<string, TokenIdentity>();
  const orgs = new Map<string, { id: string; slug: string }>();
  return {
    tokens,
    async findByHash(hash) {
      const t = tokens.get(hash);
      return t ? { ...t } : null;
    },
    async touch(tokenId, at) {
      for (const t of tokens.values()) if (t.tokenId === tokenId) t.lastUsedAt = at;
    },
    async countOrganizations() {
      return orgs.size;
    },
    async createOrganizationWithToken({ slug, role, tokenHash }) {
      if ([...orgs.values()].some((o) => o.slug === slug)) return null;
      const org = { id: randomUUID(), slug };
      orgs.set(org.id, org);
      const identity: TokenIdentity = { tokenId: randomUUID(), role, org, lastUsedAt: null, userId: null };
      tokens.set(tokenHash, identity);
      return { ...identity };
    },
    async createToken({ orgId, role, tokenHash, userId = null }) {
      const org = orgs.get(orgId);
      if (!org) throw new Error('no such org');
      const id = randomUUID();
      tokens.set(tokenHash, { tokenId: id, role, org, lastUsedAt: null, userId });
      return { id };
    },
  };
}
