import type { Role } from '@opensym/schemas';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { keepingAnAdmin } from './admin-credential-store';
import type { PagePosition } from '../../validation/paging';

/** A token's owner and role, found by the token's hash. */
export interface TokenIdentity {
  tokenId: string;
  /** For a user token, the user's current role (so changing the user changes its tokens). */
  role: Role;
  org: { id: string; slug: string };
  lastUsedAt: Date | null;
  /** The user the token acts for; null for bot tokens (including the bootstrap admin token). */
  userId: string | null;
}

/** What a token (or a user) may do: admins change configuration, members request and approve, guests request (the schemas' `roles`). */
export type { Role };

/** A token as listed: never its hash or value. `role` is the user's role for a user token. */
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  userId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Persistence of organizations and API tokens; only hashes are ever stored. */
export interface TokenStore {
  findByHash(tokenHash: string): Promise<TokenIdentity | null>;
  touch(tokenId: string, at: Date): Promise<void>;
  countOrganizations(): Promise<number>;
  /** Creates an organization with its first token, atomically; null when the slug is taken. */
  createOrganizationWithToken(input: { slug: string; tokenName: string; role: Role; tokenHash: string }): Promise<TokenIdentity | null>;
  /** Adds a token to an existing organization; `userId` makes it act for that user. */
  createToken(input: { orgId: string; name: string; role: Role; tokenHash: string; userId?: string | null }): Promise<{ id: string }>;
  /** The organization's tokens, oldest first, optionally only those acting for one user. */
  /** In (creation time, id) order; `after` and `take` page it. */
  listTokens(orgId: string, filter: { userId?: string; after?: PagePosition; take?: number }): Promise<TokenRecord[]>;
  findToken(orgId: string, id: string): Promise<TokenRecord | null>;
  /**
   * Deletes the token unless it is the organization's last admin credential (`last_admin`, see
   * admin-credential-store.ts); `not_found` when the organization has no such token.
   */
  deleteToken(orgId: string, id: string): Promise<'deleted' | 'not_found' | 'last_admin'>;
}

type TokenRow = Prisma.ApiTokenGetPayload<{ include: { user: { select: { role: true } } } }>;
const toTokenRecord = (r: TokenRow): TokenRecord => ({
  id: r.id,
  name: r.name,
  role: r.user?.role ?? r.role,
  userId: r.userId,
  createdAt: r.createdAt,
  lastUsedAt: r.lastUsedAt,
});

/** The Prisma-backed token store. */
export function createTokenStore(prisma: PrismaClient): TokenStore {
  return {
    async findByHash(tokenHash) {
      // Runs on every API request: one joined query, where Prisma's include would issue three.
      const rows = await prisma.$queryRaw<{ id: string; role: Role; userId: string | null; lastUsedAt: Date | null; orgId: string; orgSlug: string }[]>`
        SELECT t."id"::text AS "id", COALESCE(u."role", t."role")::text AS "role", t."userId"::text AS "userId",
               t."lastUsedAt" AS "lastUsedAt", o."id"::text AS "orgId", o."slug" AS "orgSlug"
        FROM "ApiToken" t
        JOIN "Organization" o ON o."id" = t."orgId"
        LEFT JOIN "User" u ON u."id" = t."userId"
        WHERE t."tokenHash" = ${tokenHash}`;
      const row = rows[0];
      return row ? { tokenId: row.id, role: row.role, org: { id: row.orgId, slug: row.orgSlug }, lastUsedAt: row.lastUsedAt, userId: row.userId } : null;
    },
    async touch(tokenId, at) {
      await prisma.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: at } });
    },
    countOrganizations() {
      return prisma.organization.count();
    },
    async createOrganizationWithToken({ slug, tokenName, role, tokenHash }) {
      const org = await prisma.organization.create({ data: { slug, tokens: { create: { name: tokenName, role, tokenHash } } }, include: { tokens: true } }).catch((err: unknown) => {
        // Another replica bootstrapping the same empty database at the same moment won.
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return null;
        throw err;
      });
      if (!org) return null;
      const token = org.tokens[0]!;
      return { tokenId: token.id, role: token.role, org: { id: org.id, slug: org.slug }, lastUsedAt: null, userId: null };
    },
    async createToken({ orgId, name, role, tokenHash, userId = null }) {
      const row = await prisma.apiToken.create({ data: { orgId, name, role, tokenHash, userId } });
      return { id: row.id };
    },
    async listTokens(orgId, filter) {
      const rows = await prisma.apiToken.findMany({
        where: {
          orgId,
          ...(filter.userId !== undefined && { userId: filter.userId }),
          ...(filter.after && { OR: [{ createdAt: { gt: filter.after.at } }, { createdAt: filter.after.at, id: { gt: filter.after.id } }] }),
        },
        include: { user: { select: { role: true } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        ...(filter.take !== undefined && { take: filter.take }),
      });
      return rows.map(toTokenRecord);
    },
    async findToken(orgId, id) {
      const row = await prisma.apiToken.findFirst({ where: { orgId, id }, include: { user: { select: { role: true } } } });
      return row && toTokenRecord(row);
    },
    async deleteToken(orgId, id) {
      const outcome = await keepingAnAdmin(prisma, orgId, async (tx) => (await tx.apiToken.deleteMany({ where: { orgId, id } })).count);
      if (!outcome.ok) return outcome.reason;
      return outcome.value > 0 ? 'deleted' : 'not_found';
    },
  };
}
