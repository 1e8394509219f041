import type { User, UserCreateBody, UserUpdateBody } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { AuditLog } from '../audit/audit-log';
import { assertRole } from '../auth/roles';
import type { TokenIdentity } from '../auth/token-store';
import type { UserRecord, UserStore, UserWrite } from './user-store';
import { toPage, type Page, type PageRequest } from '../../validation/paging';

/** A user as the API returns it: the `User` schema's type. */
export type UserResponse = User;

/** A validated `POST /users` body (defaults filled): the `User.create` schema's type. */
export type UserCreate = UserCreateBody;

/** A validated `PATCH /users/{id}` body: absent keeps, present replaces, `identities: null` clears (`User.update`). */
export type UserPatch = UserUpdateBody;

/** The user rules: unique lowercased emails, who may see whom, no deleting people with requests, no removing the last admin. */
export interface UserService {
  create(actor: TokenIdentity, body: UserCreate): Promise<UserResponse>;
  list(actor: TokenIdentity, filter: { email?: string }, page: PageRequest): Promise<Page<UserResponse>>;
  get(actor: TokenIdentity, id: string): Promise<UserResponse>;
  update(actor: TokenIdentity, id: string, patch: UserPatch): Promise<UserResponse>;
  remove(actor: TokenIdentity, id: string): Promise<void>;
  /** The user a token acts for; null for bot tokens (`GET /whoami`). */
  self(actor: TokenIdentity): Promise<UserResponse | null>;
}

/** The user as the API shows it. */
export function userResponse(u: UserRecord): UserResponse {
  return { id: u.id, email: u.email, role: u.role, identities: u.identities, created_at: u.createdAt.toISOString() };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates the user service; called once by the composition root. */
export function createUserService({
  store,
  audit,
  onChange = () => {},
}: {
  store: UserStore;
  audit: Pick<AuditLog, 'record'>;
  /** Told after a user was changed or deleted (drops cached identities and users). */
  onChange?: () => void;
}): UserService {
  const notFound = (id: string) => new ApiError('not_found', `No user with id ${id} in this organization.`);
  const duplicate = (email: string) => new ApiError('duplicate_name', `A user with email "${email}" already exists in this organization.`, [{ pointer: '/email', detail: 'is already taken' }]);
  const lastAdmin = (user: UserRecord, doing: string) =>
    new ApiError(
      'last_admin',
      `${user.email} holds the organization's last admin token; ${doing} would leave nobody able to administer the organization. ` +
        'First give another user with a token the admin role, or issue an admin bot token (POST /api/v1/tokens with role admin).',
    );
  const find = async (actor: TokenIdentity, id: string): Promise<UserRecord> => {
    // Ids are UUIDs; anything else cannot exist and must not reach a uuid column.
    const user = uuidPattern.test(id) ? await store.findById(actor.org.id, id.toLowerCase()) : null;
    if (!user) throw notFound(id);
    return user;
  };
  const recordEvent = (actor: TokenIdentity, type: string, user: UserRecord, data: Record<string, unknown>) =>
    audit.record({ orgId: actor.org.id, type, actorTokenId: actor.tokenId, actorUserId: actor.userId, entityId: null, data: { user_id: user.id, email: user.email, ...data } });

  return {
    // Used detached (`users.self`), so it must not rely on `this`.
    self: async (actor) => {
      const user = actor.userId ? await store.findById(actor.org.id, actor.userId) : null;
      return user && userResponse(user);
    },
    async create(actor, body) {
      assertRole(actor, ['admin'], 'create users');
      const write: UserWrite = { email: body.email.toLowerCase(), role: body.role, identities: body.identities ?? {} };
      if (await store.findByEmail(actor.org.id, write.email)) throw duplicate(write.email);
      const outcome = await store.create(actor.org.id, write);
      if (!outcome.ok) throw duplicate(write.email);
      await recordEvent(actor, 'user.created', outcome.user, { role: write.role });
      return userResponse(outcome.user);
    },
    async list(actor, filter, page) {
      assertRole(actor, ['admin', 'member'], 'list users');
      if (filter.email?.includes('\u0000')) return { data: [], next_page_token: null };
      const users = await store.list(actor.org.id, { email: filter.email?.toLowerCase(), after: page.after, take: page.limit + 1 });
      return toPage(users, page.limit, (u) => ({ at: u.createdAt, id: u.id }), userResponse);
    },
    async get(actor, id) {
      // Guests request access, they do not route it; their own user comes with `whoami` (`self`).
      assertRole(actor, ['admin', 'member'], 'read users');
      return userResponse(await find(actor, id));
    },
    async update(actor, id, patch) {
      assertRole(actor, ['admin'], 'change users');
      const current = await find(actor, id);
      const write: UserWrite = {
        email: patch.email?.toLowerCase() ?? current.email,
        role: patch.role ?? current.role,
        identities: patch.identities === undefined ? current.identities : (patch.identities ?? {}),
      };
      if (write.email !== current.email && (await store.findByEmail(actor.org.id, write.email))) throw duplicate(write.email);
      const outcome = await store.update(actor.org.id, current.id, write);
      onChange();
      if (!outcome.ok) throw outcome.reason === 'duplicate' ? duplicate(write.email) : outcome.reason === 'last_admin' ? lastAdmin(current, 'changing their role') : notFound(id);
      await recordEvent(actor, 'user.updated', outcome.user, { changed: Object.keys(patch).sort(), role: write.role });
      return userResponse(outcome.user);
    },
    async remove(actor, id) {
      assertRole(actor, ['admin'], 'delete users');
      const user = await find(actor, id);
      // Deleting would cascade to the user's access requests, including active grants.
      const requests = await store.countRequests(actor.org.id, user.id);
      if (requests > 0) {
        throw new ApiError('still_referenced', `User ${user.email} has ${requests} access request(s); a user with request history cannot be deleted (revoke their tokens instead).`);
      }
      const deleted = await store.delete(actor.org.id, user.id);
      onChange();
      if (deleted === 'not_found') throw notFound(id);
      if (deleted === 'last_admin') throw lastAdmin(user, 'deleting them');
      await recordEvent(actor, 'user.deleted', user, {});
    },
  };
}
