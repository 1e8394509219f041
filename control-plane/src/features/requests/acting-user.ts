/** Finds the user an API call acts for: the token's own user, or the user an admin or bot token names. */
import { ApiError } from '../../errors/api-error';
import { actingAs } from './acting-rights';
import type { LifecycleContext, RequestActor } from './lifecycle-context';
import type { UserRecord } from './request-store';

/** A user of the organization, or 422 at `pointer`. */
export async function requireUser(ctx: Pick<LifecycleContext, 'store'>, orgId: string, by: { id: string } | { email: string }, pointer: string): Promise<UserRecord> {
  const user = await ctx.store.findUser(orgId, by);
  if (!user) throw new ApiError('validation_failed', 'No such user in this organization.', [{ pointer, detail: 'no user with this ' + ('id' in by ? 'id' : 'email') }]);
  return user;
}

/**
 * The user the call acts for: a user token acts as itself; admin and bot tokens may name someone.
 * The user comes back with their role capped at the token's (`acting-rights.ts`), so every rule
 * applied to them afterwards gives at most the rights of both.
 */
export async function actingUser(ctx: Pick<LifecycleContext, 'store'>, actor: RequestActor, input: { user_email?: string; user_id?: string }, what: string): Promise<UserRecord> {
  const named = input.user_id !== undefined ? { id: input.user_id } : input.user_email !== undefined ? { email: input.user_email } : null;
  const pointer = input.user_id !== undefined ? '/user_id' : '/user_email';
  if (named) {
    const user = await requireUser(ctx, actor.orgId, named, pointer);
    if (actor.userId !== null && actor.role !== 'admin' && user.id !== actor.userId) {
      throw new ApiError('forbidden', `A user token acts as its own user; only admin and bot tokens may name the ${what}.`);
    }
    return actingAs(actor, user);
  }
  if (actor.userId === null) {
    throw new ApiError('validation_failed', `A bot token must name the ${what}.`, [{ pointer: '/user_email', detail: `user_email or user_id is required with a bot token` }]);
  }
  return actingAs(actor, await requireUser(ctx, actor.orgId, { id: actor.userId }, '/user_id'));
}
