/**
 * Detaching a deleted entity from the entities that still refer to it, where the reference sits
 * in an optional attribute (an environment's `integrations.slack_id`, `runtime_id`,
 * `log_destination_ids`, a flow's `params.strategy_id`, ...).
 *
 * Why: Terraform destroys a resource before it updates the resources that depended on it in
 * state (terraform's DestroyEdgeTransformer makes an update wait for the destroy of a stored
 * dependency). So an apply that points an environment at a new integration and removes the old
 * one deletes the old integration while the environment still names it; Sym's API accepts that
 * (its acceptance test `TestAccSymEnvironment_basic` does exactly this). A reference in a
 * required attribute (a flow's `environment_id`, a strategy's `targets`, a secret's
 * `source_id`) cannot be cleared without breaking its holder, so that delete stays refused.
 */
import type { AttributeSpec, BlockSpec, JsonValue, ResourceSpec } from '@opensym/schemas';
import type { EntityData } from './entity-shape';

type Shape = { attributes: Record<string, AttributeSpec>; blocks?: Record<string, BlockSpec> };

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The result of detaching: the new data and the top-level attributes it changed, or why it cannot. */
export type Detached = { ok: true; data: EntityData; changed: string[] } | { ok: false; pointer: string };

/**
 * `data` without its references to `id`. Refused (with the first such pointer) when one sits in
 * a required attribute; a reference in a map loses its key, in a list its element, else it
 * becomes null.
 */
export function detachReferences(spec: ResourceSpec, data: EntityData, id: string): Detached {
  const copy = structuredClone(data);
  const changed = new Set<string>();
  const refused = walk(spec, copy, id.toLowerCase(), [], changed);
  return refused === undefined ? { ok: true, data: copy, changed: [...changed].sort() } : { ok: false, pointer: refused };
}

function walk(shape: Shape, value: Record<string, JsonValue>, id: string, path: (string | number)[], changed: Set<string>): string | undefined {
  const top = (name: string) => String(path[0] ?? name);
  const pointer = (steps: (string | number)[]) => `/${steps.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  const is = (v: JsonValue | undefined) => typeof v === 'string' && v.toLowerCase() === id;
  for (const [name, attr] of Object.entries(shape.attributes)) {
    const v = value[name];
    if (!attr.references || v === undefined || v === null) continue;
    const hit = is(v) || (Array.isArray(v) && v.some(is)) || (isObject(v) && Object.values(v).some(is));
    if (!hit) continue;
    if (attr.presence === 'required') return pointer([...path, name]);
    if (Array.isArray(v)) value[name] = v.filter((e) => !is(e));
    else if (isObject(v)) value[name] = Object.fromEntries(Object.entries(v).filter(([, e]) => !is(e)));
    else value[name] = null;
    changed.add(top(name));
  }
  for (const [name, block] of Object.entries(shape.blocks ?? {})) {
    const v = value[name];
    const inner: [Record<string, JsonValue>, (string | number)[]][] = [];
    if (block.nesting === 'single' && isObject(v)) inner.push([v, [...path, name]]);
    else if (block.nesting === 'list' && Array.isArray(v)) v.forEach((e, i) => isObject(e) && inner.push([e, [...path, name, i]]));
    else if (block.nesting === 'map' && isObject(v)) for (const [k, e] of Object.entries(v)) if (isObject(e)) inner.push([e, [...path, name, k]]);
    for (const [obj, at] of inner) {
      const refused = walk(block, obj, id, at, changed);
      if (refused !== undefined) return refused;
    }
  }
  return undefined;
}
