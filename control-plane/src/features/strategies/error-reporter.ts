/**
 * Where strategy failures are reported besides the request's own state: the environment's error
 * logger. The default writes a log line; Slack delivery (`sym_error_logger`) comes with the Slack
 * issue and the requests lifecycle records the same failure in the audit log.
 */
import type { Logger } from 'pino';
import { StrategyError } from './access-strategy';

/** One failure of a strategy step. `error.message` is already scrubbed of secret values. */
export interface StrategyFailureReport {
  orgId: string;
  /** The flow's environment when the event names one (`event.flow.environment_id`). */
  environmentId: string | null;
  requestId: string;
  error: StrategyError;
  /** Extra context: strategy id/type, action. */
  context?: Record<string, string>;
}

/** Receives every strategy failure; must not throw (a reporting problem must not hide the failure). */
export interface ErrorReporter {
  report(report: StrategyFailureReport): Promise<void> | void;
}

/** Logs each failure as one warning line (the logger's redaction applies as well). */
export function createLoggingErrorReporter(logger: Logger): ErrorReporter {
  return {
    report({ orgId, environmentId, requestId, error, context }) {
      logger.warn({ orgId, environmentId, requestId, ...context, error: { name: error.name, message: error.message, retryable: error.retryable } }, 'access strategy failed');
    },
  };
}
