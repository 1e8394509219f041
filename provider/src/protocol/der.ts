/**
 * Just enough DER (X.690) to write the one fixed-shape certificate AutoMTLS needs. Node's crypto
 * makes keys and signatures but cannot build a certificate, and the ASN.1 libraries that can
 * (@peculiar/x509 with asn1js, pkijs, node-forge) cost 100-200 ms to load at every provider
 * start, more than the whole start-up budget. Parsing is left to node:crypto's X509Certificate.
 */

/** A tag-length-value element: `tag` is the identifier octet, `body` the encoded contents. */
export function tlv(tag: number, ...body: Uint8Array[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([Buffer.of(tag), derLength(content.length), content]);
}

/** The definite-length octets: short form below 128, long form otherwise. */
export function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.of(0x80 | bytes.length, ...bytes);
}

/** SEQUENCE of already encoded elements. */
export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, ...items);
/** SET of already encoded elements (callers pass one element, so no sorting is needed). */
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, ...items);
/** Context-specific constructed [n], for EXPLICIT tags. */
export const explicit = (n: number, ...items: Uint8Array[]): Buffer => tlv(0xa0 | n, ...items);
/** BOOLEAN. */
export const boolean = (v: boolean): Buffer => tlv(0x01, Buffer.of(v ? 0xff : 0x00));
/** OCTET STRING. */
export const octetString = (bytes: Uint8Array): Buffer => tlv(0x04, bytes);
/** BIT STRING holding whole bytes (or, with `unusedBits`, a named-bit list already shifted). */
export const bitString = (bytes: Uint8Array, unusedBits = 0): Buffer => tlv(0x03, Buffer.of(unusedBits), bytes);

/** INTEGER from big-endian unsigned bytes, kept positive and minimal. */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

/** OBJECT IDENTIFIER from dotted text, e.g. '2.5.4.3'. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A directory string: PrintableString when the text allows it (as Go writes), else UTF8String. */
export function directoryString(text: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text) ? tlv(0x13, Buffer.from(text, 'ascii')) : tlv(0x0c, Buffer.from(text, 'utf8'));
}

/** An X.509 Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5), whole seconds. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-12-01T13:24:43.123Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, ''); // 20261201132443
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii')) : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}
