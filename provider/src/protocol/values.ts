/**
 * Framework-native Terraform values. The protocol layer decodes msgpack/JSON into these and
 * encodes them back; nothing above the protocol layer sees protobuf or msgpack.
 */

/** Marker for a value not known until apply. Refinements from the host are dropped. */
export const UNKNOWN: unique symbol = Symbol.for('opensym.tf.unknown');
/** The type of the unknown marker. */
export type Unknown = typeof UNKNOWN;

/**
 * A Terraform value: null, unknown, a primitive, a list/set/tuple (array) or an object/map
 * (plain object). Numbers outside the safe-integer range arrive as bigint or decimal strings.
 */
export type TfValue = null | Unknown | string | number | bigint | boolean | TfValue[] | { [key: string]: TfValue };

/** True when the value is the unknown marker. */
export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

/** True when the value and everything inside it is known. */
export function isWhollyKnown(v: TfValue): boolean {
  if (v === UNKNOWN) return false;
  if (Array.isArray(v)) return v.every(isWhollyKnown);
  if (v !== null && typeof v === 'object') return Object.values(v).every(isWhollyKnown);
  return true;
}

/**
 * One step of an attribute path: a string is an attribute name, a number a list index,
 * `{ key }` a map element key.
 */
export type PathStep = string | number | { key: string };
/** A path from the resource root to an attribute or element. */
export type AttributePath = PathStep[];

/** A user-facing problem. Summary is short Title Case; detail says how to fix it. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  path?: AttributePath;
}

/** True if any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
