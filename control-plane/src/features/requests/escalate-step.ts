/** Transition "escalate" (job `escalate`): on_escalate, then the strategy grants access, then active until expiry. */
import type { ClaimedJob } from '../../jobs/job-queue';
import { flowParamsOf } from './flow-params';
import { redirectOf, runAfter, type Redirect } from './flow-hooks';
import type { LifecycleContext } from './lifecycle-context';
import { errorText, newEvent } from './lifecycle-events';
import { expiryJob, requestOfJob } from './lifecycle-jobs';
import { runStrategy } from './strategy-step';
import { eventFor } from './step-event';

/** Job `escalate`: a no-op unless the request is still `approved`. */
export async function escalate(ctx: LifecycleContext, job: ClaimedJob): Promise<void> {
  const { store } = ctx;
  const request = await requestOfJob(ctx, job);
  if (!request || request.state !== 'approved') return;
  const ev = await eventFor(ctx, 'escalate', request);
  let redirect: Redirect;
  try {
    const out = await ctx.hooks.run(flowParamsOf(request).source, 'on_escalate', ev, request.orgId);
    redirect = out.exported ? redirectOf(out.value) : null;
  } catch (err) {
    await store.record(request.orgId, request.id, [newEvent('request.hook_failed', request, null, null, { hook: 'on_escalate', error: errorText(err) })], { lastError: errorText(err) });
    throw err;
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
  if (!result.ok) return;
  const body = result.body;
  const activeUntil = new Date(ctx.now().getTime() + (request.durationSeconds ?? ctx.defaultDurationSeconds) * 1000);
  const updated = await store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: ['approved'],
    set: { state: 'active', activeUntil, lastError: null },
    events: [newEvent('request.escalated', request, null, null, { from: 'approved', to: 'active', active_until: activeUntil.toISOString(), step: 'escalate', output: body ?? null })],
    jobs: flowParamsOf(request).scheduleDeescalation ? [expiryJob(request, activeUntil)] : [],
  });
  if (updated) await runAfter(ctx, updated, 'after_escalate', () => eventFor(ctx, 'escalate', updated));
}

/** Retries of `escalate` ran out: the request failed (access was never granted). */
export async function escalateGaveUp(ctx: LifecycleContext, job: ClaimedJob, error: Error): Promise<void> {
  const request = await requestOfJob(ctx, job);
  if (!request) return;
  await ctx.store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: ['approved'],
    set: { state: 'failed', lastError: errorText(error) },
    events: [newEvent('request.escalation_failed', request, null, null, { from: 'approved', to: 'failed', error: errorText(error), final: true })],
  });
}
