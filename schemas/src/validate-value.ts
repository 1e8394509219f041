/**
 * Validators of the schema model applied to a plain value in Terraform shape (attributes by
 * name, single blocks as object or null, list blocks as arrays, map blocks as objects keyed by
 * label). The provider calls it at validate time; anything not yet known is skipped, because
 * Terraform validates again once the value is known.
 */
import type { AttributeSpec, BlockSpec, CrossFieldCheck, CrossFieldRule, ValueType } from './model';

/** The provider's marker for a value not known until apply. */
export const unknownMarker: unique symbol = Symbol.for('opensym.tf.unknown') as never;

/** A step of a value path: attribute name, list index, or `{ key }` for a map element. */
export type ValuePathStep = string | number | { key: string };

/** One problem found by `validateAgainstSpec`. */
export interface ValueProblem {
  path: ValuePathStep[];
  message: string;
}

/** Anything with attributes and blocks: a resource, a block, the provider config. */
export interface ValidatableSpec {
  attributes: Record<string, AttributeSpec>;
  blocks?: Record<string, BlockSpec>;
  crossFieldRules?: CrossFieldRule[];
}

/** Checks required-ness, `oneOf`, `elementOneOf`, `pattern`, `minLength`, `minItems`, block item limits and cross-field rules. */
export function validateAgainstSpec(spec: ValidatableSpec, value: unknown): ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (value === null || value === undefined || isUnknown(value)) return problems;
  checkObject(spec.attributes, spec.blocks ?? {}, value, [], problems);
  for (const rule of spec.crossFieldRules ?? []) checkRule(spec, rule, value, problems);
  return problems;
}

function isUnknown(v: unknown): boolean {
  return v === unknownMarker;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkObject(attributes: Record<string, AttributeSpec>, blocks: Record<string, BlockSpec>, value: unknown, path: ValuePathStep[], problems: ValueProblem[]): void {
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'Must be an object.' });
    return;
  }
  for (const [name, attr] of Object.entries(attributes)) {
    if (attr.presence === 'computed') continue;
    const v = value[name];
    if (isUnknown(v)) continue;
    if (v === undefined || v === null) {
      if (attr.presence === 'required') problems.push({ path: [...path, name], message: `The attribute "${name}" is required.` });
      continue;
    }
    checkAttribute(attr, v, [...path, name], problems);
  }
  for (const [name, block] of Object.entries(blocks)) checkBlock(name, block, value[name], [...path, name], problems);
}

function checkBlock(name: string, block: BlockSpec, v: unknown, path: ValuePathStep[], problems: ValueProblem[]): void {
  if (isUnknown(v)) return;
  const inner = (item: unknown, p: ValuePathStep[]) => {
    if (!isUnknown(item)) checkObject(block.attributes, block.blocks ?? {}, item, p, problems);
  };
  if (block.nesting === 'single') {
    if (v !== null && v !== undefined) inner(v, path);
    return;
  }
  let count: number;
  if (block.nesting === 'list') {
    const items = v === null || v === undefined ? [] : v;
    if (!Array.isArray(items)) {
      problems.push({ path, message: 'Must be a list of blocks.' });
      return;
    }
    items.forEach((item, i) => inner(item, [...path, i]));
    count = items.length;
  } else {
    const items = v === null || v === undefined ? {} : v;
    if (!isPlainObject(items)) {
      problems.push({ path, message: 'Must be a map of blocks.' });
      return;
    }
    for (const [key, item] of Object.entries(items)) inner(item, [...path, { key }]);
    count = Object.keys(items).length;
  }
  if (block.minItems !== undefined && count < block.minItems) {
    problems.push({ path, message: `At least ${block.minItems} "${name}" block${block.minItems === 1 ? ' is' : 's are'} required.` });
  }
  if (block.maxItems !== undefined && count > block.maxItems) {
    problems.push({ path, message: `At most ${block.maxItems} "${name}" block${block.maxItems === 1 ? ' is' : 's are'} allowed.` });
  }
}

function checkAttribute(attr: AttributeSpec, v: unknown, path: ValuePathStep[], problems: ValueProblem[]): void {
  const type = attr.type;
  if (typeof type === 'string') {
    checkPrimitive(type, v, attr, path, problems);
    return;
  }
  const elementType: ValueType = 'list' in type ? type.list : 'set' in type ? type.set : type.map;
  let entries: [ValuePathStep, unknown][];
  if ('map' in type) {
    if (!isPlainObject(v)) {
      problems.push({ path, message: 'Must be a map.' });
      return;
    }
    entries = Object.entries(v).map(([key, item]) => [{ key }, item]);
  } else {
    if (!Array.isArray(v)) {
      problems.push({ path, message: 'Must be a list.' });
      return;
    }
    entries = v.map((item, i) => [i, item]);
    if (attr.minItems !== undefined && v.length < attr.minItems) {
      problems.push({ path, message: `Must have at least ${attr.minItems} element${attr.minItems === 1 ? '' : 's'}.` });
    }
  }
  const elementSpec: AttributeSpec = { type: elementType, presence: 'required', description: '', oneOf: attr.elementOneOf };
  for (const [step, item] of entries) {
    if (item === null || item === undefined || isUnknown(item)) continue;
    checkAttribute(elementSpec, item, [...path, step], problems);
  }
}

