/**
 * The narrow read of users other features use (the request lifecycle finds requesters and
 * approvers through it), so no feature but this one queries the User table.
 */
import type { JsonValue, Role } from '@opensym/schemas';
import type { GroupReadOptions } from '../../db/group-read';
import type { PrismaClient } from '../../generated/prisma/client';
import { userRowsById } from './user-rows-by-id';

/** A user as the request lifecycle needs one. */
export interface UserSummary {
  id: string;
  email: string;
  role: Role;
  identities: Record<string, JsonValue>;
}

/** Finding users by id or email, and the emails of many at once. */
export interface UserLookup {
  findUser(orgId: string, by: { id: string } | { email: string }): Promise<UserSummary | null>;
  /** id → email of the users among `ids` (absent ones are left out). */
  emailsOf(orgId: string, ids: readonly string[]): Promise<Map<string, string>>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Prisma-backed lookup; concurrent lookups by id share a statement (`reads`, db/group-read.ts). */
export function createUserLookup(prisma: PrismaClient, reads: GroupReadOptions = {}): UserLookup {
  const usersById = userRowsById(prisma, reads);
  return {
    async findUser(orgId, by) {
      if ('id' in by && !uuidPattern.test(by.id)) return null;
      const row = 'id' in by ? await usersById(orgId, by.id) : await prisma.user.findFirst({ where: { orgId, email: by.email.toLowerCase() } });
      return row && { id: row.id, email: row.email, role: row.role, identities: (row.identities ?? {}) as Record<string, JsonValue> };
    },
    async emailsOf(orgId, ids) {
      if (ids.length === 0) return new Map();
      const rows = await prisma.user.findMany({ where: { orgId, id: { in: [...new Set(ids)] } }, select: { id: true, email: true } });
      return new Map(rows.map((r) => [r.id, r.email]));
    },
  };
}
