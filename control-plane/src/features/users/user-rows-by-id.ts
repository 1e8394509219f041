/** Users by id for this feature's store and lookup: concurrent lookups share a statement (db/group-read.ts). */
import { groupRead, type GroupReadOptions } from '../../db/group-read';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns `byId(orgId, id)`: the user row of that organization, or null (also for an id that is no UUID). */
export function userRowsById(prisma: PrismaClient, reads: GroupReadOptions = {}): (orgId: string, id: string) => Promise<Prisma.UserGetPayload<object> | null> {
  type Key = { orgId: string; id: string };
  const read = groupRead(
    (keys: Key[]) => prisma.user.findMany({ where: { id: { in: [...new Set(keys.map((k) => k.id))] } } }),
    (row, key: Key) => row.id === key.id && row.orgId === key.orgId,
    reads,
  );
  return async (orgId, id) => (uuidPattern.test(id) ? ((await read({ orgId, id: id.toLowerCase() }))[0] ?? null) : null);
}
