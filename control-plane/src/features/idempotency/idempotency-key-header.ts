import { ApiError } from '../../errors/api-error';

const maxKeyLength = 255;

/**
 * The `Idempotency-Key` value: a Structured Field string (`"8e03978e-..."`, as the IETF draft
 * defines it); a bare token without quotes is accepted too, as many clients send one. Printable
 * ASCII, 1-255 characters; anything else is a 400. The OpenAPI document states the same as
 * `idempotencyKeyPattern` (@opensym/schemas); idempotency-key-header.test.ts keeps the two equal.
 */
export function parseIdempotencyKey(header: string): string {
  // Only the spaces and tabs HTTP allows around a field value: String.prototype.trim would also
  // drop U+00A0 (obs-text on the wire), which the documented pattern refuses.
  const raw = header.replace(/^[ \t]+|[ \t]+$/g, '');
  let key = raw;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) throw badKey('an opening quote without a closing one');
    key = '';
    const inner = raw.slice(1, -1);
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i]!;
      if (c === '\\') {
        const next = inner[++i];
        if (next !== '"' && next !== '\\') throw badKey('only \\" and \\\\ may be escaped');
        key += next;
      } else if (c === '"') {
        throw badKey('an unescaped quote inside the string');
      } else key += c;
    }
  }
  if (key.length === 0) throw badKey('it is empty');
  if (key.length > maxKeyLength) throw badKey(`it is longer than ${maxKeyLength} characters`);
  if (!/^[\x20-\x7e]+$/.test(key)) throw badKey('only printable ASCII characters are allowed');
  return key;
}

function badKey(why: string): ApiError {
  return new ApiError('invalid_idempotency_key', `The Idempotency-Key header is not valid: ${why}. Send a quoted string such as "8e03978e-40d5-43e8-bc93-6894a57f9324".`);
}
