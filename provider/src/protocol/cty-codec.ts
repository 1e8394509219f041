/**
 * The DynamicValue codec: msgpack (or JSON) bytes ⇄ framework TfValues, always against a cty
 * type derived from the schema, because the wire shape depends on the type (dynamic values are
 * wrapped with their type, objects must carry every attribute, numbers may be strings).
 */
import { encode, ExtData } from '@msgpack/msgpack';
import { UNKNOWN, type TfValue } from './values';
import { asCtyType, inferCtyType, type CtyType } from './cty-type';
import { DECIMAL_NUMBER, narrowBigInt, numberFromText } from './cty-number';
import { readMsgpack } from './msgpack-reader';
import { parseExactJson } from './parse-exact-json';
import { setOwn } from './set-own';

/** The two encodings a tfplugin6 DynamicValue may carry; absent or empty bytes mean null. */
export interface DynamicValueBytes {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

// Every extension type is an unknown: type 0 from old hosts, type 12 (refined unknown, payload
// a map of refinements we ignore) from Terraform ≥ 1.6 and OpenTofu, and anything newer.
const unknownExtension = () => UNKNOWN;

// go-cty's plain unknown: extension type 0 with a one-byte payload, the bytes d4 00 00.
const UNKNOWN_EXT = new ExtData(0, Uint8Array.of(0));

const INT64_MIN = -(BigInt(1) << BigInt(63));
const UINT64_MAX = (BigInt(1) << BigInt(64)) - BigInt(1);

/** Decodes a request's DynamicValue against the schema type; called for every state/config field. */
export function decodeDynamicValue(dv: DynamicValueBytes | null | undefined, type: CtyType): TfValue {
  if (dv?.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv?.json && dv.json.length > 0) return decodeJson(Buffer.from(dv.json).toString('utf8'), type);
  return null;
}

/**
 * Decodes cty msgpack bytes; int64s come in as bigint and are narrowed when exact. Read by our
 * own reader, not @msgpack/msgpack's decoder, which rejects a `__proto__` map key.
 */
export function decodeMsgpack(bytes: Uint8Array, type: CtyType): TfValue {
  const raw = readMsgpack(bytes, unknownExtension);
  return conform(raw, type, '', 'msgpack');
}

/**
 * Decodes cty JSON (RawState.json, or a JSON DynamicValue) against a type: missing attributes
 * become null and keys the type lacks are dropped, so old state fits the current schema.
 */
export function decodeJson(text: string, type: CtyType): TfValue {
  return conform(parseExactJson(text), type, '', 'json');
}

/**
 * Encodes a TfValue as cty msgpack for a response; called for every state the provider returns.
 * Missing object attributes are written as null and keys the type lacks are dropped; UNKNOWN is
 * written as d4 00 00. Values of the wrong kind throw (a framework bug, reported as a diagnostic).
 */
export function encodeMsgpack(value: TfValue, type: CtyType): Uint8Array {
  return encode(toWire(value, type, ''), { useBigInt64: true });
}

type Form = 'msgpack' | 'json';

function conform(raw: unknown, type: CtyType, path: string, form: Form): TfValue {
  if (raw === null || raw === undefined) return null;
  if (raw === UNKNOWN) return UNKNOWN;
  if (type === 'dynamic') return conformDynamic(raw, path, form);
  if (type === 'string') {
    if (typeof raw === 'string') return raw;
    if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw);
    return mismatch(raw, type, path);
  }
  if (type === 'number') {
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'bigint') return narrowBigInt(raw);
    if (typeof raw === 'string') {
      const n = numberFromText(raw);
      if (n !== undefined) return n;
    }
    return mismatch(raw, type, path);
  }
  if (type === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    return mismatch(raw, type, path);
  }
  const [kind, arg] = type;
  switch (kind) {
    case 'list':
    case 'set':
      if (!Array.isArray(raw)) return mismatch(raw, type, path);
      return raw.map((e, i) => conform(e, arg, `${path}[${i}]`, form));
    case 'tuple':
      if (!Array.isArray(raw) || raw.length !== arg.length) return mismatch(raw, type, path);
      return raw.map((e, i) => conform(e, arg[i]!, `${path}[${i}]`, form));
    case 'map': {
      if (!isPlainObject(raw)) return mismatch(raw, type, path);
      const out: Record<string, TfValue> = {};
      for (const [k, e] of Object.entries(raw)) setOwn(out, k, conform(e, arg, `${path}[${JSON.stringify(k)}]`, form));
      return out;
    }
    case 'object': {
      if (!isPlainObject(raw)) return mismatch(raw, type, path);
      const out: Record<string, TfValue> = {};
      for (const [name, at] of Object.entries(arg)) {
        const e = Object.hasOwn(raw, name) ? raw[name] : null;
        setOwn(out, name, conform(e, at, `${path}.${name}`, form));
      }
      return out;
    }
  }
}

