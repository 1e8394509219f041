/**
 * Slack's v0 request signatures: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<ts>:<raw body>">`
 * with the app's signing secret, `X-Slack-Request-Timestamp: <unix seconds>`. Verification is
 * constant-time and refuses timestamps more than 5 minutes from now (either way).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from now (Slack's recommendation). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** The `X-Slack-Signature` value for `body` sent at `timestamp` (seconds). */
export function slackSignature(signingSecret: string, timestamp: string, body: string | Buffer): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:`);
  mac.update(body);
  return `v0=${mac.digest('hex')}`;
}

/** Why a signature was refused (for logs; callers answer every refusal the same way). */
export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** Checks one request's headers against one signing secret at `nowSeconds`. */
export function verifySlackSignature(input: { signingSecret: string; timestamp: string | undefined; signature: string | undefined; body: Buffer; nowSeconds: number }): SignatureVerdict {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch (the length is not secret).
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
