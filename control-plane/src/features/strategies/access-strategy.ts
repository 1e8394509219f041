/**
 * Contract between the request lifecycle (features/requests) and the strategies registry (this
 * folder): how access is granted and taken back. Implementations: `custom` (the user's
 * AccessStrategy subclass in the sandbox), `aws_lambda` (invoke an existing function by ARN, or
 * package `code` and create/update it first), and approval-only flows (no strategy at all).
 */
import type { SymEvent, JsonValue } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';

/** Everything a strategy needs to grant or revoke one request's access. */
export interface StrategyInvocation {
  orgId: string;
  requestId: string;
  /** Stable across retries of the same step: pass it on as an idempotency key. */
  idempotencyKey: string;
  action: 'escalate' | 'deescalate';
  /** The `access-strategies` entity the flow's `params.strategy_id` names. */
  strategy: EntityRecord;
  /**
   * The target chosen in the request's `target` field; null when the strategy has no targets
   * (e.g. a `sym_strategies` Lambda strategy, which acts on the request's fields alone).
   */
  target: EntityRecord | null;
  /** The event as hooks see it (`event.user`, `event.payload.fields` with `target` and `duration`, ...). */
  event: SymEvent;
  /**
   * The flow's `get_identity(event, service_type, external_id, user)` reducer (Sym's): the
   * requester's id in a service when they have none stored, or null to look them up by email.
   * Native strategies ask it; custom strategies use `fetch_remote_identity` instead, as in Sym.
   */
  identityFor?: (serviceType: string, externalId: string) => Promise<string | null>;
}

/**
 * What came back from the strategy (the Lambda's `body`, a custom strategy's return value). Any
 * JSON value, the string "failed" included, is a successful result: failure is only ever a
 * thrown StrategyError (the lifecycle's step result is tagged, `strategy-step.ts`).
 */
export interface StrategyOutcome {
  body?: JsonValue;
}

/**
 * Thrown (or rejected) when a strategy fails; `retryable: false` marks errors that retrying
 * cannot fix (e.g. a syntax error in the strategy's code). The message is safe to store and show:
 * secret values are redacted.
 */
export class StrategyError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean = true,
    readonly details?: JsonValue,
    /**
     * Set when the strategy knows that nothing was granted (its one granting call was refused), so
     * a final escalation failure ends the request as `failed` instead of taking back access that
     * was never given.
     */
    readonly notApplied: boolean = false,
  ) {
    super(message);
    this.name = 'StrategyError';
  }
}

export interface AccessStrategyRunner {
  escalate(invocation: StrategyInvocation): Promise<StrategyOutcome>;
  deescalate(invocation: StrategyInvocation): Promise<StrategyOutcome>;
}

/** Finds the runner for a strategy entity's `type`; unknown types throw StrategyError(retryable: false). */
export interface StrategyRegistry {
  runnerFor(strategy: EntityRecord): AccessStrategyRunner;
}
