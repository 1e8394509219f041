/**
 * Console sessions: a signed cookie naming the API token the person signed in with by its hash
 * (never the token itself), with an expiry. Each request looks the hash up again, so revoking the
 * token ends its sessions at once. CSRF tokens are derived from the cookie with the same key, so a
 * form is only accepted from a page rendered for that session.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie's name; the cookie is httpOnly, SameSite=Strict and scoped to /console. */
export const SESSION_COOKIE = 'sym_console';
/** Before sign-in: a random value the sign-in form's CSRF token is derived from. */
export const PRE_SESSION_COOKIE = 'sym_console_pre';

/** How long a console session lasts (8 hours). */
export const SESSION_TTL_MS = 8 * 3600_000;

/** Signs, checks and derives CSRF tokens with one key. */
export interface SessionKeys {
  /** A cookie value for a session of the token with this hash, ending `ttlMs` from `now`. */
  seal(tokenHash: string, now: number): string;
  /** The token hash of a valid, unexpired cookie value; null otherwise. */
  open(cookie: string | undefined, now: number): string | null;
  /** The CSRF token forms of this cookie (session or pre-session) carry. */
  csrf(cookie: string, purpose: 'session' | 'pre'): string;
  /** Whether `token` is the CSRF token of `cookie`. */
  checkCsrf(cookie: string | undefined, purpose: 'session' | 'pre', token: unknown): boolean;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Session keys over `key` (at least 32 bytes). Without a configured key the control plane makes a
 * random one at start: sessions then end when it restarts and are not shared between replicas.
 */
export function createSessionKeys(key: Buffer = randomBytes(32), ttlMs = SESSION_TTL_MS): SessionKeys {
  if (key.length < 32) throw new Error('the console session key must have at least 32 bytes');
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  return {
    seal(tokenHash, now) {
      const payload = Buffer.from(JSON.stringify({ h: tokenHash, e: now + ttlMs })).toString('base64url');
      return `${payload}.${mac(`session:${payload}`)}`;
    },
    open(cookie, now) {
      const [payload, signature, extra] = (cookie ?? '').split('.');
      if (!payload || !signature || extra !== undefined || !sameText(signature, mac(`session:${payload}`))) return null;
      try {
        const { h, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { h?: unknown; e?: unknown };
        return typeof h === 'string' && typeof e === 'number' && e > now ? h : null;
      } catch {
        return null;
      }
    },
    csrf: (cookie, purpose) => mac(`csrf:${purpose}:${cookie}`),
    checkCsrf(cookie, purpose, token) {
      return typeof cookie === 'string' && cookie !== '' && typeof token === 'string' && sameText(token, mac(`csrf:${purpose}:${cookie}`));
    },
  };
}

/** A fresh pre-session cookie value. */
export const newPreSession = (): string => randomBytes(18).toString('base64url');

/** The cookies of a request (`Cookie` header), without a parser dependency. */
export function cookiesOf(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';').map((p) => p.trim())) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq);
    try {
      out[name] ??= decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A value that is not valid percent-encoding is not one of ours.
    }
  }
  return out;
}
