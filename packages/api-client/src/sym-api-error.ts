import type { components } from './generated/openapi';

/** The problem+json body the API answers errors with (RFC 9457), as the OpenAPI document defines it. */
export type Problem = components['schemas']['Problem'];
/** One field error of a problem: a JSON Pointer into the request body and what is wrong there. */
export type FieldError = NonNullable<Problem['errors']>[number];

/**
 * An API call that did not succeed: the problem+json answer's stable `code`, HTTP `status`,
 * `title`, `detail` and field `errors`. Answers that are not problem+json (a proxy's HTML page)
 * get the code `http_error` and the status text as title.
 */
export class SymApiError extends Error {
  /** Stable machine-readable code (`validation_failed`, `last_admin`, ...); `http_error` when the answer had none. */
  readonly code: Problem['code'] | (string & {});
  /** HTTP status of the answer. */
  readonly status: number;
  /** Short summary of the problem type. */
  readonly title: string;
  /** What went wrong this time, when the server said. */
  readonly detail: string | undefined;
  /** One entry per offending field (`pointer` into the request body). */
  readonly errors: FieldError[];
  /** The whole problem document (as received, or built from the status for a non-problem answer). */
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'SymApiError';
    this.code = problem.code;
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.problem = problem;
  }
}

/** True when `body` has the fields every problem of this API carries. */
function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.title === 'string' && typeof b.code === 'string' && typeof b.status === 'number';
}

/**
 * The {@link SymApiError} for a failed answer: its problem+json body when it has one, otherwise a
 * problem made from the status (so callers always get code, status and title).
 */
export function toSymApiError(response: Response, body: unknown): SymApiError {
  if (isProblem(body)) return new SymApiError({ ...body, status: response.status });
  const text = typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 500) : undefined;
  return new SymApiError({
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: 'http_error' as Problem['code'],
    ...(text !== undefined && { detail: text }),
  });
}
