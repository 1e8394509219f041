/**
 * The rights of a call that acts for a user. A token acting for a named user (a bot token, or an
 * admin's token naming someone) holds at most the rights of BOTH the token's role and that user:
 * the user is taken with their role capped at the token's role, and every rule (guest rules,
 * `get_permissions` levels, approver lists, the admin's revoke) applies to that capped user. So a
 * guest bot naming an admin decides as a guest, and a member bot naming an admin as a member;
 * a bot naming a listed approver decides as that approver as far as its own role reaches.
 *
 * The approver rules only grow with the role (a higher role never has fewer rights), so the capped
 * user has no right that either the token's role or the user lacks.
 */
import { ApiError } from '../../errors/api-error';
import type { FlowParams } from './flow-params';
import type { RequestActor } from './lifecycle-context';
import type { UserRecord } from './request-store';

type Role = UserRecord['role'];
const rank: Record<Role, number> = { guest: 0, member: 1, admin: 2 };

/** The lower of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}

/** `user` as the call acts for them: their role capped at the role of the calling token. */
export function actingAs(actor: Pick<RequestActor, 'role'>, user: UserRecord): UserRecord {
  const role = lowerRole(actor.role, user.role);
  return role === user.role ? user : { ...user, role };
}

/** 403 unless the flow lets a user acting with this role take part (guests only on flows that allow them). */
export function assertMayTakePart(params: FlowParams, flowName: string, user: Pick<UserRecord, 'role'>): void {
  if (user.role === 'guest' && !params.allowGuestInteraction) {
    throw new ApiError('forbidden', `Flow "${flowName}" does not allow guests (allow_guest_interaction).`);
  }
}
