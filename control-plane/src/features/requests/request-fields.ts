/**
 * Request fields: which fields a flow asks for (its `prompt_field` blocks, or the fields of the
 * `sym_form` named by `params.form_id`) and checking a request's `flow_inputs` against them.
 */
import type { JsonValue } from '@opensym/schemas';
import { jsonPointer, type FieldError } from '../../errors/api-error';
import { parseDuration } from './duration';

/** One request field as the flow declares it. */
export interface FieldSpec {
  name: string;
  type: 'string' | 'str_list' | 'int' | 'int_list' | 'bool' | 'duration' | 'slack_user' | 'slack_user_list';
  required: boolean;
  /** Written as a string in HCL (`"true"`, `"1h"`, `"3"`), parsed like an input. */
  default?: string | null;
  allowedValues?: string[] | null;
  /** What a form shows (Slack's request modal); the name when unset. */
  label?: string | null;
}

/** The name of the field that selects an access target of the flow's strategy. */
export const TARGET_FIELD = 'target';
/** The name of the field that sets how long access lasts. */
export const DURATION_FIELD = 'duration';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field specs from a flow's `params.prompt_field` blocks. */
export function promptFieldSpecs(params: Obj | null | undefined): FieldSpec[] {
  const blocks = Array.isArray(params?.prompt_field) ? params.prompt_field : [];
  return blocks.filter(isObject).map((b) => ({
    name: String(b.name),
    type: b.type as FieldSpec['type'],
    required: b.required !== false,
    default: typeof b.default === 'string' ? b.default : null,
    allowedValues: Array.isArray(b.allowed_values) ? b.allowed_values.map(String) : null,
    label: typeof b.label === 'string' && b.label ? b.label : null,
  }));
}

/** Field specs from a `sym_form` entity's `field` map (form fields are optional unless marked). */
export function formFieldSpecs(form: Obj | null | undefined): FieldSpec[] {
  const fields = isObject(form?.field) ? form.field : {};
  return Object.entries(fields)
    .filter(([, f]) => isObject(f))
    .map(([name, f]) => {
      const field = f as Obj;
      return {
        name,
        type: field.type as FieldSpec['type'],
        required: field.required === true,
        default: null,
        allowedValues: Array.isArray(field.allowed_values) ? field.allowed_values.map(String) : null,
        label: typeof field.label === 'string' && field.label ? field.label : null,
      };
    });
}

type Parsed = { ok: true; value: JsonValue } | { ok: false; detail: string };

const slackUserPattern = /^(U|W)[A-Z0-9]{2,}$/;
const emailPattern = /^[^\s@]+@[^\s@]+$/;

function parseScalar(type: FieldSpec['type'], raw: unknown): Parsed {
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw } : { ok: false, detail: 'must be a string' };
    case 'int': {
      const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
      return typeof n === 'number' && Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, detail: 'must be an integer' };
    }
    case 'bool':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return { ok: false, detail: 'must be true or false' };
    case 'duration': {
      const seconds = parseDuration(raw);
      return seconds === undefined ? { ok: false, detail: 'must be a positive duration such as "30m", "1h", "1d" or a number of seconds' } : { ok: true, value: seconds };
    }
    case 'slack_user':
      return typeof raw === 'string' && (emailPattern.test(raw) || slackUserPattern.test(raw)) ? { ok: true, value: raw } : { ok: false, detail: 'must be an email address or a Slack user ID (U…)' };
    default:
      return { ok: false, detail: `has an unsupported type ${String(type)}` };
  }
}

const listElement: Partial<Record<FieldSpec['type'], FieldSpec['type']>> = { str_list: 'string', int_list: 'int', slack_user_list: 'slack_user' };

function parseValue(spec: FieldSpec, raw: unknown): Parsed {
  const element = listElement[spec.type];
  if (!element) return parseScalar(spec.type, raw);
  if (!Array.isArray(raw)) return { ok: false, detail: `must be a list (${spec.type})` };
  const out: JsonValue[] = [];
  for (const [i, item] of raw.entries()) {
    const parsed = parseScalar(element, item);
    if (!parsed.ok) return { ok: false, detail: `item ${i} ${parsed.detail}` };
    out.push(parsed.value);
  }
  return { ok: true, value: out };
}

// Allowed values are written as strings; compare each value (or list item) in that form, and
// durations by their length so "60m" matches an allowed "1h".
function allowed(spec: FieldSpec, value: JsonValue): string | undefined {
  if (!spec.allowedValues || spec.allowedValues.length === 0) return undefined;
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    const ok = spec.type === 'duration' ? spec.allowedValues.some((a) => parseDuration(a) === item) : spec.allowedValues.includes(String(item));
    if (!ok) return `must be one of ${spec.allowedValues.map((a) => JSON.stringify(a)).join(', ')}`;
  }
  return undefined;
}

/**
 * Checks `inputs` against `specs`: required fields, types, allowed values, defaults. Keys listed
 * in `extra` (e.g. `target`) are left to the caller. Unknown keys are errors. Pointers are
 * `/flow_inputs/<name>`.
 */
export function validateFields(specs: readonly FieldSpec[], inputs: Obj, extra: readonly string[] = []): { fields: Record<string, JsonValue>; errors: FieldError[] } {
  const fields: Record<string, JsonValue> = {};
  const errors: FieldError[] = [];
  const pointer = (name: string) => jsonPointer(['flow_inputs', name]);
  for (const spec of specs) {
    if (extra.includes(spec.name)) continue;
    let raw = inputs[spec.name];
    let source = 'the value';
    if ((raw === undefined || raw === null || raw === '') && spec.default != null) {
      raw = spec.default;
      source = `the default ${JSON.stringify(spec.default)}`;
    }
    if (raw === undefined || raw === null || raw === '') {
      if (spec.required) errors.push({ pointer: pointer(spec.name), detail: `${spec.name} is required` });
      continue;
    }
    const parsed = parseValue(spec, raw);
    if (!parsed.ok) {
      errors.push({ pointer: pointer(spec.name), detail: `${spec.name}: ${source} ${parsed.detail}` });
      continue;
    }
    const notAllowed = allowed(spec, parsed.value);
    if (notAllowed) {
      errors.push({ pointer: pointer(spec.name), detail: `${spec.name} ${notAllowed}` });
      continue;
    }
    fields[spec.name] = parsed.value;
  }
  const known = new Set([...specs.map((s) => s.name), ...extra]);
  for (const key of Object.keys(inputs)) {
    if (!known.has(key)) errors.push({ pointer: pointer(key), detail: `${key} is not a field of this flow` });
  }
  return { fields, errors };
}

/** The longest duration the flow allows: the largest allowed value of its duration field, if any. */
export function durationCapSeconds(specs: readonly FieldSpec[]): number | undefined {
  const spec = specs.find((s) => s.name === DURATION_FIELD && s.type === 'duration');
  const values = (spec?.allowedValues ?? []).map(parseDuration).filter((n): n is number => n !== undefined);
  return values.length > 0 ? Math.max(...values) : undefined;
}
