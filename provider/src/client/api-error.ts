/** Typed errors raised by the control-plane client; the framework turns them into diagnostics. */

/** One field error of a problem+json response, located by a JSON pointer into the request body. */
export interface FieldError {
  pointer: string;
  detail: string;
}

/** An `application/problem+json` error answer from the control plane (RFC 9457). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** `still_referenced` by live access requests: how many still need the object (else undefined). */
  readonly requestCount: number | undefined;

  constructor(init: { status: number; code: string; title: string; detail?: string; errors?: FieldError[]; requestCount?: number }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail ?? '';
    this.errors = init.errors ?? [];
    this.requestCount = init.requestCount;
  }
}

/** The control plane could not be reached (refused, DNS, TLS, timeout) or the call was cancelled. */
export class ApiUnreachableError extends Error {
  readonly url: string;
  constructor(url: string, reason: string) {
    super(`cannot reach the OpenSym control plane at ${url}: ${reason}`);
    this.name = 'ApiUnreachableError';
    this.url = url;
  }
}

/** Builds an ApiError from a response body, tolerating bodies that are not problem+json. */
export function apiErrorFromBody(status: number, statusText: string, body: unknown): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors = Array.isArray(b.errors)
    ? b.errors.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object').map((e) => ({ pointer: String(e.pointer ?? ''), detail: String(e.detail ?? '') }))
    : [];
  return new ApiError({
    status,
    code: typeof b.code === 'string' ? b.code : `http_${status}`,
    title: typeof b.title === 'string' ? b.title : statusText || `HTTP ${status}`,
    detail: typeof b.detail === 'string' ? b.detail : typeof body === 'string' ? body.slice(0, 500) : '',
    errors,
    ...(typeof b.request_count === 'number' && { requestCount: b.request_count }),
  });
}
