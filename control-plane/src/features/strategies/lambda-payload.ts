/**
 * The JSON contract between the `aws_lambda` strategy and its function (documented in README.md):
 * the event the function is invoked with, and how its answer (`{ body, errors }`) is read.
 */
import type { JsonValue, SymUser } from '../../sandbox';
import { type StrategyInvocation, type StrategyOutcome, StrategyError } from './access-strategy';
import type { SecretScrubber } from './secret-scrubber';

/** The event a strategy function receives, for escalate and deescalate alike. */
export interface LambdaStrategyEvent {
  /** Bumped on incompatible changes. */
  version: 1;
  type: 'escalate' | 'deescalate';
  /** Same on every retry of one step: apply the grant or revoke once per key. */
  idempotency_key: string;
  org_id: string;
  request_id: string;
  run: { id: string; actor: { user: SymUser } };
  /** The requester (same as `run.actor.user`). */
  user: SymUser;
  /** The request's access target; null when the strategy has no targets. */
  target: { id: string; type: string | null; name: string | null; settings: JsonValue } | null;
  /** The request's fields (prompt fields, `target`, `duration`, ...). */
  fields: Record<string, JsonValue>;
  flow: { id: string | null; name: string | null; vars: JsonValue };
  strategy: { id: string; name: string | null };
}

/** Builds the event for one invocation. */
export function buildLambdaEvent(invocation: StrategyInvocation): LambdaStrategyEvent {
  const { event, target, strategy } = invocation;
  const runId = typeof event.run?.id === 'string' ? event.run.id : invocation.requestId;
  return {
    version: 1,
    type: invocation.action,
    idempotency_key: invocation.idempotencyKey,
    org_id: invocation.orgId,
    request_id: invocation.requestId,
    run: { id: runId, actor: { user: event.user } },
    user: event.user,
    target: target && { id: target.id, type: target.type, name: target.name, settings: (target.data.settings ?? null) as JsonValue },
    fields: event.payload.fields,
    flow: {
      id: typeof event.flow?.id === 'string' ? event.flow.id : null,
      name: typeof event.flow?.name === 'string' ? event.flow.name : null,
      vars: (event.flow?.vars ?? {}) as JsonValue,
    },
    strategy: { id: strategy.id, name: strategy.name },
  };
}

/** Errors raised while the runtime loads the code: the same code fails the same way again. */
const PERMANENT_FUNCTION_ERRORS = new Set(['Runtime.UserCodeSyntaxError', 'Runtime.ImportModuleError', 'Runtime.HandlerNotFound', 'Runtime.InvalidEntrypoint', 'Runtime.MalformedHandlerName']);

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function isObject(v: JsonValue | undefined): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads the function's answer. `functionError` is Lambda's `FunctionError` (the handler threw);
 * otherwise a non-empty `errors` list or a `statusCode` of 400 and above is a failure, and `body`
 * (parsed when it is a JSON string) is the outcome.
 */
export function readLambdaResponse(payload: string, functionError: string | undefined, what: string, scrubber: SecretScrubber): StrategyOutcome {
  const parsed = payload.trim() === '' ? undefined : parseJson(payload);
  if (functionError) {
    const errorType = isObject(parsed) && typeof parsed.errorType === 'string' ? parsed.errorType : 'Error';
    const errorMessage = isObject(parsed) && typeof parsed.errorMessage === 'string' ? parsed.errorMessage : payload.slice(0, 500);
    return fail(`${what}: the function failed (${functionError}) with ${errorType}: ${errorMessage}`, !PERMANENT_FUNCTION_ERRORS.has(errorType), scrubber, {
      function_error: functionError,
      error_type: errorType,
    });
  }
  if (parsed === undefined) return payload.trim() === '' ? {} : { body: payload };
  if (!isObject(parsed)) return { body: parsed };
  const errors = Array.isArray(parsed.errors) ? parsed.errors : [];
  if (errors.length > 0) {
    const texts = errors.map((e) => scrubber.scrub(typeof e === 'string' ? e : JSON.stringify(e)));
    return fail(`${what}: the function returned errors: ${texts.join('; ')}`, true, scrubber, { errors: texts });
  }
  const status = typeof parsed.statusCode === 'number' ? parsed.statusCode : undefined;
  const body = 'body' in parsed ? (typeof parsed.body === 'string' ? (parseJson(parsed.body) ?? parsed.body) : parsed.body) : parsed;
  if (status !== undefined && status >= 400) {
    const detail = typeof body === 'string' ? body : JSON.stringify(body);
    return fail(`${what}: the function answered status ${status}: ${detail}`, status >= 500 || status === 429, scrubber, { status_code: status });
  }
  return body === undefined ? {} : { body };
}

function fail(message: string, retryable: boolean, scrubber: SecretScrubber, details: Record<string, JsonValue>): never {
  throw new StrategyError(scrubber.scrub(message), retryable, details);
}
