/** Transition "revoke": active → deescalating, with the deescalate job that takes the access back at once. */
import { ApiError } from '../../errors/api-error';
import { assertMayTakePart } from './acting-rights';
import { actingUser } from './acting-user';
import { checkDecider } from './decider-check';
import { flowParamsOf } from './flow-params';
import { loadRequest, stateConflict, type DecisionInput, type LifecycleContext, type RequestActor } from './lifecycle-context';
import { newEvent } from './lifecycle-events';
import { revokeJob } from './lifecycle-jobs';
import { REVOCABLE_STATES } from './request-states';
import { viewOf, type RequestView } from './request-view';
import { eventFor } from './step-event';

/** `POST /requests/{id}/revoke`: the requester, an admin, or an approver may; the flow must allow it. */
export async function revokeRequest(ctx: LifecycleContext, actor: RequestActor, id: string, input: DecisionInput): Promise<RequestView> {
  const { store } = ctx;
  const request = await loadRequest(ctx, actor, id);
  const revoker = await actingUser(ctx, actor, input, 'revoker');
  // `failed` too: nothing should be live after a failed escalation, but an operator must be able
  // to make sure (requests failed before escalations took access back on failure may hold grants);
  // and `deescalation_failed`, to retry now (e.g. after fixing the vendor) rather than later.
  if (!REVOCABLE_STATES.includes(request.state)) throw stateConflict(request, 'revoked');
  // allow_revoke = false keeps a grant until it expires; it never keeps access that should be gone.
  if (request.state === 'active' && !flowParamsOf(request).allowRevoke) throw new ApiError('forbidden', `Flow "${request.flowName}" does not allow revoking access (allow_revoke = false).`);
  assertMayTakePart(flowParamsOf(request), request.flowName, revoker);
  if (revoker.id !== request.requesterId && revoker.role !== 'admin') {
    await checkDecider(ctx, request, revoker, await eventFor(ctx, 'revoke', request, { revoke: revoker }));
  }
  const reason = input.reason ?? null;
  const updated = await store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: [request.state],
    set: { state: 'deescalating', reason },
    events: [newEvent('request.revoked', request, revoker.id, actor.tokenId, { from: request.state, to: 'deescalating', ...(reason !== null && { reason }) })],
    jobs: [revokeJob(request, ctx.now())],
  });
  if (!updated) throw stateConflict((await store.get(request.orgId, request.id)) ?? request, 'revoked');
  ctx.onJobsEnqueued();
  return viewOf(ctx, updated);
}
