/** `GET /requests` (filters and keyset pages) and `GET /requests/{id}`, with the guest rules for reading. */
import { ApiError } from '../../errors/api-error';
import { loadRequest, type LifecycleContext, type RequestActor } from './lifecycle-context';
import { isRequestState, type RequestState } from './request-states';
import { view, viewOf, type RequestView } from './request-view';

/** Query of `GET /requests`. */
export interface RequestListQuery {
  state?: string;
  flow?: string;
  requester?: string;
  limit?: number;
  page_token?: string;
}

// Matches nothing: a filter naming an unknown flow or user gives an empty page, not an error.
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** One page of requests; guests see only their own. */
export async function listRequests(ctx: Pick<LifecycleContext, 'store'>, actor: RequestActor, query: RequestListQuery): Promise<{ data: RequestView[]; next_page_token: string | null }> {
  const { store } = ctx;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  if (query.state !== undefined && !isRequestState(query.state)) throw new ApiError('validation_failed', `Unknown state "${query.state}".`, [{ pointer: '/state', detail: 'unknown state' }]);
  let flowId: string | undefined;
  if (query.flow !== undefined) flowId = (await store.findFlow(actor.orgId, query.flow))?.id ?? NO_ID;
  let requesterId: string | undefined;
  if (query.requester !== undefined) {
    const user = await store.findUser(actor.orgId, query.requester.includes('@') ? { email: query.requester } : { id: query.requester });
    requesterId = user?.id ?? NO_ID;
  }
  // Guests see only their own requests.
  if (actor.role === 'guest') {
    if (!actor.userId || (requesterId !== undefined && requesterId !== actor.userId)) return { data: [], next_page_token: null };
    requesterId = actor.userId;
  }
  if (query.page_token !== undefined) {
    const cursor = await store.get(actor.orgId, query.page_token);
    // A guest's token must name one of its own requests: others must not even be shown to exist.
    if (!cursor || (actor.role === 'guest' && cursor.requesterId !== actor.userId)) {
      throw new ApiError('validation_failed', 'Unknown page_token.', [{ pointer: '/page_token', detail: 'not a token from a previous page' }]);
    }
  }
  const rows = await store.list(actor.orgId, {
    ...(query.state !== undefined && { state: query.state as RequestState }),
    ...(flowId && { flowId }),
    ...(requesterId && { requesterId }),
    limit: limit + 1,
    ...(query.page_token !== undefined && { after: query.page_token }),
  });
  const page = rows.slice(0, limit);
  return { data: page.map((r) => view(r, { email: r.requesterEmail })), next_page_token: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** One request with its events; another user's request is a 404 for a guest. */
export async function getRequest(ctx: Pick<LifecycleContext, 'store'>, actor: RequestActor, id: string): Promise<RequestView> {
  const request = await loadRequest(ctx, actor, id);
  if (actor.role === 'guest' && request.requesterId !== actor.userId) throw new ApiError('not_found', `No request with id ${id} in this organization.`);
  return viewOf(ctx, request, true);
}
