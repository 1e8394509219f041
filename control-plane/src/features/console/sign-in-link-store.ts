/**
 * One-time sign-in links of the console, in the database (table `ConsoleSignInLink`) by the
 * SHA-256 hash of their code, never the code: a link survives a restart, works on every control
 * plane sharing the database, and works once across all of them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client';

/** What a link signs in as, and who issued it (the admin's token, by hash, checked again on use). */
export interface SignInLink {
  orgId: string;
  userId: string;
  issuerTokenHash: string;
  expiresAt: number;
}

/** Issues and redeems one-time links. */
export interface SignInLinks {
  /** A fresh code for `link` (shown once, in the URL); links past their expiry are dropped first. */
  issue(link: Omit<SignInLink, 'expiresAt'>, now: number): Promise<string>;
  /** The unexpired, unused link of `code` (the confirmation page; does not use it up). */
  peek(code: string, now: number): Promise<SignInLink | null>;
  /** The link of `code`, used up in one statement: a second call (on any server), or one after the expiry, gets null. */
  redeem(code: string, now: number): Promise<SignInLink | null>;
}

/** How long a link works (15 minutes). */
export const SIGN_IN_LINK_TTL_MS = 15 * 60_000;

/** The hash a link is stored under. */
export const signInLinkHash = (code: string) => createHash('sha256').update(code).digest('hex');

interface Row {
  orgId: string;
  userId: string;
  issuerTokenHash: string;
  expiresAt: Date;
}
const toLink = (row: Row): SignInLink => ({ orgId: row.orgId, userId: row.userId, issuerTokenHash: row.issuerTokenHash, expiresAt: row.expiresAt.getTime() });

/** The Prisma-backed link store. */
export function createSignInLinkStore(prisma: PrismaClient, ttlMs = SIGN_IN_LINK_TTL_MS): SignInLinks {
  return {
    async issue(link, now) {
      await prisma.consoleSignInLink.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
      const code = randomBytes(32).toString('base64url');
      await prisma.consoleSignInLink.create({ data: { ...link, codeHash: signInLinkHash(code), expiresAt: new Date(now + ttlMs) } });
      return code;
    },
    async peek(code, now) {
      const row = await prisma.consoleSignInLink.findFirst({ where: { codeHash: signInLinkHash(code), expiresAt: { gt: new Date(now) } } });
      return row && toLink(row);
    },
    async redeem(code, now) {
      // One DELETE ... RETURNING: of two servers redeeming at once, PostgreSQL lets exactly one
      // delete the row; the other finds nothing. An expired row is deleted too, and refused.
      const rows = await prisma.$queryRaw<(Row & { live: boolean })[]>`
        DELETE FROM "ConsoleSignInLink" WHERE "codeHash" = ${signInLinkHash(code)}
        RETURNING "orgId"::text AS "orgId", "userId"::text AS "userId", "issuerTokenHash", "expiresAt", "expiresAt" > ${new Date(now)} AS live`;
      const row = rows[0];
      return row && row.live ? toLink(row) : null;
    },
  };
}
