/**
 * Entity reads of the Slack feature, kept a few seconds: every sync of every request renders its
 * flow, so a burst of approvals would read the same flow row once per message update. Dropped by
 * `forget()`, which the composition root calls on every entity change (as it does for the request
 * store's lookups and the Slack workspaces), so an edited flow is never rendered from the old row.
 */
import { LRUCache } from 'lru-cache';
import type { SlackDeps } from './slack-deps';

type EntityReader = SlackDeps['entities'];
type Found = Awaited<ReturnType<EntityReader['findById']>>;

/** `entities` with `findById` cached for `ttlMs` (a lookup in flight is shared; a failure is not kept). */
export function cachedEntities(entities: EntityReader, { ttlMs = 5_000 }: { ttlMs?: number } = {}): EntityReader & { forget(): void } {
  const cache = new LRUCache<string, Promise<Found>>({ max: 5_000, ttl: ttlMs });
  return {
    findById(orgId, kind, id) {
      const key = `${orgId}:${kind}:${id}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const value = entities.findById(orgId, kind, id);
      cache.set(key, value);
      value.catch(() => cache.delete(key));
      return value;
    },
    list: (orgId, kind, filter) => entities.list(orgId, kind, filter),
    forget: () => cache.clear(),
  };
}
