import type { IssuedToken, Token } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { AuditLog } from '../audit/audit-log';
import { assertRole } from './roles';
import type { AuthService } from './auth-service';
import type { Role, TokenIdentity, TokenRecord, TokenStore } from './token-store';
import { toPage, type Page, type PageRequest } from '../../validation/paging';

/** A token as listed (the `Token` schema's type). */
export type TokenResponse = Token;

/** A token with its secret, as issued (the `IssuedToken` schema's type). */
export type IssuedTokenResponse = IssuedToken;

/** Issuing, listing and revoking API tokens (admin only). */
export interface TokenService {
  /** A bot token: acts for no user, with a role of its own. */
  issueBotToken(actor: TokenIdentity, body: { name: string; role: Role }): Promise<IssuedTokenResponse>;
  /** A token acting for `userId`; it carries the user's role, now and after the user changes. */
  issueUserToken(actor: TokenIdentity, userId: string, body: { name?: string }): Promise<IssuedTokenResponse>;
  list(actor: TokenIdentity, filter: { userId?: string }, page: PageRequest): Promise<Page<TokenResponse>>;
  revoke(actor: TokenIdentity, id: string): Promise<void>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tokenResponse(t: TokenRecord): TokenResponse {
  return { id: t.id, name: t.name, role: t.role, user_id: t.userId, created_at: t.createdAt.toISOString(), last_used_at: t.lastUsedAt?.toISOString() ?? null };
}

/** Creates the token service over the auth service (which generates and hashes) and the token store. */
export function createTokenService({
  auth,
  store,
  users,
  audit,
}: {
  auth: Pick<AuthService, 'issueToken' | 'forget'>;
  store: Pick<TokenStore, 'listTokens' | 'findToken' | 'deleteToken'>;
  users: { findById(orgId: string, id: string): Promise<{ id: string; email: string; role: Role } | null> };
  audit: Pick<AuditLog, 'record'>;
}): TokenService {
  const issue = async (actor: TokenIdentity, name: string, role: Role, user: { id: string; email: string } | null): Promise<IssuedTokenResponse> => {
    const { id, token } = await auth.issueToken(actor.org.id, name, role, user?.id ?? null);
    const record = await store.findToken(actor.org.id, id);
    if (!record) throw new Error(`token ${id} vanished right after it was issued`);
    // The event names the token, never its value.
    await audit.record({
      orgId: actor.org.id,
      type: 'token.created',
      actorTokenId: actor.tokenId,
      actorUserId: actor.userId,
      entityId: null,
      data: { token_id: id, name, role, user_id: user?.id ?? null, ...(user && { email: user.email }) },
    });
    return { ...tokenResponse(record), token };
  };
  return {
    async issueBotToken(actor, body) {
      assertRole(actor, ['admin'], 'issue tokens');
      return issue(actor, body.name, body.role, null);
    },
    async issueUserToken(actor, userId, body) {
      assertRole(actor, ['admin'], 'issue tokens');
      const user = uuidPattern.test(userId) ? await users.findById(actor.org.id, userId.toLowerCase()) : null;
      if (!user) throw new ApiError('not_found', `No user with id ${userId} in this organization.`);
      return issue(actor, body.name ?? `token for ${user.email}`, user.role, user);
    },
    async list(actor, filter, page) {
      assertRole(actor, ['admin'], 'list tokens');
      if (filter.userId !== undefined && !uuidPattern.test(filter.userId)) return { data: [], next_page_token: null };
      const tokens = await store.listTokens(actor.org.id, { userId: filter.userId?.toLowerCase(), after: page.after, take: page.limit + 1 });
      return toPage(tokens, page.limit, (t) => ({ at: t.createdAt, id: t.id }), tokenResponse);
    },
    async revoke(actor, id) {
      assertRole(actor, ['admin'], 'revoke tokens');
      const record = uuidPattern.test(id) ? await store.findToken(actor.org.id, id.toLowerCase()) : null;
      const outcome = record ? await store.deleteToken(actor.org.id, record.id) : 'not_found';
      if (!record || outcome === 'not_found') throw new ApiError('not_found', `No token with id ${id} in this organization.`);
      if (outcome === 'last_admin') {
        throw new ApiError(
          'last_admin',
          `Token "${record.name}" (${record.id}) is the organization's last admin token; revoking it would leave nobody able to administer the organization. ` +
            'Issue another admin token first (POST /api/v1/tokens with role admin, or a token for a user with the admin role).',
        );
      }
      // The revoked token stops working at once in this process (others: within the identity TTL).
      auth.forget();
      await audit.record({
        orgId: actor.org.id,
        type: 'token.revoked',
        actorTokenId: actor.tokenId,
        actorUserId: actor.userId,
        entityId: null,
        data: { token_id: record.id, name: record.name, user_id: record.userId },
      });
    },
  };
}
