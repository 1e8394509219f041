import type { ErrorObject } from 'ajv';
import { createSchemaAjv, type JsonSchema } from '@opensym/schemas';
import { ApiError, jsonPointer, type FieldError } from '../errors/api-error';
import { jsonShapeErrors } from './json-shape';

/** Checks a request body against a JSON Schema; returns it typed, or throws a 422 problem. */
export type BodyValidator<T> = (body: unknown) => T;

// One Ajv for every body schema (compiling is the expensive part; do it once at start-up).
const ajv = createSchemaAjv({ useDefaults: true });

/**
 * Compiles `schema` (one of the body schemas exported by `@opensym/schemas`) into a validator.
 * Defaults are filled in place; errors come back one per field with a JSON pointer.
 */
export function compileBodyValidator<T>(schema: JsonSchema): BodyValidator<T> {
  const validate = ajv.compile(schema);
  return (body) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError('validation_failed', 'The request body must be a JSON object.', [{ pointer: '', detail: 'must be an object' }]);
    }
    // The HTTP layer already refused these (requestTextGuard); checked again for callers that are not routes.
    const shape = jsonShapeErrors(body);
    if (shape.length > 0) throw invalid(shape);
    if (validate(body)) return body as T;
    throw invalid(fieldErrors(validate.errors ?? []));
  };
}

/** A 422 `validation_failed` problem whose detail summarizes the field errors. */
export function invalid(errors: FieldError[]): ApiError {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new ApiError('validation_failed', first ? `${first.pointer || 'body'}: ${first.detail}${more}` : 'The request is invalid.', errors);
}

function fieldErrors(errors: ErrorObject[]): FieldError[] {
  const out = new Map<string, string>();
  const push = (pointer: string, detail: string) => {
    if (!out.has(pointer)) out.set(pointer, detail);
  };
  for (const e of errors) {
    // A failing property name is reported at the property, not at its object.
    const at = e.propertyName !== undefined ? `${e.instancePath}${jsonPointer([e.propertyName])}` : e.instancePath;
    switch (e.keyword) {
      case 'required':
        push(`${at}${jsonPointer([String(e.params.missingProperty)])}`, 'is required');
        break;
      case 'additionalProperties':
        push(`${at}${jsonPointer([String(e.params.additionalProperty)])}`, 'is not a known attribute');
        break;
      case 'enum':
        push(at, `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'format':
        push(at, `must be a valid ${String(e.params.format)}`);
        break;
      case 'propertyNames':
        break; // its `pattern` error, reported at the property itself, says what is wrong
      case 'pattern':
        push(at, e.propertyName !== undefined ? `is not a valid key (lowercase letters, digits and _, starting with a letter)` : `must match ${String(e.params.pattern)}`);
        break;
      case 'anyOf':
        break; // the branch errors say more
      default:
        push(at, e.message ?? 'is invalid');
    }
  }
  return [...out].map(([pointer, detail]) => ({ pointer, detail }));
}
