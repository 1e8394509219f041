/**
 * The stable `code` of every problem+json answer the control plane sends (docs/api-contract.md).
 * The one list: the control plane's `ApiError` takes its `ProblemCode` from here and the OpenAPI
 * document's `Problem.code` enum is this list, so a code cannot be sent without being documented.
 */
export const problemCodes = [
  'malformed_json',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'unsupported_media_type',
  'payload_too_large',
  'validation_failed',
  'reference_not_found',
  'duplicate_name',
  'still_referenced',
  'invalid_state',
  'last_admin',
  'hook_failed',
  'invalid_idempotency_key',
  'idempotency_key_reused',
  'idempotency_key_in_flight',
  'unavailable',
  'internal',
] as const;

/** One stable problem code. */
export type ProblemCode = (typeof problemCodes)[number];
