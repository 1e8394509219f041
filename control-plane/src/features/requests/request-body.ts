/** Checks request-endpoint bodies against the generated JSON Schemas (`@opensym/schemas`). */
import { requestCreateJsonSchema, requestDecisionJsonSchema } from '@opensym/schemas';
import { compileBodyValidator } from '../../validation/json-body';
import type { DecisionInput, RequestInput } from './request-service';

/** The body of `POST /events/request`, or a 422 with field pointers. */
export const parseRequestBody = compileBodyValidator<RequestInput>(requestCreateJsonSchema);

const checkDecision = compileBodyValidator<DecisionInput>(requestDecisionJsonSchema);
/** The body of approve/deny/revoke (absent means `{}`), or a 422. */
export const parseDecisionBody = (body: unknown): DecisionInput => checkDecision(body ?? {});
