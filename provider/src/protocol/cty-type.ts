/**
 * cty types in their JSON form (the same value the schema's `Attribute.type` carries), and the
 * implied object type of a schema block: the shape every DynamicValue of that block must have.
 */
import type { WireBlock } from './provider-server';
import { setOwn } from './set-own';

/** A cty type as type JSON: a primitive name or a [kind, element(s)] pair. */
export type CtyType =
  'string' | 'number' | 'bool' | 'dynamic' | readonly ['list' | 'set' | 'map', CtyType] | readonly ['object', { readonly [name: string]: CtyType }] | readonly ['tuple', readonly CtyType[]];

/**
 * Checks that an unknown value (schema attribute type, or a type JSON sent inside a dynamic
 * value) is a well-formed cty type; called when types are derived and when decoding dynamics.
 * Invalid type JSON in a schema panics the host, so we fail loudly here instead.
 */
export function asCtyType(t: unknown, where = 'type'): CtyType {
  if (t === 'string' || t === 'number' || t === 'bool' || t === 'dynamic') return t;
  if (Array.isArray(t) && t.length >= 2) {
    const [kind, arg] = t as [unknown, unknown];
    if (kind === 'list' || kind === 'set' || kind === 'map') return [kind, asCtyType(arg, where)];
    if (kind === 'object' && arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
      const attrs: Record<string, CtyType> = {};
      for (const [name, at] of Object.entries(arg)) setOwn(attrs, name, asCtyType(at, `${where}.${name}`));
      return ['object', attrs];
    }
    if (kind === 'tuple' && Array.isArray(arg)) return ['tuple', arg.map((e, i) => asCtyType(e, `${where}[${i}]`))];
  }
  throw new Error(`invalid cty type JSON at ${where}: ${JSON.stringify(t)}`);
}

/**
 * The implied object type of a block: every attribute plus every nested block type, the latter
 * by nesting mode (SINGLE/GROUP → object, LIST → list, SET → set, MAP → map of objects).
 * Called once per schema when the provider service first needs it.
 */
export function impliedType(block: WireBlock): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const a of block.attributes ?? []) attrs[a.name] = asCtyType(a.type, a.name);
  for (const nb of block.block_types ?? []) {
    const obj = impliedType(nb.block ?? { attributes: [], block_types: [] });
    switch (nb.nesting) {
      case 'SINGLE':
      case 'GROUP':
        attrs[nb.type_name] = obj;
        break;
      case 'LIST':
        attrs[nb.type_name] = ['list', obj];
        break;
      case 'SET':
        attrs[nb.type_name] = ['set', obj];
        break;
      case 'MAP':
        attrs[nb.type_name] = ['map', obj];
        break;
      default:
        throw new Error(`block type ${nb.type_name}: unsupported nesting ${String(nb.nesting)}`);
    }
  }
  return ['object', attrs];
}

/** Infers a type for a known value of a `dynamic` attribute; called when encoding one. */
export function inferCtyType(v: unknown): CtyType {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return ['tuple', v.map(inferCtyType)];
  if (v !== null && typeof v === 'object') {
    const attrs: Record<string, CtyType> = {};
    for (const [k, e] of Object.entries(v)) setOwn(attrs, k, inferCtyType(e));
    return ['object', attrs];
  }
  // null and unknown elements inside a dynamic value carry no type of their own.
  return 'dynamic';
}
