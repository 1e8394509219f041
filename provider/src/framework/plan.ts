/**
 * PlanResourceChange, in terraform-plugin-framework's order: defaults, provider-derived values
 * (implementation hashes), case-only differences of caseInsensitive attributes kept, computed attributes without config marked unknown when anything
 * changes, attribute plan modifiers (useStateForUnknown, requiresReplace), then the resource's
 * own plan modifier. Pure and deterministic: it runs again during apply and must agree.
 */
import type { ResourceSpec } from '@opensym/schemas';
import { cloneValue, forEachObject, hashAttributeNames, isComputed, isEmptyOrNull, isObject, valuesEqual, type ObjectSpec, type TfObject } from './object-spec';
import { resolveSource, sourceHash } from './source-or-path';
import { UNKNOWN, isUnknown, isWhollyKnown, type AttributePath, type TfValue } from '../protocol/values';

/** The inputs of one plan: the host's prior state, proposed new state and config. */
export interface PlanInput {
  spec: ResourceSpec;
  prior: TfValue;
  proposed: TfValue;
  config: TfValue;
  /** Directory relative paths in sourceOrPath attributes are resolved from. */
  cwd: string;
  /** A resource-level plan modifier, run last (e.g. composite resources' computed maps). */
  modifyPlan?: (prior: TfObject | null, planned: TfObject, config: TfObject) => void;
}

/** The planned state and the attribute paths whose change forces replacement. */
export interface PlanOutput {
  planned: TfValue;
  requiresReplace: AttributePath[];
}

/** Plans one resource change; see the module comment for the order of steps. */
export function planResource(input: PlanInput): PlanOutput {
  const { spec, cwd } = input;
  // A null proposed state is a destroy; nothing to decide.
  if (input.proposed === null || !isObject(input.proposed)) return { planned: null, requiresReplace: [] };
  const prior = isObject(input.prior) ? input.prior : null;
  const config = isObject(input.config) ? input.config : {};
  const planned = cloneValue(input.proposed);

  forEachObject(spec, planned, { config }, (objSpec, value, cfg) => applyDefaults(objSpec, value, cfg));
  forEachObject(spec, planned, { config, prior: prior ?? undefined }, (objSpec, value, cfg, pri) => planEmptyEqualsNull(objSpec, value, cfg, pri));
  forEachObject(spec, planned, {}, (objSpec, value) => planHashes(objSpec, value, cwd));
  forEachObject(spec, planned, { prior: prior ?? undefined }, (objSpec, value, _cfg, pri) => keepPriorCase(objSpec, value, pri));

  if (prior === null || !valuesEqual(planned, prior)) {
    forEachObject(spec, planned, { config, prior: prior ?? undefined }, (objSpec, value, cfg, pri) => {
      markComputedUnknown(objSpec, value, cfg);
      keepStateForUnknown(objSpec, value, pri);
    });
  }

  input.modifyPlan?.(prior, planned, config);

  const requiresReplace: AttributePath[] = [];
  if (prior !== null) {
    forEachObject(spec, planned, { prior }, (objSpec, value, _cfg, pri, path) => {
      for (const [name, attr] of Object.entries(objSpec.attributes)) {
        if (!attr.requiresReplace) continue;
        // A new block element has no prior; its creation is the block's change, not a replacement cause.
        if (pri === undefined) continue;
        if (!valuesEqual(value[name], pri[name])) requiresReplace.push([...path, name]);
      }
    });
  }
  return { planned, requiresReplace };
}

/**
 * caseInsensitive attributes (Sym's names): a value that differs from the prior only in case is
 * no change, so the prior spelling is planned (state taken over from Sym holds the API's
 * lowercase name while the configuration may say `MyFlow`). Terraform accepts a planned value
 * that differs from the configuration when it is the prior value unchanged (objchange's
 * assertPlannedValueValid: "functionally equivalent"), as with Sym's DiffSuppressFunc.
 */
function keepPriorCase(spec: ObjectSpec, value: TfObject, prior: TfObject | undefined): void {
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (!attr.caseInsensitive) continue;
    const v = value[name];
    const p = prior?.[name];
    if (typeof v === 'string' && typeof p === 'string' && v !== p && v.toLowerCase() === p.toLowerCase()) value[name] = p;
  }
}

/** Optional+computed attributes with a default get it when the config leaves them null. */
function applyDefaults(spec: ObjectSpec, value: TfObject, config: TfObject | undefined): void {
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (attr.default === undefined) continue;
    const c = config?.[name] ?? null;
    if (c === null) value[name] = cloneValue(attr.default as TfValue);
  }
}

/**
 * emptyEqualsNull attributes (Sym's convention): null and the empty value are one value, so
 * whichever spelling the prior state has is kept when the config has either; a config that
 * leaves the attribute out of a non-empty prior clears it (Terraform proposed the prior value,
 * as it does for every computed attribute).
 */
function planEmptyEqualsNull(spec: ObjectSpec, value: TfObject, config: TfObject | undefined, prior: TfObject | undefined): void {
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (!attr.emptyEqualsNull) continue;
    const c = config?.[name] ?? null;
    if (isUnknown(c) || !isEmptyOrNull(c)) continue;
    const p = prior?.[name] ?? null;
    // Terraform accepts the prior value for a non-null config only when the prior is not null.
    if (isEmptyOrNull(p) && (c === null || p !== null)) value[name] = cloneValue(p);
    else value[name] = cloneValue(c);
  }
}

/** The hash of a sourceOrPath attribute is known at plan time: read the file, hash the source. */
function planHashes(spec: ObjectSpec, value: TfObject, cwd: string): void {
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (!attr.sourceOrPath) continue;
    const v = value[name];
    const hashName = attr.sourceOrPath.hashAttribute;
    if (isUnknown(v)) value[hashName] = UNKNOWN;
    // An empty string that means null (emptyEqualsNull) names no source.
    else if (typeof v === 'string' && !(attr.emptyEqualsNull && v === '')) value[hashName] = sourceHash(resolveSource(v, cwd));
    else value[hashName] = null;
  }
}

/** Computed attributes the config does not set become unknown: apply decides them. */
function markComputedUnknown(spec: ObjectSpec, value: TfObject, config: TfObject | undefined): void {
  const hashes = hashAttributeNames(spec);
  for (const [name, attr] of Object.entries(spec.attributes)) {
    // Defaults, hashes and emptyEqualsNull values are decided at plan time, not by apply.
    if (!isComputed(attr) || attr.default !== undefined || attr.emptyEqualsNull || hashes.has(name)) continue;
    if ((config?.[name] ?? null) === null) value[name] = UNKNOWN;
  }
}

/** useStateForUnknown: an attribute that never changes after create keeps its prior value. */
function keepStateForUnknown(spec: ObjectSpec, value: TfObject, prior: TfObject | undefined): void {
  if (!prior) return;
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (!attr.useStateForUnknown || !isUnknown(value[name])) continue;
    const p = prior[name];
    if (p !== null && p !== undefined && isWhollyKnown(p)) value[name] = cloneValue(p);
  }
}
