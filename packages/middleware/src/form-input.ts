import type { FieldError } from '@opensym/api-client';
import type { FlowField } from './flow-definition';

/**
 * The `flow_inputs` of a submitted approval form: the app's fixed values win over anything
 * posted; typed text goes to the API as written (it parses ints, bools and durations from
 * strings, so its validation and messages are the only ones); list fields split on lines; an
 * unchecked checkbox is `false`; empty optional fields are left out so defaults apply.
 */
export function flowInputsFromForm(fields: FlowField[], form: URLSearchParams, fixed: Record<string, string>): { inputs: Record<string, unknown>; values: Record<string, string> } {
  const inputs: Record<string, unknown> = {};
  const values: Record<string, string> = {};
  for (const field of fields) {
    if (field.name in fixed || !field.visible) continue;
    const raw = form.get(field.name) ?? '';
    values[field.name] = raw;
    if (field.type === 'bool') {
      inputs[field.name] = raw === 'true';
    } else if (field.type.endsWith('_list')) {
      const items = raw
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length > 0 || field.required) inputs[field.name] = items;
    } else if (raw.trim() !== '' || field.required) {
      inputs[field.name] = raw.trim();
    }
  }
  for (const [name, value] of Object.entries(fixed)) inputs[name] = value;
  return { inputs, values };
}

/** Splits the API's field errors into those of a form field (`/flow_inputs/<name>`) and the rest. */
export function fieldErrorsOf(errors: FieldError[], detail: string | undefined): { fieldErrors: Record<string, string>; generalErrors: string[] } {
  const fieldErrors: Record<string, string> = {};
  const generalErrors: string[] = [];
  for (const e of errors) {
    const m = /^\/flow_inputs\/([^/]+)/.exec(e.pointer);
    const name = m ? m[1].replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
    if (name !== undefined && fieldErrors[name] === undefined) fieldErrors[name] = e.detail;
    else generalErrors.push(e.detail);
  }
  if (errors.length === 0 && detail) generalErrors.push(detail);
  return { fieldErrors, generalErrors };
}
