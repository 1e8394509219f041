/**
 * Turns AWS SDK failures into StrategyErrors: throttling, 5xx, timeouts and network errors are
 * retryable; bad requests, missing functions and permission problems are not (retrying cannot
 * fix them). Messages are scrubbed, since SDK errors may echo what was sent.
 */
import { StrategyError } from './access-strategy';
import type { SecretScrubber } from './secret-scrubber';

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  // Query-protocol services (IAM, STS) throttle with HTTP 400 and these codes.
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'TooManyRequestsException',
  'ServiceException',
  'ServiceUnavailableException',
  'InternalServiceError',
  'InternalServiceErrorException',
  'EC2ThrottledException',
  'ENILimitReachedException',
  'ResourceConflictException',
  'ResourceNotReadyException',
  'SnapStartNotReadyException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Whether retrying the same call later may succeed. */
export function isRetryableAwsError(error: unknown): boolean {
  const e = (error ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  if (e.$fault === 'server') return true;
  // No HTTP status at all: the request never got an answer (connection or socket trouble).
  return status === undefined && e.$fault === undefined;
}

/** A StrategyError for an AWS call that failed; `what` says which call (e.g. `Lambda Invoke`). */
export function strategyErrorFromAws(error: unknown, what: string, scrubber: SecretScrubber): StrategyError {
  if (error instanceof StrategyError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = scrubber.scrub(`${what} failed: ${name}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`);
  return new StrategyError(message, isRetryableAwsError(error), { aws_error: name, ...(status !== undefined && { http_status: status }) });
}
