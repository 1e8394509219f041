/**
 * Model ↔ API: Terraform values become API bodies (computed and provider-only attributes left
 * out, sourceOrPath attributes sent as source) and API entities become Terraform state.
 */
import { cloneValue, fromJson, hashAttributeNames, isEmptyOrNull, isObject, type ObjectSpec, type TfObject } from '../framework/object-spec';
import { resolveSource, sourceHash } from '../framework/source-or-path';
import { isUnknown, isWhollyKnown, type TfValue } from '../protocol/values';

/** The API body for a planned object: what the user controls, in Terraform shape. */
export function toApiBody(spec: ObjectSpec, value: TfObject, cwd: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (attr.presence === 'computed' || attr.providerOnly) continue;
    const v = value[name];
    // Unknown cannot reach apply for a configurable attribute; leaving it out is the safe reading.
    if (v === undefined || isUnknown(v)) continue;
    // Sym's empty spelling of "unset" reaches the API as null (an empty id or source is no value).
    if (attr.emptyEqualsNull && isEmptyOrNull(v)) body[name] = null;
    else body[name] = attr.sourceOrPath && typeof v === 'string' ? resolveSource(v, cwd) : toJson(v);
  }
  for (const [name, block] of Object.entries(spec.blocks ?? {})) {
    const v = value[name];
    if (block.terraformNesting === 'list') {
      // Terraform's list of at most one is the API's single object.
      const first = Array.isArray(v) ? v.find(isObject) : undefined;
      body[name] = first ? toApiBody(block, first, cwd) : null;
    } else if (block.nesting === 'single') body[name] = isObject(v) ? toApiBody(block, v, cwd) : null;
    else if (block.nesting === 'list') body[name] = Array.isArray(v) ? v.filter(isObject).map((e) => toApiBody(block, e, cwd)) : [];
    else
      body[name] = isObject(v)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, e]) => isObject(e))
              .map(([k, e]) => [k, toApiBody(block, e as TfObject, cwd)]),
          )
        : {};
  }
  return body;
}

/** Terraform state for an API entity: every attribute present, sources hashed, blocks never null. */
export function stateFromEntity(spec: ObjectSpec, entity: Record<string, unknown>): TfObject {
  const out: TfObject = {};
  const hashes = hashAttributeNames(spec);
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (hashes.has(name)) continue;
    out[name] = attr.providerOnly ? null : fromJson(entity[name]);
  }
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (!attr.sourceOrPath) continue;
    const src = out[name];
    out[attr.sourceOrPath.hashAttribute] = typeof src === 'string' ? sourceHash(src) : null;
  }
  for (const [name, block] of Object.entries(spec.blocks ?? {})) {
    const v = entity[name];
    if (block.terraformNesting === 'list') out[name] = isObject(v) ? [stateFromEntity(block, v)] : [];
    else if (block.nesting === 'single') out[name] = isObject(v) ? stateFromEntity(block, v) : null;
    else if (block.nesting === 'list') out[name] = Array.isArray(v) ? v.filter(isObject).map((e) => stateFromEntity(block, e)) : [];
    else
      out[name] = isObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .filter((k) => isObject(v[k]))
              .map((k) => [k, stateFromEntity(block, v[k] as TfObject)]),
          )
        : {};
  }
  return out;
}

/**
 * The state after create/update: every value known in the plan comes back unchanged (Terraform
 * requires it; e.g. `implementation` stays the configured path), unknowns are filled from the API.
 */
export function mergePlanned(planned: TfValue, fresh: TfValue | undefined): TfValue {
  if (isUnknown(planned)) return fresh === undefined || isUnknown(fresh) ? null : cloneValue(fresh);
  if (isWhollyKnown(planned)) return cloneValue(planned);
  if (Array.isArray(planned)) return planned.map((p, i) => mergePlanned(p, Array.isArray(fresh) ? fresh[i] : undefined));
  if (isObject(planned)) {
    const f = isObject(fresh) ? fresh : {};
    return Object.fromEntries(Object.entries(planned).map(([k, p]) => [k, mergePlanned(p, f[k])]));
  }
  return planned;
}

/**
 * The state after a refresh: the API's values, so out-of-band changes show in the plan, but
 * kept as the user wrote them where they mean the same: a source whose hash is unchanged keeps
 * the configured path or text; a caseInsensitive name differing only in case; null vs empty collections; provider-only values; secrets the API
 * does not echo.
 */
export function reconcileRead(spec: ObjectSpec, prior: TfObject | undefined, fresh: TfObject): TfObject {
  const out: TfObject = { ...fresh };
  const hashes = hashAttributeNames(spec);
  for (const [name, attr] of Object.entries(spec.attributes)) {
    const p = prior?.[name];
    if (hashes.has(name)) continue;
    if (attr.sourceOrPath) {
      // After import there is no prior: state holds the API's source itself.
      if (typeof p === 'string') out[name] = p;
      // A different hash with the prior text kept makes the plan show the change back.
      continue;
    }
    if (attr.providerOnly) {
      out[name] = p === undefined ? null : p;
      continue;
    }
    if (p === undefined) continue;
    const f = out[name];
    // The API lowercases names (as Sym's does): the user's spelling stays, so no drift shows.
    if (attr.caseInsensitive && typeof p === 'string' && typeof f === 'string' && p.toLowerCase() === f.toLowerCase()) {
      out[name] = p;
      continue;
    }
    // Null and empty are one value here: keep the prior's spelling (Sym's state has the empty one).
    if (attr.emptyEqualsNull && isEmptyOrNull(p) && isEmptyOrNull(f)) out[name] = cloneValue(p);
    else if (p === null && isEmptyCollection(f)) out[name] = null;
    else if (isEmptyCollection(p) && f === null) out[name] = cloneValue(p);
    else if (attr.sensitive && f === null && p !== null) out[name] = p;
  }
  for (const [name, block] of Object.entries(spec.blocks ?? {})) {
    const p = prior?.[name];
    const f = out[name];
    if (block.nesting === 'single') {
      if (isObject(f)) out[name] = reconcileRead(block, isObject(p) ? p : undefined, f);
    } else if (block.nesting === 'list' && Array.isArray(f)) {
      out[name] = f.map((e, i) => (isObject(e) ? reconcileRead(block, Array.isArray(p) && isObject(p[i]) ? (p[i] as TfObject) : undefined, e) : e));
    } else if (isObject(f)) {
      out[name] = Object.fromEntries(Object.entries(f).map(([k, e]) => [k, isObject(e) ? reconcileRead(block, isObject(p) && isObject(p[k]) ? (p[k] as TfObject) : undefined, e) : e]));
    }
  }
  return out;
}

function isEmptyCollection(v: TfValue | undefined): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function toJson(v: TfValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}
