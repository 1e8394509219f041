/** The event a step's hooks, reducers and strategy see, read fresh from the store. */
import type { SymEvent } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import type { LifecycleContext } from './lifecycle-context';
import { buildEvent, stepOutputs } from './request-event';
import type { RequestRecord, UserRecord } from './request-store';

/** The request's access target entity (null without one, or when it was deleted). */
export async function targetOf(ctx: Pick<LifecycleContext, 'store'>, request: RequestRecord): Promise<EntityRecord | null> {
  return request.targetId ? ctx.store.findEntity(request.orgId, 'access-targets', request.targetId) : null;
}

/** The event for step `type`, with the requester, the decider, `extraActors` and earlier step outputs. */
export async function eventFor(ctx: Pick<LifecycleContext, 'store'>, type: string, request: RequestRecord, extraActors: Record<string, UserRecord> = {}): Promise<SymEvent> {
  const { store } = ctx;
  const requester = await store.findUser(request.orgId, { id: request.requesterId });
  if (!requester) throw new Error(`requester ${request.requesterId} of request ${request.id} is gone`);
  const actors: Record<string, UserRecord> = { request: requester };
  if (request.decidedById) {
    const decider = await store.findUser(request.orgId, { id: request.decidedById });
    if (decider) actors[request.state === 'denied' ? 'deny' : 'approve'] = decider;
  }
  Object.assign(actors, extraActors);
  const events = await store.events(request.orgId, request.id);
  return buildEvent({ type, request, requester, target: await targetOf(ctx, request), actors, outputs: stepOutputs(events) });
}
