import { randomUUID } from 'node:crypto';
import type { UserRecord, UserStore } from './user-store';
import { isAfter } from '../../validation/paging';

/**
 * In-memory UserStore for unit tests; `requests` counts access requests per user id. It has no
 * tokens, so it never answers `last_admin` (the API tests cover that rule on the real stores).
 */
export function createFakeUserStore(): UserStore & { users: Map<string, UserRecord>; requests: Map<string, number> } {
  const users = new Map<string, UserRecord>();
  const requests = new Map<string, number>();
  let tick = 0;
  const clone = (u: UserRecord): UserRecord => structuredClone(u);
  const clash = (orgId: string, email: string, exceptId?: string) => [...users.values()].some((u) => u.orgId === orgId && u.email === email && u.id !== exceptId);
  return {
    users,
    requests,
    async create(orgId, w) {
      if (clash(orgId, w.email)) return { ok: false, reason: 'duplicate' };
      // Distinct, increasing creation times so list order is deterministic.
      const user: UserRecord = { id: randomUUID(), orgId, ...structuredClone(w), createdAt: new Date(Date.UTC(2026, 0, 1) + ++tick) };
      users.set(user.id, user);
      return { ok: true, user: clone(user) };
    },
    async findById(orgId, id) {
      const u = users.get(id);
      return u && u.orgId === orgId ? clone(u) : null;
    },
    async findByEmail(orgId, email) {
      const u = [...users.values()].find((x) => x.orgId === orgId && x.email === email);
      return u ? clone(u) : null;
    },
    async findByEmails(orgId, emails) {
      return [...users.values()].filter((u) => u.orgId === orgId && emails.includes(u.email)).map(clone);
    },
    async findByIdentity(orgId, service, values) {
      const wanted = values.map((v) => v.toLowerCase());
      return [...users.values()].filter((u) => u.orgId === orgId && typeof u.identities[service] === 'string' && wanted.includes(u.identities[service].toLowerCase())).map(clone);
    },
    async list(orgId, filter) {
      return [...users.values()]
        .filter((u) => u.orgId === orgId && (filter.email === undefined || u.email === filter.email) && isAfter(u, filter.after))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, filter.take)
        .map(clone);
    },
    async update(orgId, id, w) {
      const u = users.get(id);
      if (!u || u.orgId !== orgId) return { ok: false, reason: 'not_found' };
      if (clash(orgId, w.email, id)) return { ok: false, reason: 'duplicate' };
      Object.assign(u, structuredClone(w));
      return { ok: true, user: clone(u) };
    },
    async countRequests(_orgId, id) {
      return requests.get(id) ?? 0;
    },
    async delete(orgId, id) {
      const u = users.get(id);
      if (!u || u.orgId !== orgId) return 'not_found';
      users.delete(id);
      return 'deleted';
    },
  };
}
