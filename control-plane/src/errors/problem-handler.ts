import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './api-error';

/** Sends an ApiError as `application/problem+json`. */
export function sendProblem(res: Parameters<RequestHandler>[1], error: ApiError): void {
  res.status(error.status).type('application/problem+json').send(JSON.stringify(error.toProblem()));
}

/** Final handler for requests no route matched. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, new ApiError('not_found', `No route for ${req.method} ${req.path}.`));
};

// body-parser reports its failures as errors with a `type`; they are the client's fault, not ours.
const bodyParserErrors: Record<string, () => ApiError> = {
  'entity.parse.failed': () => new ApiError('malformed_json', 'The request body is not valid JSON.'),
  'entity.too.large': () => new ApiError('payload_too_large', 'The request body is larger than 1 MiB.'),
  'encoding.unsupported': () => new ApiError('unsupported_media_type', 'The request body encoding is not supported.'),
  'charset.unsupported': () => new ApiError('unsupported_media_type', 'The request body charset is not supported.'),
  'request.aborted': () => new ApiError('malformed_json', 'The request body was not received completely.'),
  'request.size.invalid': () => new ApiError('malformed_json', 'The request body length does not match Content-Length.'),
  'stream.encoding.set': () => new ApiError('malformed_json', 'The request body could not be read.'),
};

/**
 * A body that its Content-Encoding cannot decode (garbage gzip, deflate or br): body-parser passes
 * on zlib's error, marked 400, without a `type`. zlib's codes start with `Z_` (gzip, deflate) or
 * `ERR_BROTLI`/`ERR__ERROR` (br).
 */
function isUndecodableBody(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { status, code, errno } = err as { status?: unknown; code?: unknown; errno?: unknown };
  return status === 400 && typeof code === 'string' && typeof errno === 'number' && /^(Z_|ERR_BROTLI|ERR__ERROR|ERR_ZSTD)/.test(code);
}

/** Maps every error to a problem; unexpected ones become a detail-free 500 and are logged. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem: ApiError;
    if (err instanceof ApiError) {
      problem = err;
    } else if (typeof err?.type === 'string' && bodyParserErrors[err.type]) {
      problem = bodyParserErrors[err.type]!();
    } else if (isUndecodableBody(err)) {
      problem = new ApiError('malformed_json', `The request body is not valid \`Content-Encoding: ${String(req.headers['content-encoding'])}\` data.`);
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      problem = new ApiError('internal', 'An unexpected error occurred.');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, problem);
  };
}