// A known dynamic value is wrapped with its concrete type: msgpack [typeJSON, value] (type as
// bin or str), JSON {"value": …, "type": …}. Anything else is taken as-is, untyped.
function conformDynamic(raw: unknown, path: string, form: Form): TfValue {
  if (form === 'msgpack' && Array.isArray(raw) && raw.length === 2 && (raw[0] instanceof Uint8Array || typeof raw[0] === 'string')) {
    const typeText = typeof raw[0] === 'string' ? raw[0] : Buffer.from(raw[0]).toString('utf8');
    return conform(raw[1], asCtyType(JSON.parse(typeText), `${path || 'value'} (dynamic)`), path, form);
  }
  if (form === 'json' && isPlainObject(raw) && Object.hasOwn(raw, 'type') && Object.hasOwn(raw, 'value')) {
    return conform(raw.value, asCtyType(raw.type, `${path || 'value'} (dynamic)`), path, form);
  }
  return untyped(raw, path);
}

function untyped(raw: unknown, path: string): TfValue {
  if (raw === null || raw === undefined) return null;
  if (raw === UNKNOWN || typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'bigint') return narrowBigInt(raw);
  if (Array.isArray(raw)) return raw.map((e, i) => untyped(e, `${path}[${i}]`));
  if (isPlainObject(raw)) {
    const out: Record<string, TfValue> = {};
    for (const [k, e] of Object.entries(raw)) setOwn(out, k, untyped(e, `${path}.${k}`));
    return out;
  }
  return mismatch(raw, 'dynamic', path);
}

function toWire(value: TfValue | undefined, type: CtyType, path: string): unknown {
  if (value === null || value === undefined) return null;
  if (value === UNKNOWN) return UNKNOWN_EXT;
  if (type === 'dynamic') {
    const concrete = inferCtyType(value);
    return [Buffer.from(JSON.stringify(concrete)), toWire(value, concrete, path)];
  }
  if (type === 'string') {
    if (typeof value === 'string') return value.normalize('NFC');
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    return mismatch(value, type, path);
  }
  if (type === 'number') {
    if (typeof value === 'number') return Number.isNaN(value) ? mismatch(value, type, path) : value;
    if (typeof value === 'bigint') return wireBigInt(value);
    if (typeof value === 'string' && DECIMAL_NUMBER.test(value.trim())) {
      const n = numberFromText(value)!;
      return typeof n === 'bigint' ? wireBigInt(n) : n;
    }
    return mismatch(value, type, path);
  }
  if (type === 'bool') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return mismatch(value, type, path);
  }
  const [kind, arg] = type;
  switch (kind) {
    case 'list':
    case 'set':
      if (!Array.isArray(value)) return mismatch(value, type, path);
      return value.map((e, i) => toWire(e, arg, `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(value) || value.length !== arg.length) return mismatch(value, type, path);
      return value.map((e, i) => toWire(e, arg[i]!, `${path}[${i}]`));
    case 'map': {
      if (!isPlainObject(value)) return mismatch(value, type, path);
      // Null-prototype objects: the encoder walks Object.keys, and keys are user data.
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, e] of Object.entries(value)) out[k] = toWire(e, arg, `${path}[${JSON.stringify(k)}]`);
      return out;
    }
    case 'object': {
      if (!isPlainObject(value)) return mismatch(value, type, path);
      const out: Record<string, unknown> = Object.create(null);
      for (const [name, at] of Object.entries(arg)) {
        out[name] = toWire(Object.hasOwn(value, name) ? value[name] : null, at, `${path}.${name}`);
      }
      return out;
    }
  }
}

// int64/uint64 fit msgpack ints; anything wider goes as a decimal string, which hosts accept.
function wireBigInt(b: bigint): number | bigint | string {
  const n = narrowBigInt(b);
  if (typeof n === 'number') return n;
  return n >= INT64_MIN && n <= UINT64_MAX ? n : n.toString();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof ExtData);
}

// Names the JS kind only: values may be secrets and must not reach messages or logs.
function mismatch(v: unknown, type: CtyType, path: string): never {
  const got = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  throw new TypeError(`value at ${path || '(root)'} is a ${got}, which does not fit cty type ${JSON.stringify(type)}`);
}
