import { Prisma, type PrismaClient } from '../../generated/prisma/client';

/** A token's owner and role, found by the token's hash. */
export interface TokenIdentity {
  tokenId: string;
  role: 'admin' | 'member' | 'guest';
  org: { id: string; slug: string };
  lastUsedAt: Date | null;
}

/** Persistence of organizations and API tokens; only hashes are ever stored. */
export interface TokenStore {
  findByHash(tokenHash: string): Promise<TokenIdentity | null>;
  touch(tokenId: string, at: Date): Promise<void>;
  countOrganizations(): Promise<number>;
  /** Creates an organization with its first token, atomically; null when the slug is taken. */
  createOrganizationWithToken(input: { slug: string; tokenName: string; role: 'admin' | 'member' | 'guest'; tokenHash: string }): Promise<TokenIdentity | null>;
  /** Adds a token to an existing organization (tests, future token API). */
  createToken(input: { orgId: string; name: string; role: 'admin' | 'member' | 'guest'; tokenHash: string }): Promise<{ id: string }>;
}

/** The Prisma-backed token store. */
export function createTokenStore(prisma: PrismaClient): TokenStore {
  return {
    async findByHash(tokenHash) {
      const row = await prisma.apiToken.findUnique({ where: { tokenHash }, include: { org: { select: { id: true, slug: true } } } });
      return row && { tokenId: row.id, role: row.role, org: row.org, lastUsedAt: row.lastUsedAt };
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
      return { tokenId: token.id, role: token.role, org: { id: org.id, slug: org.slug }, lastUsedAt: null };
    },
    async createToken({ orgId, name, role, tokenHash }) {
      const row = await prisma.apiToken.create({ data: { orgId, name, role, tokenHash } });
      return { id: row.id };
    },
  };
}
