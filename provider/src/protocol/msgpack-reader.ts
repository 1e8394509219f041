/**
 * A msgpack decoder for cty values. @msgpack/msgpack refuses a map key `__proto__` outright (a
 * DecodeError, so a `map(string)` with that key failed as an internal error); cty map keys are
 * user data, so this reader builds maps as null-prototype objects where every key is plain data.
 * It reads the whole format; 64-bit integers come back as bigint, extensions through `ext`.
 */

/** Maps an extension value (cty: every extension type is an unknown). */
export type ExtensionReader = (type: number, data: Uint8Array) => unknown;

const MAX_DEPTH = 1000;
const utf8 = new TextDecoder('utf-8');

/** Decodes one msgpack value that must span all of `bytes`; called for every msgpack DynamicValue. */
export function readMsgpack(bytes: Uint8Array, ext: ExtensionReader): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const fail = (what: string): never => {
    throw new RangeError(`invalid msgpack at offset ${pos}: ${what}`);
  };
  const need = (n: number) => {
    if (pos + n > bytes.length) fail('unexpected end of data');
  };
  /** Offset of the next `n` bytes, which are then consumed. */
  const at = (n: number): number => {
    need(n);
    pos += n;
    return pos - n;
  };
  const take = (n: number): Uint8Array => bytes.subarray(at(n), pos);
  const u8 = () => view.getUint8(at(1));
  const u16 = () => view.getUint16(at(2));
  const u32 = () => view.getUint32(at(4));
  // Every element takes at least one byte: a length beyond the rest is corrupt, and refusing it
  // early keeps a forged header from allocating a huge array.
  const count = (n: number, perItem: number) => (n * perItem > bytes.length - pos ? fail(`length ${n} exceeds the data`) : n);

  const str = (n: number) => utf8.decode(take(n));
  const array = (n: number, depth: number) => {
    const out: unknown[] = new Array(count(n, 1));
    for (let i = 0; i < n; i++) out[i] = value(depth + 1);
    return out;
  };
  const map = (n: number, depth: number) => {
    const out: Record<string, unknown> = Object.create(null);
    count(n, 2);
    for (let i = 0; i < n; i++) {
      const key = value(depth + 1);
      if (typeof key !== 'string') fail(`map key is a ${typeof key}, not a string`);
      out[key as string] = value(depth + 1);
    }
    return out;
  };
  const extension = (n: number) => {
    const type = view.getInt8(at(1));
    return ext(type, take(n));
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    const start = pos;
    const b = u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b >= 0xa0 && b <= 0xbf) return str(b & 0x1f);
    if (b >= 0x90 && b <= 0x9f) return array(b & 0x0f, depth);
    if (b >= 0x80 && b <= 0x8f) return map(b & 0x0f, depth);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return take(u8()).slice();
      case 0xc5:
        return take(u16()).slice();
      case 0xc6:
        return take(u32()).slice();
      case 0xc7:
        return extension(u8());
      case 0xc8:
        return extension(u16());
      case 0xc9:
        return extension(u32());
      case 0xca:
        return view.getFloat32(at(4));
      case 0xcb:
        return view.getFloat64(at(8));
      case 0xcc:
        return u8();
      case 0xcd:
        return u16();
      case 0xce:
        return u32();
      case 0xcf:
        return view.getBigUint64(at(8));
      case 0xd0:
        return view.getInt8(at(1));
      case 0xd1:
        return view.getInt16(at(2));
      case 0xd2:
        return view.getInt32(at(4));
      case 0xd3:
        return view.getBigInt64(at(8));
      case 0xd4:
        return extension(1);
      case 0xd5:
        return extension(2);
      case 0xd6:
        return extension(4);
      case 0xd7:
        return extension(8);
      case 0xd8:
        return extension(16);
      case 0xd9:
        return str(u8());
      case 0xda:
        return str(u16());
      case 0xdb:
        return str(u32());
      case 0xdc:
        return array(u16(), depth);
      case 0xdd:
        return array(u32(), depth);
      case 0xde:
        return map(u16(), depth);
      case 0xdf:
        return map(u32(), depth);
    }
    pos = start;
    return fail(`unused type byte 0x${b.toString(16)}`);
  };

  const result = value(0);
  if (pos !== bytes.length) fail('trailing bytes');
  return result;
}
