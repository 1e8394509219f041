/**
 * Transition "escalate" (job `escalate`): on_escalate, then the strategy grants access, then
 * active until expiry. Once the strategy may have granted, the request never ends without a
 * scheduled deescalation: a failure after that point takes the access back (→ `deescalating`).
 */
import type { JsonValue } from '@opensym/schemas';
import type { ClaimedJob } from '../../jobs/job-queue';
import { flowParamsOf } from './flow-params';
import { redirectOf, runAfter, type Redirect } from './flow-hooks';
import type { LifecycleContext } from './lifecycle-context';
import { errorText, newEvent } from './lifecycle-events';
import { cleanupJob, expiryJob, requestOfJob } from './lifecycle-jobs';
import type { RequestRecord } from './request-store';
import { runStrategy } from './strategy-step';
import { eventFor } from './step-event';

/**
 * approved → deescalating, with a deescalate job: the escalation failed for good after the
 * strategy may have granted, so whatever it granted is taken back. Its `request.escalation_failed`
 * event carries `final: true` and the error.
 */
async function takeBack(ctx: LifecycleContext, request: RequestRecord, data: Record<string, JsonValue>): Promise<void> {
  ctx.unrecordedGrants.delete(request.id);
  const updated = await ctx.store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: ['approved'],
    set: { state: 'deescalating', lastError: typeof data.error === 'string' ? data.error : null },
    events: [newEvent('request.escalation_failed', request, null, null, { ...data, from: 'approved', to: 'deescalating', final: true })],
    jobs: [cleanupJob(request)],
  });
  if (updated) ctx.onJobsEnqueued();
}

/** approved → active with the strategy's output, and the expiry deescalation unless the flow turns it off. */
function activate(ctx: LifecycleContext, request: RequestRecord, body: JsonValue | undefined, extra: Record<string, JsonValue> = {}): Promise<RequestRecord | null> {
  const activeUntil = new Date(ctx.now().getTime() + (request.durationSeconds ?? ctx.defaultDurationSeconds) * 1000);
  return ctx.store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: ['approved'],
    set: { state: 'active', activeUntil, lastError: null },
    events: [newEvent('request.escalated', request, null, null, { from: 'approved', to: 'active', active_until: activeUntil.toISOString(), step: 'escalate', output: body ?? null, ...extra })],
    jobs: flowParamsOf(request).scheduleDeescalation ? [expiryJob(request, activeUntil)] : [],
  });
}

/** Job `escalate`: a no-op unless the request is still `approved`. */
export async function escalate(ctx: LifecycleContext, job: ClaimedJob): Promise<void> {
  const { store } = ctx;
  const request = await requestOfJob(ctx, job);
  if (!request || request.state !== 'approved') return;
  let granted = ctx.unrecordedGrants.get(request.id);
  if (!granted) {
    const ev = await eventFor(ctx, 'escalate', request);
    let redirect: Redirect;
    try {
      const out = await ctx.hooks.run(flowParamsOf(request).source, 'on_escalate', ev, request.orgId);
      redirect = out.exported ? redirectOf(out.value) : null;
    } catch (err) {
      await store.record(request.orgId, request.id, [newEvent('request.hook_failed', request, null, null, { hook: 'on_escalate', error: errorText(err) })], { lastError: errorText(err) });
      // Retried; the job queue stores the message as the job's lastError, so it must be storable too.
      throw new Error(errorText(err));
    }
    if (redirect && redirect.to !== 'approve') {
      await store.transition({
        orgId: request.orgId,
        requestId: request.id,
        from: ['approved'],
        set: { state: 'denied', reason: redirect.message },
        events: [newEvent('request.denied', request, null, null, { from: 'approved', to: 'denied', reason: redirect.message, redirected_by: 'on_escalate' })],
      });
      return;
    }
    const result = await runStrategy(ctx, request, 'escalate', ev, job);
    if (!result.ok) {
      const data = { error: errorText(result.error.message), retryable: false, attempt: job.attempt };
      if (result.mayHaveRun) return takeBack(ctx, request, data);
      // The strategy was never reached (deleted, or of a type this control plane cannot run): nothing was granted.
      await store.transition({
        orgId: request.orgId,
        requestId: request.id,
        from: ['approved'],
        set: { state: 'failed', lastError: data.error },
        events: [newEvent('request.escalation_failed', request, null, null, { ...data, from: 'approved', to: 'failed', final: true })],
      });
      return;
    }
    granted = { body: result.body };
    ctx.unrecordedGrants.set(request.id, granted);
  }
  let updated: RequestRecord | null;
  try {
    updated = await activate(ctx, request, granted.body);
  } catch (err) {
    // The grant happened; only its output could not be written. Record the activation without it
    // (and its deescalation) rather than fail a step whose effect is live.
    updated = await activate(ctx, request, undefined, { output_not_stored: errorText(err) });
  }
  ctx.unrecordedGrants.delete(request.id);
  if (updated) {
    ctx.onJobsEnqueued();
    await runAfter(ctx, updated, 'after_escalate', () => eventFor(ctx, 'escalate', updated));
  }
}

/**
 * Retries of `escalate` ran out. Any attempt may have reached the strategy (a vendor can grant and
 * then fail, time out, or the worker can die mid-call), so the access is taken back: the request
 * goes `deescalating` with a deescalate job, never a resting state with a live grant.
 */
export async function escalateGaveUp(ctx: LifecycleContext, job: ClaimedJob, error: Error): Promise<void> {
  const request = await requestOfJob(ctx, job);
  if (!request) return;
  await takeBack(ctx, request, { error: errorText(error), attempts: job.attempt });
}
