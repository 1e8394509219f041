import { Prisma, type PrismaClient } from '../../generated/prisma/client';

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

/** What a token (or a user) may do: admins change configuration, members request and approve, guests request. */
export type Role = 'admin' | 'member' | 'guest';

/** Persistence of organizations and API tokens; only hashes are ever stored. */
export interface TokenStore {
  findByHash(tokenHash: string): Promise<TokenIdentity | null>;
  touch(tokenId: string, at: Date): Promise<void>;
  countOrganizations(): Promise<number>;
  /** Creates an organization with its first token, atomically; null when the slug is taken. */
  createOrganizationWithToken(input: { slug: string; tokenName: string; role: Role; tokenHash: string }): Promise<TokenIdentity | null>;
  /** Adds a token to an existing organization; `userId` makes it act for that user. */
  createToken(input: { orgId: string; name: string; role: Role; tokenHash: string; userId?: string | null }): Promise<{ id: string }>;
}

/** The Prisma-backed token store. */
export function createTokenStore(prisma: PrismaClient): TokenStore {
  return {
    async findByHash(tokenHash) {
      const row = await prisma.apiToken.findUnique({
        where: { tokenHash },
        include: { org: { select: { id: true, slug: true } }, user: { select: { role: true } } },
      });
      return row && { tokenId: row.id, role: row.user?.role ?? row.role, org: row.org, lastUsedAt: row.lastUsedAt, userId: row.userId };
    },
    async touch(tokenId, at) {
      await prisma.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: at } });
    },
    countOrganizations() {
      return prisma.organization.count();
    },
    async createOrganizationWithToken({ slug, tokenName, role, tokenHash }) {
      const org = await prisma.organization
        .create({ data: { slug, tokens: { create: { name: tokenName, role, tokenHash } } }, include: { tokens: true } })
        .catch((err: unknown) => {
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
  };
}
