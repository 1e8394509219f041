/**
 * Calls the flow's strategy for one step (escalate or deescalate) with a step-stable idempotency
 * key, and records its failures on the request.
 */
import type { JsonValue } from '@opensym/schemas';
import type { ClaimedJob } from '../../jobs/job-queue';
import type { SymEvent } from '../../sandbox';
import { StrategyError } from '../strategies/access-strategy';
import { flowParamsOf } from './flow-params';
import type { LifecycleContext } from './lifecycle-context';
import { errorText, newEvent } from './lifecycle-events';
import type { NewRequestEvent, RequestRecord } from './request-store';
import { targetOf } from './step-event';

/**
 * The flow's `get_identity(event, service_type, external_id, user)` reducer as native strategies
 * ask it: its string answer, or null (not exported, or returned nothing). A failure fails the
 * step like the strategy's own (retried).
 */
function identityReducer(ctx: Pick<LifecycleContext, 'hooks'>, request: RequestRecord, event: SymEvent) {
  return async (serviceType: string, externalId: string): Promise<string | null> => {
    let out;
    try {
      out = await ctx.hooks.run(flowParamsOf(request).source, 'get_identity', event, request.orgId, [serviceType, externalId, event.user as JsonValue]);
    } catch (err) {
      throw new StrategyError(`the flow's get_identity reducer failed: ${errorText(err)}`);
    }
    return out.exported && typeof out.value === 'string' && out.value.trim() ? out.value.trim() : null;
  };
}

/**
 * The outcome of a strategy step: the strategy's result body, or a failure that ended the step
 * (already recorded on the request). A tagged result, because any JSON, the string "failed"
 * included, is a valid body.
 */
export type StrategyStepResult = { ok: true; body: JsonValue | undefined } | { ok: false; error: StrategyError; mayHaveRun: boolean };

/**
 * Failures are reported and recorded; retryable ones are rethrown so the job is retried (with a
 * storable message). A non-retryable escalation failure is returned as `{ok: false}` for the
 * escalate step to settle; `mayHaveRun` is true once the strategy's code was called (it may have
 * granted before it failed).
 */
export async function runStrategy(
  ctx: LifecycleContext,
  request: RequestRecord,
  action: 'escalate' | 'deescalate',
  ev: SymEvent,
  job: ClaimedJob,
  /** Events to write with a failed deescalation's state (an expiring grant's `request.expired`). */
  withFailure: NewRequestEvent[] = [],
): Promise<StrategyStepResult> {
  const { store } = ctx;
  // The registry reports failures of runner calls itself; report only what failed before reaching one.
  const fail = async (error: StrategyError, reported = false): Promise<StrategyStepResult> => {
    if (!reported)
      await ctx.reportFailure({
        orgId: request.orgId,
        environmentId: flowParamsOf(request).environmentId,
        requestId: request.id,
        error,
        context: { action, job_id: job.id, attempt: String(job.attempt) },
      });
    const message = errorText(error.message);
    const data = { error: message, retryable: error.retryable, attempt: job.attempt };
    if (action === 'escalate') {
      // `notApplied` speaks for this attempt only: an earlier one that failed with a 5xx or a timeout
      // may have granted, so after it the grant is taken back (idempotently) all the same.
      if (!error.retryable) return { ok: false, error, mayHaveRun: reported && !(error.notApplied && job.attempt === 1) };
      await store.record(request.orgId, request.id, [newEvent('request.escalation_failed', request, null, null, data)], { lastError: message });
    } else {
      // Kept as state, visible in the API, and retried until it succeeds.
      await store.transition({
        orgId: request.orgId,
        requestId: request.id,
        from: ['active', 'deescalating', 'deescalation_failed'],
        set: { state: 'deescalation_failed', lastError: message },
        events: [...withFailure, newEvent('request.deescalation_failed', request, null, null, { ...data, from: request.state, to: 'deescalation_failed' })],
      });
    }
    // Rethrown for the job queue, which stores the message as the job's lastError.
    throw message === error.message ? error : new StrategyError(message, error.retryable, error.details);
  };

  const { strategyId } = flowParamsOf(request);
  const strategy = strategyId ? await store.findEntity(request.orgId, 'access-strategies', strategyId) : null;
  // A request made without a target (its strategy has none) runs with `target: null`.
  const target = await targetOf(ctx, request);
  if (!strategy || (request.targetId !== null && !target)) {
    return fail(new StrategyError(`the flow's ${strategy ? 'target' : 'strategy'} no longer exists`, action === 'deescalate'));
  }
  let runner;
  try {
    runner = ctx.strategies.runnerFor(strategy);
  } catch (err) {
    return fail(err instanceof StrategyError ? err : new StrategyError(errorText(err)));
  }
  try {
    const idempotencyKey = `${action}:${request.id}`;
    // Also on the event, so a custom strategy's code can pass it on to the API it calls.
    const event = { ...ev, idempotency_key: idempotencyKey };
    const invocation = { orgId: request.orgId, requestId: request.id, idempotencyKey, action, strategy, target, event, identityFor: identityReducer(ctx, request, event) };
    const outcome = action === 'escalate' ? await runner.escalate(invocation) : await runner.deescalate(invocation);
    return { ok: true, body: outcome.body };
  } catch (err) {
    return fail(err instanceof StrategyError ? err : new StrategyError(errorText(err)), true);
  }
}
