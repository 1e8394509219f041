import { serializeCookie } from './cookies';
import { sign, verify } from './signed-value';

/** Which access request holds a visitor's grant for a flow, and until when the binding is good. */
export interface GrantRecord {
  requestId: string;
  /** The visitor it belongs to (the middleware's `subject`). */
  visitor: string;
  flow: string;
  /** Epoch milliseconds after which the record is refused without asking the control plane. */
  expiresAt: number;
}

/** What one visit gives a store to read from and write to. */
export interface GrantContext {
  cookies: Map<string, string>;
  /** `Set-Cookie` values the adapter adds to the response. */
  setCookies: string[];
  /** The visit came over HTTPS (cookies get `Secure`). */
  secure: boolean;
  /** The app's session object, for {@link sessionGrants}. */
  session?: Record<string, unknown>;
  now: number;
}

/** Why a stored grant was refused (logged by no one; tests and the page's notice use it). */
export type GrantRefusal = 'bad_signature' | 'other_visitor' | 'other_flow' | 'expired';

/** The outcome of reading a grant: none stored, one usable, or one refused (and already cleared). */
export type GrantRead = { kind: 'none' } | { kind: 'found'; record: GrantRecord } | { kind: 'refused'; reason: GrantRefusal };

/** Where grants are kept between visits: a signed cookie or the app's session. */
export interface GrantStore {
  read(ctx: GrantContext, flow: string, visitor: string): GrantRead;
  write(ctx: GrantContext, record: GrantRecord): void;
  clear(ctx: GrantContext, flow: string): void;
}

/** Checks a decoded record against the visit: same visitor, same flow, not expired. */
function check(record: GrantRecord, flow: string, visitor: string, now: number): GrantRead {
  if (record.flow !== flow) return { kind: 'refused', reason: 'other_flow' };
  if (record.visitor !== visitor) return { kind: 'refused', reason: 'other_visitor' };
  if (!(record.expiresAt > now)) return { kind: 'refused', reason: 'expired' };
  return { kind: 'found', record };
}

const GRANT_PURPOSE = 'opensym-grant-v1';

/** The cookie name for a flow's grant (flow names may hold characters a cookie name cannot). */
export const grantCookieName = (flow: string) => `opensym_grant_${flow.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * Grants in a signed cookie per flow: HMAC-SHA256 over request id, visitor id, flow and expiry;
 * HttpOnly, SameSite=Lax (sent on the top-level navigation back from a link), Secure over HTTPS.
 * A cookie with a bad signature, for another visitor or flow, or past its expiry is refused and
 * deleted.
 */
export function cookieGrants(secret: string): GrantStore {
  return {
    read(ctx, flow, visitor) {
      const text = ctx.cookies.get(grantCookieName(flow));
      if (text === undefined || text === '') return { kind: 'none' };
      const value = verify(secret, GRANT_PURPOSE, text);
      const record: GrantRecord | undefined =
        value && typeof value.r === 'string' && typeof value.v === 'string' && typeof value.f === 'string' && typeof value.e === 'number'
          ? { requestId: value.r, visitor: value.v, flow: value.f, expiresAt: value.e }
          : undefined;
      const result: GrantRead = record ? check(record, flow, visitor, ctx.now) : { kind: 'refused', reason: 'bad_signature' };
      if (result.kind === 'refused') this.clear(ctx, flow);
      return result;
    },
    write(ctx, record) {
      const text = sign(secret, GRANT_PURPOSE, { r: record.requestId, v: record.visitor, f: record.flow, e: record.expiresAt });
      ctx.setCookies.push(serializeCookie(grantCookieName(record.flow), text, { maxAgeSeconds: (record.expiresAt - ctx.now) / 1000, secure: ctx.secure, sameSite: 'Lax' }));
    },
    clear(ctx, flow) {
      ctx.setCookies.push(serializeCookie(grantCookieName(flow), '', { maxAgeSeconds: 0, secure: ctx.secure, sameSite: 'Lax' }));
    },
  };
}

const SESSION_KEY = 'opensymGrants';

/**
 * Grants in the app's own session (e.g. express-session's `req.session`): the session is the
 * visitor's identity, so nothing is signed here; the session cookie's own protection applies.
 */
export function sessionGrants(): GrantStore {
  const grantsOf = (ctx: GrantContext): Record<string, GrantRecord> => {
    if (!ctx.session) throw new Error('sessionGrants needs the session option, e.g. session: (req) => req.session');
    const existing = ctx.session[SESSION_KEY];
    if (typeof existing === 'object' && existing !== null) return existing as Record<string, GrantRecord>;
    const created: Record<string, GrantRecord> = {};
    ctx.session[SESSION_KEY] = created;
    return created;
  };
  return {
    read(ctx, flow, visitor) {
      const record = grantsOf(ctx)[flow];
      if (!record) return { kind: 'none' };
      const result = check(record, flow, visitor, ctx.now);
      if (result.kind === 'refused') this.clear(ctx, flow);
      return result;
    },
    write(ctx, record) {
      grantsOf(ctx)[record.flow] = { ...record };
    },
    clear(ctx, flow) {
      delete grantsOf(ctx)[flow];
    },
  };
}
