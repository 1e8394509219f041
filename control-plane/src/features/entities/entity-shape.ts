import { derivedSlug, isApiAttribute, type AttributeSpec, type BlockSpec, type JsonValue, type ResourceSpec } from '@opensym/schemas';
import { jsonPointer } from '../../errors/api-error';

/** Attribute values of an entity as stored and returned (Terraform shape, snake_case keys). */
export type EntityData = Record<string, JsonValue>;

/** An id found in an entity's attributes that must name an entity of `kind` in the same org. */
export interface ReferenceSlot {
  /** JSON pointer of the value, e.g. `/params/strategy_id` or `/targets/0`. */
  pointer: string;
  kind: string;
  id: string;
}

type Shape = { attributes: Record<string, AttributeSpec>; blocks?: Record<string, BlockSpec> };

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The complete attribute set of an entity: every API attribute present, `null` where unset, and
 * defaults filled where the value is absent or null (null means "not configured" to Terraform).
 * Applied before storing and again when reading, so entities stored before a new attribute
 * existed still answer with it.
 */
export function normalizeEntityData(spec: ResourceSpec, data: EntityData): EntityData {
  return normalizeObject(spec, data);
}

function normalizeObject(shape: Shape, value: Record<string, JsonValue>): EntityData {
  const out: EntityData = {};
  for (const [name, attr] of Object.entries(shape.attributes)) {
    if (!isApiAttribute(attr, 'create')) continue;
    const v = value[name];
    // Sym's API keeps names lowercased; rows written before this rule read the same way.
    out[name] = v === undefined || v === null ? (attr.default ?? null) : attr.caseInsensitive && typeof v === 'string' ? v.toLowerCase() : v;
  }
  for (const [name, block] of Object.entries(shape.blocks ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) out[name] = null;
    else if (block.nesting === 'single') out[name] = isObject(v) ? normalizeObject(block, v) : v;
    else if (block.nesting === 'list') out[name] = Array.isArray(v) ? v.map((e) => (isObject(e) ? normalizeObject(block, e) : e)) : v;
    else out[name] = isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, isObject(e) ? normalizeObject(block, e) : e])) : v;
  }
  return out;
}

/** Every entity id the data refers to, with where it sits, per the spec's `references` markers. */
export function referenceSlots(spec: ResourceSpec, data: EntityData): ReferenceSlot[] {
  const slots: ReferenceSlot[] = [];
  collect(spec, data, [], slots);
  return slots;
}

function collect(shape: Shape, value: Record<string, JsonValue>, path: (string | number)[], out: ReferenceSlot[]): void {
  for (const [name, attr] of Object.entries(shape.attributes)) {
    const v = value[name];
    if (!attr.references || v === undefined || v === null) continue;
    const kind = attr.references;
    const at = [...path, name];
    if (typeof v === 'string') out.push({ pointer: jsonPointer(at), kind, id: v });
    else if (Array.isArray(v)) v.forEach((e, i) => typeof e === 'string' && out.push({ pointer: jsonPointer([...at, i]), kind, id: e }));
    else if (isObject(v)) for (const [k, e] of Object.entries(v)) if (typeof e === 'string') out.push({ pointer: jsonPointer([...at, k]), kind, id: e });
  }
  for (const [name, block] of Object.entries(shape.blocks ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    const at = [...path, name];
    if (block.nesting === 'single' && isObject(v)) collect(block, v, at, out);
    else if (block.nesting === 'list' && Array.isArray(v)) v.forEach((e, i) => isObject(e) && collect(block, e, [...at, i], out));
    else if (block.nesting === 'map' && isObject(v)) for (const [k, e] of Object.entries(v)) if (isObject(e)) collect(block, e, [...at, k], out);
  }
}

/** The columns derived from an entity's attributes that make it findable and unique. */
export interface EntityIdentity {
  type: string | null;
  name: string | null;
  /** Lowercased name (or path for secrets, or the slug Sym derives: `identity.by === 'slug'`), matched by `?slug=`. */
  slug: string | null;
  /** Unique per org and kind; encodes the spec's identity rule (see `Entity.naturalKey`). */
  naturalKey: string;
  /** Where a clash is reported: `/name`, `/path`, or the whole body for singletons. */
  conflictPointer: string;
}

/** Derives identity columns; `id` is the entity's own id, used as the key when there is no natural one. */
export function entityIdentity(spec: ResourceSpec, data: EntityData, id: string): EntityIdentity {
  const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : null);
  const type = str(data.type);
  const name = str(data.name);
  switch (spec.identity.by) {
    case 'name': {
      const slug = name?.toLowerCase() ?? null;
      return { type, name, slug, naturalKey: JSON.stringify(['name', slug]), conflictPointer: '/name' };
    }
    case 'type_name': {
      const slug = name?.toLowerCase() ?? null;
      return { type, name, slug, naturalKey: JSON.stringify(['type_name', type ?? '', slug]), conflictPointer: '/name' };
    }
    case 'path': {
      const slug = str(data.path)?.toLowerCase() ?? null;
      // Sym keeps one secret per value: two secrets on one path that pick different JSON keys
      // (`settings.json_key`) are different values. Without a key the 3-part key is kept, so rows
      // written before this rule keep their key.
      const settings = data.settings;
      const jsonKey = isObject(settings) ? str(settings.json_key) : null;
      const key = jsonKey ? ['path', str(data.source_id), slug, jsonKey] : ['path', str(data.source_id), slug];
      return { type, name, slug, naturalKey: JSON.stringify(key), conflictPointer: '/path' };
    }
    case 'singleton':
      return { type, name, slug: name?.toLowerCase() ?? null, naturalKey: JSON.stringify(['singleton']), conflictPointer: '' };
    case 'slug':
      // Sym's slug (e.g. an error logger's destination) finds it, but need not be unique.
      return { type, name, slug: derivedSlug(spec.identity, data), naturalKey: JSON.stringify(['id', id]), conflictPointer: '' };
    case 'id':
      return { type, name, slug: name?.toLowerCase() ?? null, naturalKey: JSON.stringify(['id', id]), conflictPointer: '' };
  }
}
