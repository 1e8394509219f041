/**
 * Which of approve, deny and revoke the caller may use on one request right now: the same checks
 * `decide-request.ts` and `revoke-request.ts` make before their transition, without running it.
 * The console shows a button only for these; the transition itself still checks again.
 */
import { ApiError } from '../../errors/api-error';
import { assertMayTakePart } from './acting-rights';
import { actingUser } from './acting-user';
import { checkDecider } from './decider-check';
import { flowParamsOf } from './flow-params';
import { loadRequest, type LifecycleContext, type RequestActor } from './lifecycle-context';
import { REVOCABLE_STATES } from './request-states';
import { eventFor } from './step-event';

/** What the caller may do with a request; `deny` by its requester is a withdrawal. */
export interface RequestActions {
  approve: boolean;
  deny: boolean;
  revoke: boolean;
  /** The caller is the requester (their deny withdraws the request). */
  own: boolean;
}

const none: RequestActions = { approve: false, deny: false, revoke: false, own: false };

/** Runs `check`; a refusal (`ApiError`) is false, anything else is a bug and is thrown. */
async function passes(check: () => Promise<void>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (err) {
    if (err instanceof ApiError) return false;
    throw err;
  }
}

/** The actions the caller's own user may take on request `id` (bot tokens, which must name a user, get none). */
export async function requestActions(ctx: LifecycleContext, actor: RequestActor, id: string): Promise<RequestActions> {
  const request = await loadRequest(ctx, actor, id);
  if (actor.role === 'guest' && request.requesterId !== actor.userId) throw new ApiError('not_found', `No request with id ${id} in this organization.`);
  if (actor.userId === null) return none;
  const user = await actingUser(ctx, actor, {}, 'approver');
  const params = flowParamsOf(request);
  const own = user.id === request.requesterId;
  if (!(await passes(async () => assertMayTakePart(params, request.flowName, user)))) return { ...none, own };
  const decider = (step: 'approve' | 'deny' | 'revoke') => passes(async () => checkDecider(ctx, request, user, await eventFor(ctx, step, request, { [step]: user })));
  const pending = request.state === 'pending';
  const revocable = REVOCABLE_STATES.includes(request.state) && !(request.state === 'active' && !params.allowRevoke);
  return {
    own,
    approve: pending && (await decider('approve')),
    deny: pending && (own || (await decider('deny'))),
    revoke: revocable && (own || user.role === 'admin' || (await decider('revoke'))),
  };
}
