import type { ProblemCode } from '@opensym/schemas';
/** One field-level problem: a JSON pointer into the request body and what is wrong there. */
export interface FieldError {
  pointer: string;
  detail: string;
}

/** Stable problem codes (see docs/api-contract.md): the list the OpenAPI document's `Problem` schema declares. */
export type { ProblemCode };

const titles: Record<ProblemCode, [number, string]> = {
  malformed_json: [400, 'Malformed JSON'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  not_found: [404, 'Not found'],
  method_not_allowed: [405, 'Method not allowed'],
  unsupported_media_type: [415, 'Unsupported media type'],
  payload_too_large: [413, 'Payload too large'],
  validation_failed: [422, 'Validation failed'],
  reference_not_found: [422, 'Reference not found'],
  duplicate_name: [409, 'Duplicate name'],
  still_referenced: [409, 'Still referenced'],
  invalid_state: [409, 'Invalid state'],
  last_admin: [409, 'Last admin'],
  hook_failed: [422, 'Hook failed'],
  invalid_idempotency_key: [400, 'Invalid Idempotency-Key'],
  idempotency_key_reused: [422, 'Idempotency-Key reused'],
  idempotency_key_in_flight: [409, 'Request with this Idempotency-Key in flight'],
  unavailable: [503, 'Service unavailable'],
  internal: [500, 'Internal error'],
};

/** The one error type of the control plane; thrown anywhere, rendered as problem+json by the app. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Extension members (RFC 9457 §3.2) added to the body, e.g. the requests a delete would strand. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    [this.status, this.title] = titles[code];
  }

  /** The RFC 9457 body. */
  toProblem(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      ...this.extensions,
      type: `https://opensym.dev/problems/${this.code.replaceAll('_', '-')}`,
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.detail,
    };
    if (this.errors.length > 0) body.errors = this.errors;
    return body;
  }
}

/** A JSON pointer (RFC 6901) from path steps. */
export function jsonPointer(steps: readonly (string | number)[]): string {
  return steps.map((s) => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}
