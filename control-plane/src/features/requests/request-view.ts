/** A request as the API returns it, shaped from the stored record (and its events on `GET /requests/{id}`). */
import type { AccessRequest } from '@opensym/schemas';
import type { LifecycleContext } from './lifecycle-context';
import { iso } from './lifecycle-events';
import { notificationsOf, type ResolvedNotifications } from './request-notifications';
import type { RequestEventRecord, RequestRecord, UserRecord } from './request-store';

/** A request as the API returns it: the `AccessRequest` schema's type, derived from the schema itself. */
export type RequestView = AccessRequest;

/** Shapes a record; `events` adds the audit trail and the stored notifications. */
export function view(r: RequestRecord, requester: Pick<UserRecord, 'email'> | null, events?: RequestEventRecord[], notifications?: ResolvedNotifications | null): RequestView {
  return {
    id: r.id,
    state: r.state,
    flow: { id: r.flowId, name: r.flowName, version: r.flowVersion },
    requester: { id: r.requesterId, email: requester?.email ?? '' },
    fields: r.fields,
    target_id: r.targetId,
    duration_seconds: r.durationSeconds,
    decided_by: r.decidedById,
    reason: r.reason,
    pending_until: iso(r.pendingUntil),
    active_until: iso(r.activeUntil),
    last_error: r.lastError,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    ...(events && {
      events: events.map((e) => ({ id: e.id, type: e.type, at: e.at.toISOString(), actor_user_id: e.actorUserId, actor_token_id: e.actorTokenId, data: e.data })),
      notifications: notificationsOf(events.find((e) => e.type === 'request.created')?.data),
    }),
    ...(notifications !== undefined && { notifications }),
  };
}

/** Shapes a record after reading its requester (and its events when `withEvents`). */
export async function viewOf(ctx: Pick<LifecycleContext, 'store'>, r: RequestRecord, withEvents = false): Promise<RequestView> {
  const requester = await ctx.store.findUser(r.orgId, { id: r.requesterId });
  return view(r, requester, withEvents ? await ctx.store.events(r.orgId, r.id) : undefined);
}
