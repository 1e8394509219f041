/**
 * One-time sign-in links: an admin issues one for a user; it works once, within its TTL. Kept in
 * this process's memory by the hash of their code (never the code): a link works on the server
 * that issued it, until it restarts.
 */
import { createHash, randomBytes } from 'node:crypto';

/** What a link signs in as, and who issued it (the admin's token, by hash, checked again on use). */
export interface SignInLink {
  orgId: string;
  userId: string;
  issuerTokenHash: string;
  expiresAt: number;
}

/** Issues and redeems one-time links. */
export interface SignInLinks {
  /** A fresh code for `link` (shown once, in the URL). */
  issue(link: Omit<SignInLink, 'expiresAt'>, now: number): string;
  /** Whether `code` names an unexpired, unused link (the confirmation page; does not use it up). */
  peek(code: string, now: number): SignInLink | null;
  /** The link of `code`, used up: a second call, or one after the TTL, gets null. */
  redeem(code: string, now: number): SignInLink | null;
}

/** How long a link works (15 minutes). */
export const SIGN_IN_LINK_TTL_MS = 15 * 60_000;

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/** An in-memory link store; expired links are dropped whenever one is issued. */
export function createSignInLinks(ttlMs = SIGN_IN_LINK_TTL_MS): SignInLinks {
  const links = new Map<string, SignInLink>();
  const live = (code: string, now: number) => {
    const link = links.get(hashOf(code));
    return link && link.expiresAt > now ? link : null;
  };
  return {
    issue(link, now) {
      for (const [hash, l] of links) if (l.expiresAt <= now) links.delete(hash);
      const code = randomBytes(32).toString('base64url');
      links.set(hashOf(code), { ...link, expiresAt: now + ttlMs });
      return code;
    },
    peek: live,
    redeem(code, now) {
      const link = live(code, now);
      links.delete(hashOf(code));
      return link;
    },
  };
}
