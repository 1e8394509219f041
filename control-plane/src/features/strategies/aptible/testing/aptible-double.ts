// Test double of the Aptible auth API parts the aptible strategy uses, after what Aptible's own
// clients send and expect (the dashboard app-ui and the aptible-auth gem): POST /tokens with
// `{grant_type: "password", username, password, scope: "manage"}` (201 with `access_token`;
// 401 `invalid_credentials`, or `otp_token_required` for a user with 2FA); HAL+JSON collections
// (`_embedded.<name>`, `_links.next` to the following page) for GET /organizations/{id}/users and
// GET /roles/{id}/memberships; POST /roles/{id}/memberships with `{user_url}` (201 with the
// membership: `id`, `_links.user`, `_links.role`); DELETE /memberships/{id} (204). Errors are
// `{code, error, message}`. Role changes need a bot that is Role Admin of the role (else 403): the
// read-only bot is Role Admin of none.
import { randomBytes, randomUUID } from 'node:crypto';
import { startVendorServer, type VendorReply, type VendorRequest, type VendorServer } from '../../../../test-support/vendor-double';

/** A running Aptible double; `url` replaces `https://auth.aptible.com`. */
export interface AptibleDouble {
  url: string;
  server: VendorServer;
  organizationId: string;
  /** The bot user's credentials (Role Admin of every role added with `admin: true`). */
  bot: { username: string; password: string };
  /** A bot user with two-factor authentication: token requests answer `otp_token_required`. */
  otpBot: { username: string; password: string };
  /** A bot user that signs in but is Role Admin of no role: its role changes answer 403. */
  readOnlyBot: { username: string; password: string };
  /** Adds a user of the organization; returns its id. */
  addUser(email: string): string;
  /** Adds a role; `botIsAdmin` false: the bot may not change its members (403). */
  addRole(id: string, botIsAdmin?: boolean): void;
  /** User ids with a membership of the role. */
  members(roleId: string): string[];
  /** Adds a membership directly (as the dashboard would). */
  addMember(roleId: string, userId: string): void;
  /** Answers the next `times` matching requests with `status` (429 carries Retry-After: 1). */
  fail(method: string, path: RegExp, status: number, times?: number): void;
  close(): Promise<void>;
}

const ERRORS: Record<number, string> = {
  400: 'bad_request',
  401: 'invalid_token',
  403: 'forbidden',
  404: 'not_found',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
};

function error(status: number, message: string, code = ERRORS[status] ?? 'error', headers: Record<string, string> = {}): VendorReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: { code: status, error: code, message } };
}

/** Users and memberships per page, small so the strategy must follow `_links.next`. */
const PAGE_SIZE = 2;

