/**
 * Remote identities (what `fetch_remote_identity` returned) per user and integration, in the
 * `IdentityCache` table, so a strategy looks a user up once, not on every grant.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { JsonValue } from '../../sandbox';

/** Persistence of cached identities; `userId` is a users-table id, `integrationId` an integration entity id. */
export interface IdentityCacheStore {
  get(userId: string, integrationId: string): Promise<JsonValue | undefined>;
  set(userId: string, integrationId: string, identity: JsonValue): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Prisma-backed store. Keys that are not ids of known users are simply not cached. */
export function createIdentityCacheStore(prisma: PrismaClient): IdentityCacheStore {
  return {
    async get(userId, integrationId) {
      if (!UUID.test(userId) || !UUID.test(integrationId)) return undefined;
      const row = await prisma.identityCache.findUnique({ where: { userId_integrationId: { userId, integrationId } } });
      return row ? (JSON.parse(row.identity) as JsonValue) : undefined;
    },
    async set(userId, integrationId, identity) {
      if (!UUID.test(userId) || !UUID.test(integrationId)) return;
      const text = JSON.stringify(identity);
      try {
        await prisma.identityCache.upsert({
          where: { userId_integrationId: { userId, integrationId } },
          create: { userId, integrationId, identity: text },
          update: { identity: text, fetchedAt: new Date() },
        });
      } catch (err) {
        // The user was deleted meanwhile (foreign key): nothing worth caching.
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2003') return;
        throw err;
      }
    },
  };
}
