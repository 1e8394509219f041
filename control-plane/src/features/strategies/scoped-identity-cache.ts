// Kept apart from the Prisma store so runners do not load the database client.
import type { IdentityCacheHost } from '../../sandbox';
import type { IdentityCacheStore } from './identity-cache-store';

/**
 * The sandbox's door to the cache for one invocation: only the requester's identity in this
 * strategy's integration, so guest code cannot read or poison other users' or integrations' entries.
 */
export function scopedIdentityCache(store: IdentityCacheStore, userKey: string, integrationId: string): IdentityCacheHost {
  const check = (userId: string, integration: string) => {
    if (userId !== userKey || integration !== integrationId) {
      throw new Error('the identity cache only holds the requester in this integration');
    }
  };
  return {
    get(userId, integration) {
      check(userId, integration);
      return store.get(userId, integration);
    },
    set(userId, integration, identity) {
      check(userId, integration);
      return store.set(userId, integration, identity);
    },
  };
}