/** Starts the double with no users and no roles. */
export async function startAptibleDouble(): Promise<AptibleDouble> {
  const organizationId = randomUUID();
  const bot = { username: 'sym-bot@example.com', password: randomBytes(16).toString('hex') };
  const otpBot = { username: 'otp-bot@example.com', password: randomBytes(16).toString('hex') };
  const readOnlyBot = { username: 'sym-readonly-bot@example.com', password: randomBytes(16).toString('hex') };
  const users = new Map<string, string>();
  const roles = new Map<string, { botIsAdmin: boolean; memberships: Map<string, string> }>();
  /** Access tokens, and whether their bot may change role members. */
  const tokens = new Map<string, boolean>();
  let origin = '';

  const userJson = (id: string) => ({
    id,
    email: users.get(id),
    name: users.get(id)!.split('@')[0],
    username: users.get(id),
    verified: true,
    _type: 'user',
    _links: { self: { href: `${origin}/users/${id}` } },
  });
  const membershipJson = (roleId: string, id: string, userId: string) => ({
    id,
    privileged: false,
    created_at: new Date().toISOString(),
    _type: 'membership',
    _links: { self: { href: `${origin}/memberships/${id}` }, user: { href: `${origin}/users/${userId}` }, role: { href: `${origin}/roles/${roleId}` } },
  });
  const page = <T>(request: VendorRequest, key: string, items: T[]): VendorReply => {
    const n = Math.max(Number(request.query.get('page') ?? '1'), 1);
    const slice = items.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE);
    const links: Record<string, { href: string }> = { self: { href: `${origin}${request.path}?page=${n}` } };
    if (n * PAGE_SIZE < items.length) links.next = { href: `${origin}${request.path}?page=${n + 1}` };
    return { status: 200, headers: { 'content-type': 'application/hal+json' }, body: { _embedded: { [key]: slice }, _links: links, current_page: n, per_page: PAGE_SIZE, total_count: items.length } };
  };
  const roleOf = (id: string) => roles.get(id.toLowerCase());
  /** Whether the request's bot is Role Admin of `role`. */
  const mayManage = (request: VendorRequest, role: { botIsAdmin: boolean }) => role.botIsAdmin && tokens.get(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '') === true;

  const server = await startVendorServer({
    authenticate(request) {
      if (request.path === '/tokens') return undefined;
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      return token && tokens.has(token) ? undefined : error(401, 'Invalid token');
    },
    notFound: () => error(404, 'Not found'),
    routes: [
      {
        method: 'POST',
        pattern: '/tokens',
        handle(request) {
          const body = JSON.parse(request.body || '{}') as { grant_type?: string; username?: string; password?: string; scope?: string };
          if (body.grant_type !== 'password') return error(400, 'Unsupported grant type', 'unsupported_grant_type');
          if (body.username === otpBot.username && body.password === otpBot.password) return error(401, 'Two-factor authentication required', 'otp_token_required');
          const admin = body.username === bot.username && body.password === bot.password;
          const readOnly = body.username === readOnlyBot.username && body.password === readOnlyBot.password;
          if (!admin && !readOnly) return error(401, 'Invalid email or password', 'invalid_credentials');
          const token = randomBytes(32).toString('hex');
          tokens.set(token, admin);
          return { status: 201, body: { id: randomUUID(), access_token: token, token_type: 'bearer', expires_in: 1800, scope: body.scope ?? 'manage', _type: 'token' } };
        },
      },
      {
        method: 'GET',
        pattern: '/organizations/:org/users',
        handle(request) {
          if (request.params.org.toLowerCase() !== organizationId) return error(404, 'Organization not found');
          return page(request, 'users', [...users.keys()].map(userJson));
        },
      },
      {
        method: 'GET',
        pattern: '/roles/:id/memberships',
        handle(request) {
          const role = roleOf(request.params.id);
          if (!role) return error(404, 'Role not found');
          return page(
            request,
            'memberships',
            [...role.memberships].map(([id, userId]) => membershipJson(request.params.id.toLowerCase(), id, userId)),
          );
        },
      },
      {
        method: 'POST',
        pattern: '/roles/:id/memberships',
        handle(request) {
          const role = roleOf(request.params.id);
          if (!role) return error(404, 'Role not found');
          if (!mayManage(request, role)) return error(403, 'You are not authorized to manage this role');
          const userUrl = (JSON.parse(request.body || '{}') as { user_url?: string }).user_url ?? '';
          const userId = userUrl.replace(/\/+$/, '').split('/').pop() ?? '';
          if (!users.has(userId)) return error(422, 'User must be a member of the organization');
          if ([...role.memberships.values()].includes(userId)) return error(422, 'User has already been taken');
          const id = randomUUID();
          role.memberships.set(id, userId);
          return { status: 201, body: membershipJson(request.params.id.toLowerCase(), id, userId) };
        },
      },
      {
        method: 'DELETE',
        pattern: '/memberships/:id',
        handle(request) {
          for (const role of roles.values()) {
            if (!role.memberships.has(request.params.id)) continue;
            if (!mayManage(request, role)) return error(403, 'You are not authorized to manage this role');
            role.memberships.delete(request.params.id);
            return { status: 204 };
          }
          return error(404, 'Membership not found');
        },
      },
    ],
  });
  origin = server.url;

  return {
    url: server.url,
    server,
    organizationId,
    bot,
    otpBot,
    readOnlyBot,
    addUser(email) {
      const id = randomUUID();
      users.set(id, email);
      return id;
    },
    addRole: (id, botIsAdmin = true) => void roles.set(id.toLowerCase(), { botIsAdmin, memberships: new Map() }),
    members: (roleId) => [...(roleOf(roleId)?.memberships.values() ?? [])],
    addMember: (roleId, userId) => void roleOf(roleId)!.memberships.set(randomUUID(), userId),
    fail(method, path, status, times = 1) {
      server.inject({ method, path, times, reply: status === 429 ? error(429, 'Rate limit exceeded', 'too_many_requests', { 'retry-after': '1' }) : error(status, 'Something went wrong') });
    },
    close: () => server.close(),
  };
}
