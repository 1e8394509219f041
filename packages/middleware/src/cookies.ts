/** Cookie header parsing and Set-Cookie lines (only what the middleware's own cookies need). */

/** The cookies of a `Cookie` header by name (the first of a repeated name wins). */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

/** Attributes of a cookie the middleware sets. */
export interface CookieAttributes {
  /** Seconds until the browser drops it; 0 deletes it. */
  maxAgeSeconds: number;
  /** Sent only over HTTPS (set when the visitor's request came over HTTPS). */
  secure: boolean;
  sameSite: 'Lax' | 'Strict';
  path?: string;
}

/** One `Set-Cookie` value: always HttpOnly, so page scripts can never read a grant or CSRF secret. */
export function serializeCookie(name: string, value: string, { maxAgeSeconds, secure, sameSite, path = '/' }: CookieAttributes): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${path}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', `SameSite=${sameSite}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
