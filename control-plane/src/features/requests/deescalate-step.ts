/**
 * Transition "deescalate" (job `deescalate`, on expiry or after a revoke): on_deescalate, then the
 * strategy takes access back, then done. A failed deescalation is kept as state and never dropped.
 */
import type { ClaimedJob } from '../../jobs/job-queue';
import { flowParamsOf } from './flow-params';
import { redirectOf, runAfter } from './flow-hooks';
import type { LifecycleContext } from './lifecycle-context';
import { errorText, iso, newEvent } from './lifecycle-events';
import { JOB_KINDS, requestOfJob } from './lifecycle-jobs';
import { DEESCALATION_STATES, type RequestState } from './request-states';
import { runStrategy } from './strategy-step';
import { eventFor } from './step-event';

/**
 * An expiring grant stays `active` while the strategy runs; its `request.expired` event is
 * written with the outcome (`done` or `deescalation_failed`) in one statement, so the common case
 * costs two writes fewer. A revoked grant is already `deescalating`.
 */
export async function deescalate(ctx: LifecycleContext, job: ClaimedJob): Promise<void> {
  const { store } = ctx;
  const request = await requestOfJob(ctx, job);
  if (!request || !DEESCALATION_STATES.includes(request.state)) return;
  // `deescalating` is entered only by a revoke or a failed escalation, whose own job takes the
  // access back: the expiry job that comes due meanwhile must not call the strategy a second time.
  if (job.payload.cause === 'expiry' && request.state === 'deescalating') return;
  const expiring = request.state === 'active';
  const expired = (to: RequestState) => (expiring ? [newEvent('request.expired', request, null, null, { from: 'active', to, active_until: iso(request.activeUntil) })] : []);
  // Hooks and the strategy see the grant as being taken back, whichever way it got here.
  const ev = await eventFor(ctx, 'deescalate', expiring ? { ...request, state: 'deescalating' } : request);
  // on_deescalate may observe but not stop taking access back: a hook must not keep access alive.
  try {
    const out = await ctx.hooks.run(flowParamsOf(request).source, 'on_deescalate', ev, request.orgId);
    if (out.exported && redirectOf(out.value)) {
      await store.record(request.orgId, request.id, [newEvent('request.hook_redirect_ignored', request, null, null, { hook: 'on_deescalate' })]);
    }
  } catch (err) {
    await store.record(request.orgId, request.id, [newEvent('request.hook_failed', request, null, null, { hook: 'on_deescalate', error: errorText(err) })]);
  }
  const result = await runStrategy(ctx, request, 'deescalate', ev, job, expired('deescalation_failed'));
  if (!result.ok) return;
  const body = result.body;
  const deescalated = (from: RequestState) => newEvent('request.deescalated', request, null, null, { from, to: 'done', step: 'deescalate', output: body ?? null });
  const done = { orgId: request.orgId, requestId: request.id, set: { state: 'done' as const, lastError: null } };
  // Still active (the usual case): expired and deescalated together. Otherwise (revoked meanwhile,
  // or a retry after a failure) only deescalated.
  const updated =
    (expiring ? await store.transition({ ...done, from: ['active'], events: [...expired('done'), deescalated('active')] }) : null) ??
    (await store.transition({ ...done, from: ['deescalating', 'deescalation_failed'], events: [deescalated(request.state === 'active' ? 'deescalating' : request.state)] }));
  if (updated) await runAfter(ctx, updated, 'after_deescalate', () => eventFor(ctx, 'deescalate', updated));
}

/** Retries of one `deescalate` job ran out: schedule another, later; a failed deescalation is never dropped. */
export async function deescalateGaveUp(ctx: LifecycleContext, job: ClaimedJob, error: Error): Promise<void> {
  if (!job.requestId || !job.orgId) return;
  const request = await ctx.store.get(job.orgId, job.requestId);
  if (!request || !DEESCALATION_STATES.includes(request.state)) return;
  await ctx.store.record(request.orgId, request.id, [newEvent('request.deescalation_rescheduled', request, null, null, { error: errorText(error), job_id: job.id })], { lastError: errorText(error) });
  await ctx.store.enqueue({
    kind: JOB_KINDS.deescalate,
    orgId: job.orgId,
    requestId: job.requestId,
    runAt: new Date(ctx.now().getTime() + 3600_000),
    dedupeKey: `deescalate:${job.requestId}:after:${job.id}`,
    payload: job.payload,
  });
}
