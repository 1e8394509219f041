import { randomUUID } from 'node:crypto';
import type { TokenIdentity, TokenRecord, TokenStore } from './token-store';
import { isAfter } from '../../validation/paging';

/** In-memory TokenStore for unit tests; it refuses to delete the organization's last admin-role token. */
export function createFakeTokenStore(): TokenStore & { tokens: Map<string, TokenIdentity> } {
  const tokens = new Map<string, TokenIdentity>();
  const orgs = new Map<string, { id: string; slug: string }>();
  const meta = new Map<string, { name: string; createdAt: Date }>();
  const record = (t: TokenIdentity): TokenRecord => ({
    id: t.tokenId,
    name: meta.get(t.tokenId)?.name ?? 'bootstrap admin',
    role: t.role,
    userId: t.userId,
    createdAt: meta.get(t.tokenId)?.createdAt ?? new Date(0),
    lastUsedAt: t.lastUsedAt,
  });
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
    async createToken({ orgId, name, role, tokenHash, userId = null }) {
      const org = orgs.get(orgId);
      if (!org) throw new Error('no such org');
      const id = randomUUID();
      tokens.set(tokenHash, { tokenId: id, role, org, lastUsedAt: null, userId });
      meta.set(id, { name, createdAt: new Date(Date.UTC(2026, 0, 1) + meta.size) });
      return { id };
    },
    async listTokens(orgId, filter) {
      return [...tokens.values()]
        .filter((t) => t.org.id === orgId && (filter.userId === undefined || t.userId === filter.userId))
        .map(record)
        .filter((r) => isAfter(r, filter.after))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, filter.take);
    },
    async findToken(orgId, id) {
      const t = [...tokens.values()].find((x) => x.org.id === orgId && x.tokenId === id);
      return t ? record(t) : null;
    },
    async deleteToken(orgId, id) {
      // Roles are stored per token here (the fake has no users): the last admin token stays.
      const admins = [...tokens.values()].filter((t) => t.org.id === orgId && t.role === 'admin');
      for (const [hash, t] of tokens) {
        if (t.org.id !== orgId || t.tokenId !== id) continue;
        if (t.role === 'admin' && admins.length === 1) return 'last_admin';
        tokens.delete(hash);
        return 'deleted';
      }
      return 'not_found';
    },
  };
}