function checkPrimitive(type: 'string' | 'number' | 'bool', v: unknown, attr: AttributeSpec, path: ValuePathStep[], problems: ValueProblem[]): void {
  if (type === 'bool') {
    if (typeof v !== 'boolean') problems.push({ path, message: 'Must be a bool.' });
    return;
  }
  if (type === 'number') {
    const ok = typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
    if (!ok) problems.push({ path, message: 'Must be a number.' });
    return;
  }
  if (typeof v !== 'string') {
    problems.push({ path, message: 'Must be a string.' });
    return;
  }
  if (attr.oneOf && !attr.oneOf.includes(v)) {
    problems.push({ path, message: `Must be one of ${attr.oneOf.map((o) => JSON.stringify(o)).join(', ')}; got ${JSON.stringify(v)}.` });
  } else if (attr.notSupportedYet?.includes(v)) {
    problems.push({ path, message: notSupportedYetMessage(attr, v) });
  }
  if (attr.minLength !== undefined && [...v].length < attr.minLength) {
    problems.push({
      path,
      message: attr.minLength === 1 ? 'Must not be empty.' : `Must be at least ${attr.minLength} characters long.`,
    });
  }
  if (attr.pattern && !new RegExp(attr.pattern, 'u').test(v)) {
    problems.push({ path, message: `Must match the pattern ${attr.pattern}; got ${JSON.stringify(v)}.` });
  }
}

/** Why `value` of an attribute with `notSupportedYet` is refused; the API says the same. */
export function notSupportedYetMessage(attr: AttributeSpec, value: string): string {
  const supported = (attr.oneOf ?? []).filter((o) => !attr.notSupportedYet?.includes(o));
  return `${JSON.stringify(value)} is not supported yet by OpenSym (supported: ${supported.map((o) => JSON.stringify(o)).join(', ')}).`;
}

/** Every object the rule applies to, with its concrete path (indexes and map keys filled in). */
function scopedObjects(spec: ValidatableSpec, scope: string[], root: Record<string, unknown>) {
  let current: { value: Record<string, unknown>; path: ValuePathStep[]; attributes: Record<string, AttributeSpec> }[] = [{ value: root, path: [], attributes: spec.attributes }];
  let blocks = spec.blocks ?? {};
  for (const name of scope) {
    const block = blocks[name];
    if (!block) return [];
    const next: typeof current = [];
    for (const { value, path } of current) {
      const v = value[name];
      const push = (item: unknown, p: ValuePathStep[]) => {
        if (isPlainObject(item)) next.push({ value: item, path: p, attributes: block.attributes });
      };
      if (block.nesting === 'single') push(v, [...path, name]);
      else if (block.nesting === 'list' && Array.isArray(v)) v.forEach((item, i) => push(item, [...path, name, i]));
      else if (block.nesting === 'map' && isPlainObject(v)) for (const [key, item] of Object.entries(v)) push(item, [...path, name, { key }]);
    }
    current = next;
    blocks = block.blocks ?? {};
  }
  return current;
}

function checkRule(spec: ValidatableSpec, rule: CrossFieldRule, root: unknown, problems: ValueProblem[]): void {
  const check = rule.check;
  if (!check || !isPlainObject(root)) return;
  const scope = rule.scope ?? [];
  for (const target of scopedObjects(spec, scope, root)) {
    if (check.kind === 'map_keys_when') {
      if (!mapKeysHold(check, target.value)) problems.push({ path: [...target.path, ...rule.path.slice(scope.length)], message: rule.message });
      continue;
    }
    if (check.kind === 'unset_when') {
      const selector = target.value[check.attribute];
      const v = target.value[check.unset];
      // A value not known until apply is a reference (`sym_integration.x.id`): it will be set, so it is refused now.
      const set = isUnknown(v) || (v !== null && v !== undefined && v !== '');
      if (!isUnknown(selector) && typeof selector === 'string' && check.in.includes(selector) && set) {
        problems.push({ path: [...target.path, ...rule.path.slice(scope.length)], message: rule.message });
      }
      continue;
    }
    const values = check.attributes.map((a) => target.value[a]);
    // A rule over partly unknown values cannot be decided yet.
    if (values.some(isUnknown)) continue;
    let ok: boolean;
    if (check.kind === 'at_least_one_true') {
      ok = check.attributes.some((a, i) => (values[i] ?? target.attributes[a]?.default ?? false) === true);
    } else {
      ok = values.filter((v) => v !== null && v !== undefined).length === 1;
    }
    if (!ok) problems.push({ path: [...target.path, ...rule.path.slice(scope.length)], message: rule.message });
  }
}

/** A `map_keys_when` rule holds (or cannot be decided yet because something is unknown). */
function mapKeysHold(check: Extract<CrossFieldCheck, { kind: 'map_keys_when' }>, value: Record<string, unknown>): boolean {
  const selector = value[check.attribute];
  if (isUnknown(selector) || selector !== check.equals) return true;
  const map = value[check.map];
  if (isUnknown(map)) return true;
  const entries = isPlainObject(map) ? map : {};
  const values = check.values ?? {};
  const required = check.keys.every((key) => {
    const v = entries[key];
    if (isUnknown(v)) return true;
    if (typeof v !== 'string' || v === '') return false;
    const pattern = check.patterns?.[key];
    return (!pattern || new RegExp(pattern, 'u').test(v)) && (!values[key] || values[key].includes(v));
  });
  // Optional keys with listed values: when set, one of them.
  return required && Object.entries(values).every(([key, allowed]) => entries[key] === undefined || entries[key] === null || isUnknown(entries[key]) || allowed.includes(entries[key] as string));
}
