/**
 * Short-lived caches for the reads every `POST /events/request` makes before its write (the flow
 * by id or name, users by id or email) and that every escalation and deescalation repeats (the
 * flow's strategy and target, by id or name). Only hits are kept (a flow or user created a
 * moment ago is found at once). `forget()` drops everything; the composition root calls it when
 * an entity or user changes in this process. Other processes on the same database may use a
 * changed flow or user for up to `ttlMs`.
 */
import { LRUCache } from 'lru-cache';
import type { RequestStore } from './request-store';

/** How long a flow or user is reused without reading the database (default 5 s). */
export const DEFAULT_LOOKUP_TTL_MS = 5_000;

type Flow = NonNullable<Awaited<ReturnType<RequestStore['findFlow']>>>;
type User = NonNullable<Awaited<ReturnType<RequestStore['findUser']>>>;
type Entity = NonNullable<Awaited<ReturnType<RequestStore['findEntity']>>>;

/** `store` with `findFlow` and `findUser` answered from memory for `ttlMs` (0: no caching). */
export function withCachedLookups(store: RequestStore, ttlMs = DEFAULT_LOOKUP_TTL_MS): RequestStore & { forget(): void } {
  if (ttlMs <= 0) return { ...store, forget: () => {} };
  const flows = new LRUCache<string, Flow>({ max: 1_000, ttl: ttlMs });
  const users = new LRUCache<string, User>({ max: 10_000, ttl: ttlMs });
  const entities = new LRUCache<string, Entity>({ max: 10_000, ttl: ttlMs });
  return {
    ...store,
    async findFlow(orgId, ref) {
      // Names are case-insensitive and ids are matched in lower case, so one key serves both.
      const key = `${orgId}:${ref.toLowerCase()}`;
      const hit = flows.get(key);
      if (hit) return hit;
      const flow = await store.findFlow(orgId, ref);
      if (flow) flows.set(key, flow);
      return flow;
    },
    async findUser(orgId, by) {
      const key = 'id' in by ? `${orgId}:id:${by.id.toLowerCase()}` : `${orgId}:email:${by.email.toLowerCase()}`;
      const hit = users.get(key);
      if (hit) return hit;
      const user = await store.findUser(orgId, by);
      if (user) users.set(key, user);
      return user;
    },
    async findEntity(orgId, kind, ref, byName) {
      const key = `${orgId}:${kind}:${byName ? 'name' : 'id'}:${ref.toLowerCase()}`;
      const hit = entities.get(key);
      if (hit) return hit;
      const entity = await store.findEntity(orgId, kind, ref, byName);
      if (entity) entities.set(key, entity);
      return entity;
    },
    forget() {
      flows.clear();
      users.clear();
      entities.clear();
    },
  };
}
