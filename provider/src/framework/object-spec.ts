/**
 * Walking Terraform values alongside the schema model: shapes, equality and cloning. Resources and
 * blocks share one shape (`attributes` + `blocks`), so every walker handles nesting the same way.
 */
import type { AttributeSpec, BlockSpec } from '@opensym/schemas';
import { UNKNOWN, isUnknown, type TfValue } from '../protocol/values';

/** Anything with attributes and nested blocks: a resource, a block, the provider. */
export interface ObjectSpec {
  attributes: Record<string, AttributeSpec>;
  blocks?: Record<string, BlockSpec>;
}

/** A Terraform object value (a resource's state, a block element). */
export type TfObject = { [key: string]: TfValue };

/** True for a plain object value (not null, unknown, or an array). */
export function isObject(v: unknown): v is TfObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The value Terraform expects for an absent block: [] for list, {} for map, null for single. */
export function emptyBlockValue(block: BlockSpec): TfValue {
  return block.nesting === 'list' ? [] : block.nesting === 'map' ? {} : null;
}

/** An object of this shape with every attribute null and every block empty. */
export function nullObject(spec: ObjectSpec): TfObject {
  const out: TfObject = {};
  for (const name of Object.keys(spec.attributes)) out[name] = null;
  for (const [name, block] of Object.entries(spec.blocks ?? {})) out[name] = emptyBlockValue(block);
  return out;
}

/**
 * Fits loosely shaped data (raw state JSON, an API entity) to the schema: unknown keys dropped,
 * missing attributes null, blocks never null unless single.
 */
export function shapeObject(spec: ObjectSpec, raw: unknown): TfObject {
  const src = isObject(raw) ? raw : {};
  const out: TfObject = {};
  for (const name of Object.keys(spec.attributes)) out[name] = fromJson(src[name]);
  for (const [name, block] of Object.entries(spec.blocks ?? {})) out[name] = shapeBlock(block, src[name]);
  return out;
}

/** Fits a block's raw value to its nesting mode (see shapeObject). */
export function shapeBlock(block: BlockSpec, raw: unknown): TfValue {
  if (block.nesting === 'single') return isObject(raw) ? shapeObject(block, raw) : null;
  if (block.nesting === 'list') return Array.isArray(raw) ? raw.map((e) => shapeObject(block, e)) : [];
  if (!isObject(raw)) return {};
  return Object.fromEntries(
    Object.keys(raw)
      .sort()
      .map((k) => [k, shapeObject(block, raw[k])]),
  );
}

/** Converts arbitrary JSON-ish data to a TfValue (undefined → null). */
export function fromJson(v: unknown): TfValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === 'object') {
    if (isUnknown(v)) return UNKNOWN;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJson(x)]));
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  return null;
}

/** Structural equality of Terraform values; unknown equals only unknown, 1n equals 1. */
export function valuesEqual(a: TfValue | undefined, b: TfValue | undefined): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return Number(a) === Number(b) && String(a) === String(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!valuesEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** A deep copy that keeps the unknown marker and bigints. */
export function cloneValue<T extends TfValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T;
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneValue(x)])) as T;
  return v;
}

/** Replaces every unknown left in a value by null (state after apply/read must be wholly known). */
export function unknownsToNull(v: TfValue): TfValue {
  if (isUnknown(v)) return null;
  if (Array.isArray(v)) return v.map(unknownsToNull);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unknownsToNull(x)]));
  return v;
}

/** True for null and the empty values `""`, `[]` and `{}` (one value for emptyEqualsNull attributes). */
export function isEmptyOrNull(v: TfValue | undefined): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** The names of the hash attributes fed by sourceOrPath attributes of this object. */
export function hashAttributeNames(spec: ObjectSpec): Set<string> {
  const out = new Set<string>();
  for (const a of Object.values(spec.attributes)) if (a.sourceOrPath) out.add(a.sourceOrPath.hashAttribute);
  return out;
}

/** True for attributes the system may fill (computed or optional+computed). */
export function isComputed(a: AttributeSpec): boolean {
  return a.presence === 'computed' || a.presence === 'optional_computed' || a.default !== undefined;
}

/**
 * Calls `fn` for this object and every block element inside it, with the element's config and
 * prior counterparts (list elements by index, map elements by label).
 */
export function forEachObject(
  spec: ObjectSpec,
  value: TfObject,
  others: { config?: TfValue; prior?: TfValue },
  fn: (spec: ObjectSpec, value: TfObject, config: TfObject | undefined, prior: TfObject | undefined, path: (string | number | { key: string })[]) => void,
  path: (string | number | { key: string })[] = [],
): void {
  const config = isObject(others.config) ? others.config : undefined;
  const prior = isObject(others.prior) ? others.prior : undefined;
  fn(spec, value, config, prior, path);
  for (const [name, block] of Object.entries(spec.blocks ?? {})) {
    const v = value[name];
    const c = config?.[name];
    const p = prior?.[name];
    if (block.nesting === 'single') {
      if (isObject(v)) forEachObject(block, v, { config: c, prior: p }, fn, [...path, name]);
    } else if (block.nesting === 'list') {
      if (Array.isArray(v)) {
        v.forEach((el, i) => {
          if (isObject(el)) {
            const ci = Array.isArray(c) ? c[i] : undefined;
            const pi = Array.isArray(p) ? p[i] : undefined;
            forEachObject(block, el, { config: ci, prior: pi }, fn, [...path, name, i]);
          }
        });
      }
    } else if (isObject(v)) {
      for (const [k, el] of Object.entries(v)) {
        if (isObject(el)) {
          forEachObject(block, el, { config: isObject(c) ? c[k] : undefined, prior: isObject(p) ? p[k] : undefined }, fn, [...path, name, { key: k }]);
        }
      }
    }
  }
}
