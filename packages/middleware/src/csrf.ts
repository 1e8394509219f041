import { randomBytes } from 'node:crypto';
import { serializeCookie } from './cookies';
import type { GrantContext } from './grant-store';
import { sign, verify } from './signed-value';

const CSRF_PURPOSE = 'opensym-csrf-v1';
/** The cookie holding the visitor's CSRF nonce (double submit: the form carries a signed copy). */
export const CSRF_COOKIE = 'opensym_csrf';
/** The hidden form field carrying the signed token. */
export const CSRF_FIELD = '_csrf';
/** How long an approval form may stay open before its token is refused. */
const TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;

/**
 * A CSRF token for the approval form: signed over the visitor, the flow, an expiry and a nonce
 * that is also in an HttpOnly SameSite=Strict cookie. Another site can neither read the cookie
 * nor forge the signature, and a token taken from one visitor's page fails for another.
 */
export function issueCsrfToken(secret: string, ctx: GrantContext, flow: string, visitor: string): string {
  let nonce = ctx.cookies.get(CSRF_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{22,}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    ctx.cookies.set(CSRF_COOKIE, nonce);
    ctx.setCookies.push(serializeCookie(CSRF_COOKIE, nonce, { maxAgeSeconds: TOKEN_LIFETIME_MS / 1000, secure: ctx.secure, sameSite: 'Strict' }));
  }
  return sign(secret, CSRF_PURPOSE, { n: nonce, v: visitor, f: flow, e: ctx.now + TOKEN_LIFETIME_MS });
}

/** Whether a submitted token is one this middleware issued to this visitor for this flow, unexpired, matching the cookie. */
export function checkCsrfToken(secret: string, ctx: GrantContext, flow: string, visitor: string, token: string | null | undefined): boolean {
  const value = verify(secret, CSRF_PURPOSE, token ?? undefined);
  const nonce = ctx.cookies.get(CSRF_COOKIE);
  return !!value && !!nonce && value.n === nonce && value.v === visitor && value.f === flow && typeof value.e === 'number' && value.e > ctx.now;
}
