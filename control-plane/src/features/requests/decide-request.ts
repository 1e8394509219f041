/**
 * Transitions "decide": pending → approved (with the escalate job for strategy flows) or denied,
 * by someone the approver rule admits, after `on_approve` / `on_deny` (which may redirect or
 * ignore the decision).
 */
import type { JsonValue } from '@opensym/schemas';
import { assertMayTakePart } from './acting-rights';
import { actingUser } from './acting-user';
import { checkDecider } from './decider-check';
import { flowParamsOf } from './flow-params';
import { runAfter, runGate } from './flow-hooks';
import { loadRequest, stateConflict, type DecisionInput, type LifecycleContext, type RequestActor } from './lifecycle-context';
import { newEvent } from './lifecycle-events';
import { escalateJob } from './lifecycle-jobs';
import type { RequestRecord, UserRecord } from './request-store';
import { viewOf, type RequestView } from './request-view';
import { eventFor } from './step-event';

type By = { userId: string | null; tokenId: string | null };

/** pending → approved (plus the escalate job for strategy flows). */
function approveTransition(ctx: LifecycleContext, request: RequestRecord, by: By, data: Record<string, JsonValue>, reason: string | null): Promise<RequestRecord | null> {
  return ctx.store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: ['pending'],
    set: { state: 'approved', decidedById: by.userId, reason, pendingUntil: null },
    events: [newEvent('request.approved', request, by.userId, by.tokenId, { from: 'pending', to: 'approved', ...(reason !== null && { reason }), ...data })],
    jobs: flowParamsOf(request).strategyId ? [escalateJob(request)] : [],
  });
}

/** pending → denied. */
function denyTransition(ctx: LifecycleContext, request: RequestRecord, by: By, data: Record<string, JsonValue>, reason: string | null): Promise<RequestRecord | null> {
  return ctx.store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: ['pending'],
    set: { state: 'denied', decidedById: by.userId, reason, pendingUntil: null },
    events: [newEvent('request.denied', request, by.userId, by.tokenId, { from: 'pending', to: 'denied', ...(reason !== null && { reason }), ...data })],
  });
}

async function afterDecision(ctx: LifecycleContext, updated: RequestRecord, step: 'approve' | 'deny', decider: UserRecord | null): Promise<void> {
  ctx.onJobsEnqueued();
  await runAfter(ctx, updated, `after_${step}`, () => eventFor(ctx, step, updated, decider ? { [step]: decider } : {}));
}

/** `POST /requests/{id}/approve` and `/deny`. */
export async function decideRequest(ctx: LifecycleContext, actor: RequestActor, id: string, input: DecisionInput, step: 'approve' | 'deny'): Promise<RequestView> {
  const { store } = ctx;
  const request = await loadRequest(ctx, actor, id);
  const decider = await actingUser(ctx, actor, input, step === 'approve' ? 'approver' : 'denier');
  if (request.state !== 'pending') throw stateConflict(request, step === 'approve' ? 'approved' : 'denied');
  assertMayTakePart(flowParamsOf(request), request.flowName, decider);
  const ev = await eventFor(ctx, step, request, { [step]: decider });
  // The requester may always withdraw their own request; everyone else needs approver rights.
  const withdrawing = step === 'deny' && decider.id === request.requesterId;
  if (!withdrawing) await checkDecider(ctx, request, decider, ev);
  const redirect = await runGate(ctx, request, `on_${step}`, ev);
  let to: 'approve' | 'deny' | 'ignore' = step;
  let reason = input.reason ?? null;
  if (redirect) {
    to = redirect.to;
    if (redirect.to !== 'approve' && redirect.message) reason = redirect.message;
  }
  // An on_deny that turns a withdrawal into an approval still needs someone allowed to approve.
  if (withdrawing && to === 'approve') await checkDecider(ctx, request, decider, ev);
  const by = { userId: decider.id, tokenId: actor.tokenId };
  const data: Record<string, JsonValue> = to !== step ? { redirected_by: `on_${step}` } : {};
  if (to === 'ignore') {
    await store.record(request.orgId, request.id, [newEvent(`request.${step}_ignored`, request, decider.id, actor.tokenId, { hook: `on_${step}`, message: reason })]);
    return viewOf(ctx, request);
  }
  const updated = to === 'approve' ? await approveTransition(ctx, request, by, data, reason) : await denyTransition(ctx, request, by, data, reason);
  if (!updated) throw stateConflict((await store.get(request.orgId, request.id)) ?? request, step === 'approve' ? 'approved' : 'denied');
  await afterDecision(ctx, updated, to, decider);
  return viewOf(ctx, updated);
}
