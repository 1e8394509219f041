/**
 * Role checks shared by services and the HTTP guards. No Express here: services call
 * `assertRole` without depending on the middleware layer.
 */
import { ApiError } from '../../errors/api-error';
import type { Role, TokenIdentity } from './token-store';

/** Throws 403 unless the identity has one of `roles`. */
export function assertRole(identity: TokenIdentity, roles: readonly Role[], doing = 'do this'): void {
  if (!roles.includes(identity.role)) {
    throw new ApiError('forbidden', `A ${identity.role} token may not ${doing}; this needs ${roles.join(' or ')}.`);
  }
}
