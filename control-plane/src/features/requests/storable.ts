/**
 * Makes text from hooks, strategies and vendors storable. PostgreSQL refuses U+0000 in `text`
 * (22021) and in `jsonb` (22P05), and `jsonb` refuses unpaired UTF-16 surrogates; such output
 * must not fail a step after its effect happened, so it is stored with U+FFFD in their place.
 */
import type { JsonValue } from '@opensym/schemas';

// eslint-disable-next-line no-control-regex -- U+0000 is the character to find.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The warning recorded in an event whose data had to be changed to be stored. */
export const STORAGE_WARNING = 'text held U+0000 or unpaired surrogates, which the database cannot store; they were replaced with U+FFFD';

/** `text` with every unstorable character replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

// Any surrogate or U+0000: a quick test per string (a paired surrogate matches too; the copying
// walk then finds nothing to change).
// eslint-disable-next-line no-control-regex -- U+0000 is the character to find.
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

/**
 * Whether `value` may hold unstorable text: a read-only scan that stops at the first suspect
 * string (most values are clean). Four times faster than serializing the value to look.
 */
function mayHoldUnstorable(value: JsonValue | undefined): boolean {
  if (typeof value === 'string') return MAYBE_UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(mayHoldUnstorable);
  for (const key in value) if (MAYBE_UNSTORABLE.test(key) || mayHoldUnstorable(value[key])) return true;
  return false;
}

/** A JSON value (keys included) made storable; `changed` says whether anything was replaced. */
export function storableJson<T extends JsonValue | undefined>(value: T): { value: T; changed: boolean } {
  if (!mayHoldUnstorable(value)) return { value, changed: false };
  let changed = false;
  const walk = (v: JsonValue | undefined): JsonValue | undefined => {
    if (typeof v === 'string') {
      const s = storableText(v);
      if (s !== v) changed = true;
      return s;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x) as JsonValue);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const [k, x] of Object.entries(v)) {
        const key = storableText(k);
        if (key !== k) changed = true;
        out[key] = walk(x) as JsonValue;
      }
      return out;
    }
    return v;
  };
  const out = walk(value) as T;
  return { value: changed ? out : value, changed };
}
