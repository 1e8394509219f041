import type { GroupReadOptions } from '../../db/group-read';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { keepingAnAdmin } from '../auth/admin-credential-store';
import type { Role } from '../auth/token-store';
import type { PagePosition } from '../../validation/paging';
import { userRowsById } from './user-rows-by-id';

/** A user row as the service sees it; `email` is lowercased. */
export interface UserRecord {
  id: string;
  orgId: string;
  email: string;
  role: Role;
  /** Service name → the person's id there (`{ slack: 'U123', pagerduty: 'PABC' }`). */
  identities: Record<string, string>;
  createdAt: Date;
}

/** The columns a write sets. */
export interface UserWrite {
  email: string;
  role: Role;
  identities: Record<string, string>;
}

/**
 * Outcome of a write the database may refuse (a lost race with a duplicate email, a deleted row),
 * or that would leave the organization without an admin credential (`last_admin`, updates only).
 */
export type UserWriteOutcome = { ok: true; user: UserRecord } | { ok: false; reason: 'duplicate' | 'not_found' | 'last_admin' };

/** Persistence of users; the only user code that touches Prisma. */
export interface UserStore {
  create(orgId: string, write: UserWrite): Promise<UserWriteOutcome>;
  findById(orgId: string, id: string): Promise<UserRecord | null>;
  findByEmail(orgId: string, email: string): Promise<UserRecord | null>;
  /** Users whose (lowercased) email is among `emails`. */
  findByEmails(orgId: string, emails: readonly string[]): Promise<UserRecord[]>;
  /** Users whose `identities[service]` is one of `values`, ignoring case (GitHub logins are case-insensitive). */
  findByIdentity(orgId: string, service: string, values: readonly string[]): Promise<UserRecord[]>;
  /** Oldest first; `email` matches exactly (callers lowercase it); `after` and `take` page it in (creation time, id) order. */
  list(orgId: string, filter: { email?: string; after?: PagePosition; take?: number }): Promise<UserRecord[]>;
  /** Refused with `last_admin` when demoting the user would leave the organization no admin credential. */
  update(orgId: string, id: string, write: UserWrite): Promise<UserWriteOutcome>;
  /** How many access requests the user made (they would be lost with the user). */
  countRequests(orgId: string, id: string): Promise<number>;
  /**
   * Deletes the user and, by cascade, their tokens; `not_found` when there was no such user,
   * `last_admin` (nothing deleted) when their tokens were the organization's last admin credentials.
   */
  delete(orgId: string, id: string): Promise<'deleted' | 'not_found' | 'last_admin'>;
}

type Row = Prisma.UserGetPayload<object>;
const toRecord = (r: Row): UserRecord => ({ ...r, identities: r.identities as Record<string, string> });

function refusal(err: unknown): 'duplicate' | 'not_found' | undefined {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  if (err.code === 'P2002') return 'duplicate';
  if (err.code === 'P2025') return 'not_found';
  return undefined;
}

/** The Prisma-backed user store; concurrent lookups by id share a statement (`reads`, db/group-read.ts). */
export function createUserStore(prisma: PrismaClient, reads: GroupReadOptions = {}): UserStore {
  const usersById = userRowsById(prisma, reads);
  const write = async (op: () => Promise<Row>): Promise<UserWriteOutcome> => {
    try {
      return { ok: true, user: toRecord(await op()) };
    } catch (err) {
      const reason = refusal(err);
      if (reason) return { ok: false, reason };
      throw err;
    }
  };
  return {
    create(orgId, w) {
      return write(() => prisma.user.create({ data: { orgId, email: w.email, role: w.role, identities: w.identities } }));
    },
    async findById(orgId, id) {
      const row = await usersById(orgId, id);
      return row ? toRecord(row) : null;
    },
    async findByEmail(orgId, email) {
      const row = await prisma.user.findUnique({ where: { orgId_email: { orgId, email } } });
      return row && toRecord(row);
    },
    async findByEmails(orgId, emails) {
      if (emails.length === 0) return [];
      const rows = await prisma.user.findMany({ where: { orgId, email: { in: [...emails] } } });
      return rows.map(toRecord);
    },
    async findByIdentity(orgId, service, values) {
      if (values.length === 0) return [];
      // Prisma's JSON filters compare case-sensitively; lower() on the JSON text does not.
      const wanted = [...new Set(values.map((v) => v.toLowerCase()))];
      const ids = await prisma.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "orgId" = ${orgId}::uuid AND lower("identities" ->> ${service}) = ANY(${wanted}::text[])`;
      if (ids.length === 0) return [];
      const rows = await prisma.user.findMany({ where: { orgId, id: { in: ids.map((r) => r.id) } } });
      return rows.map(toRecord);
    },
    async list(orgId, filter) {
      const rows = await prisma.user.findMany({
        where: {
          orgId,
          ...(filter.email !== undefined && { email: filter.email }),
          ...(filter.after && { OR: [{ createdAt: { gt: filter.after.at } }, { createdAt: filter.after.at, id: { gt: filter.after.id } }] }),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        ...(filter.take !== undefined && { take: filter.take }),
      });
      return rows.map(toRecord);
    },
    async update(orgId, id, w) {
      const data = { email: w.email, role: w.role, identities: w.identities };
      // A write that leaves the user an admin cannot take an admin credential away: no lock needed.
      if (w.role === 'admin') return write(() => prisma.user.update({ where: { id, orgId }, data }));
      try {
        const guarded = await keepingAnAdmin(prisma, orgId, (tx) => tx.user.update({ where: { id, orgId }, data }));
        return guarded.ok ? { ok: true, user: toRecord(guarded.value) } : guarded;
      } catch (err) {
        const reason = refusal(err);
        if (reason) return { ok: false, reason };
        throw err;
      }
    },
    countRequests(orgId, id) {
      return prisma.accessRequest.count({ where: { orgId, requesterId: id } });
    },
    async delete(orgId, id) {
      const outcome = await keepingAnAdmin(prisma, orgId, async (tx) => (await tx.user.deleteMany({ where: { id, orgId } })).count);
      if (!outcome.ok) return outcome.reason;
      return outcome.value > 0 ? 'deleted' : 'not_found';
    },
  };
}
