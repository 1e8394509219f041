/**
 * Number conversions between cty's arbitrary-precision numbers and JS. A cty number reaches us as
 * a msgpack int, float64 or decimal string, or as JSON text; JS keeps it as a number when that is
 * exact, a bigint for big integers, and the decimal string otherwise.
 */

/** Matches a decimal number as cty writes it: optional sign, digits, fraction, exponent. */
export const DECIMAL_NUMBER = /^-?(?:\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/**
 * Converts decimal text (a msgpack numeric string or a JSON number literal) to the exact JS form;
 * called by the codec and the exact JSON parser. Returns undefined for text that is not a number.
 */
export function numberFromText(text: string): number | bigint | string | undefined {
  const s = text.trim();
  if (!DECIMAL_NUMBER.test(s)) return undefined;
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : BigInt(s);
  }
  const n = Number(s);
  // Up to 15 significant decimal digits always survive a round trip through float64.
  if (Number.isFinite(n) && significantDigits(s) <= 15) return n;
  return s;
}

function significantDigits(s: string): number {
  const mantissa = s
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

/** Narrows a bigint to a number when that is exact; called on every int64 decoded from msgpack. */
export function narrowBigInt(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}
