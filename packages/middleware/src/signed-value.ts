import { createHmac, timingSafeEqual } from 'node:crypto';

/** The shortest secret accepted for signing cookies and CSRF tokens (32 bytes of text). */
export const MIN_SECRET_LENGTH = 32;

/** Throws unless `secret` is long enough to sign with. */
export function assertSecret(secret: string | undefined): asserts secret is string {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`@opensym/middleware needs a secret of at least ${MIN_SECRET_LENGTH} characters (the secret option or SYM_MIDDLEWARE_SECRET)`);
  }
}

const mac = (secret: string, purpose: string, payload: string) => createHmac('sha256', secret).update(`${purpose}\n${payload}`).digest();

/**
 * `payload.signature`: the JSON of `value` (base64url) and its HMAC-SHA256 under `secret`. The
 * purpose is part of the MAC, so a CSRF token can never pass as a grant cookie or the reverse.
 */
export function sign(secret: string, purpose: string, value: object): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${mac(secret, purpose, payload).toString('base64url')}`;
}

/** The value `sign` wrapped, or undefined when the text is malformed or its signature does not match. */
export function verify(secret: string, purpose: string, text: string | undefined): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  const dot = text.indexOf('.');
  if (dot <= 0 || dot !== text.lastIndexOf('.')) return undefined;
  const payload = text.slice(0, dot);
  const given = Buffer.from(text.slice(dot + 1), 'base64url');
  const expected = mac(secret, purpose, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
