/** Checks request-endpoint bodies against the generated JSON Schemas (`@opensym/schemas`). */
import { createSchemaAjv, requestCreateJsonSchema, requestDecisionJsonSchema } from '@opensym/schemas';
import type { ErrorObject } from 'ajv';
import { ApiError, jsonPointer, type FieldError } from '../../errors/api-error';
import type { DecisionInput, RequestInput } from './request-service';

const ajv = createSchemaAjv();
const checkCreate = ajv.compile(requestCreateJsonSchema);
const checkDecision = ajv.compile(requestDecisionJsonSchema);

function fieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => {
    if (e.keyword === 'additionalProperties') {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      return { pointer: e.instancePath + jsonPointer([name]), detail: `unknown property ${name}` };
    }
    return { pointer: e.instancePath || '/', detail: e.message ?? 'invalid' };
  });
}

function check<T>(validate: ReturnType<typeof ajv.compile>, body: unknown): T {
  const value = body === undefined || body === null ? {} : body;
  if (!validate(value)) throw new ApiError('validation_failed', 'The request body is not valid.', fieldErrors(validate.errors));
  return value as T;
}

/** The body of `POST /events/request`, or a 422 with field pointers. */
export const parseRequestBody = (body: unknown): RequestInput => check<RequestInput>(checkCreate, body);
/** The body of approve/deny/revoke (may be empty), or a 422. */
export const parseDecisionBody = (body: unknown): DecisionInput => check<DecisionInput>(checkDecision, body);
