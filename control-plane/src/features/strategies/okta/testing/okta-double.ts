// Test double of the Okta Management API parts the okta strategy and hook helpers use, after
// Okta's published reference: `Authorization: SSWS <token>`; GET /api/v1/users/{id or login};
// PUT and DELETE /api/v1/groups/{groupId}/users/{userId} (204); GET /api/v1/groups/{groupId}/users
// paged with `limit`/`after` and `Link: <...>; rel="next"`; GET /api/v1/users/{id}/groups. Every
// answer carries X-Rate-Limit-Limit/-Remaining/-Reset and X-Okta-Request-Id; errors are Okta's
// error objects (E0000011 invalid token, E0000006 no permission, E0000007 not found, E0000047
// rate limit).
import { randomBytes } from 'node:crypto';
import { pageAfter, startVendorServer, type VendorReply, type VendorRequest, type VendorServer } from '../../../../test-support/vendor-double';

/** An Okta user in the double. */
export interface OktaDoubleUser {
  id: string;
  login: string;
  email: string;
  status?: string;
}

/** A running Okta double; `url` is the org URL to give the SDK. */
export interface OktaDouble {
  url: string;
  server: VendorServer;
  /** The API token with the Group Membership Admin role. */
  token: string;
  /** A token of a read-only administrator: membership changes answer 403 E0000006. */
  readOnlyToken: string;
  addUser(user: OktaDoubleUser): void;
  /** Adds an OKTA_GROUP (or APP_GROUP, whose memberships the API refuses to change). */
  addGroup(id: string, name: string, type?: 'OKTA_GROUP' | 'APP_GROUP'): void;
  /** Makes user `userId` a member of `groupId` (as if added earlier). */
  addMember(groupId: string, userId: string): void;
  /** User ids in the group, in insertion order. */
  members(groupId: string): string[];
  /** Answers the next `times` requests matching with 429 E0000047 (X-Rate-Limit-Remaining 0, Reset in `resetSeconds`). */
  rateLimit(method: string, path: RegExp, times?: number, resetSeconds?: number): void;
  /** Answers the next `times` requests matching with `status` and an Okta error body (E0000009 internal server error). */
  fail(method: string, path: RegExp, status: number, times?: number): void;
  close(): Promise<void>;
}

const LIMIT = 600;

function oktaError(status: number, code: string, summary: string): VendorReply {
  return { status, body: { errorCode: code, errorSummary: summary, errorLink: code, errorId: `oae${randomBytes(8).toString('hex')}`, errorCauses: [] } };
}

/** Starts the double with no users and no groups. */
export async function startOktaDouble(): Promise<OktaDouble> {
  const token = `00${randomBytes(20).toString('base64url')}`;
  const readOnlyToken = `00${randomBytes(20).toString('base64url')}`;
  const users = new Map<string, OktaDoubleUser>();
  const groups = new Map<string, { id: string; name: string; type: string; members: string[] }>();
  let remaining = LIMIT;

  const userJson = (u: OktaDoubleUser, origin: string) => ({
    id: u.id,
    status: u.status ?? 'ACTIVE',
    created: '2026-01-01T00:00:00.000Z',
    activated: null,
    statusChanged: null,
    lastLogin: null,
    lastUpdated: '2026-01-01T00:00:00.000Z',
    passwordChanged: null,
    type: { id: 'oty1' },
    profile: { login: u.login, email: u.email, firstName: u.login.split('@')[0], lastName: 'Test' },
    credentials: {},
    _links: { self: { href: `${origin}/api/v1/users/${u.id}` } },
  });
  const findUser = (idOrLogin: string) => users.get(idOrLogin) ?? [...users.values()].find((u) => u.login.toLowerCase() === idOrLogin.toLowerCase());
  const notFound = (what: string, kind: string) => oktaError(404, 'E0000007', `Not found: Resource not found: ${what} (${kind})`);

  const membership = (request: VendorRequest, change: (members: string[], userId: string) => void): VendorReply => {
    if (request.headers.authorization === `SSWS ${readOnlyToken}`) return oktaError(403, 'E0000006', 'You do not have permission to perform the requested action');
    const group = groups.get(request.params.groupId);
    if (!group) return notFound(request.params.groupId, 'UserGroup');
    const user = users.get(request.params.userId);
    if (!user) return notFound(request.params.userId, 'User');
    if (group.type !== 'OKTA_GROUP') return oktaError(403, 'E0000006', 'You do not have permission to perform the requested action');
    change(group.members, user.id);
    return { status: 204 };
  };

  const server = await startVendorServer({
    authenticate(request) {
      const auth = request.headers.authorization;
      if (auth !== `SSWS ${token}` && auth !== `SSWS ${readOnlyToken}`) return oktaError(401, 'E0000011', 'Invalid token provided');
      return undefined;
    },
    commonHeaders() {
      remaining = Math.max(remaining - 1, 0);
      return {
        'x-rate-limit-limit': String(LIMIT),
        'x-rate-limit-remaining': String(remaining),
        'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
        'x-okta-request-id': randomBytes(10).toString('hex'),
      };
    },
    notFound: (request) => notFound(request.path, 'Resource'),
    routes: [
      {
        method: 'GET',
        pattern: '/api/v1/users/:id',
        handle(request) {
          const user = findUser(request.params.id);
          return user ? { status: 200, body: userJson(user, request.origin) } : notFound(request.params.id, 'User');
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/users/:id/groups',
        handle(request) {
          const user = findUser(request.params.id);
          if (!user) return notFound(request.params.id, 'User');
          const mine = [...groups.values()].filter((g) => g.members.includes(user.id));
          return { status: 200, body: mine.map((g) => ({ id: g.id, type: g.type, profile: { name: g.name, description: null } })) };
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/groups/:groupId/users',
        handle(request) {
          const group = groups.get(request.params.groupId);
          if (!group) return notFound(request.params.groupId, 'UserGroup');
          const limit = Math.min(Math.max(Number(request.query.get('limit') ?? 1000) || 1000, 1), 1000);
          const { page, next } = pageAfter(group.members, (id) => id, request.query.get('after'), limit);
          const base = `${request.origin}/api/v1/groups/${group.id}/users`;
          const links = [`<${base}?limit=${limit}>; rel="self"`];
          if (next) links.push(`<${base}?after=${next}&limit=${limit}>; rel="next"`);
          return { status: 200, headers: { link: links }, body: page.map((id) => userJson(users.get(id)!, request.origin)) };
        },
      },
      {
        method: 'PUT',
        pattern: '/api/v1/groups/:groupId/users/:userId',
        handle: (request) => membership(request, (members, id) => void (members.includes(id) || members.push(id))),
      },
      {
        method: 'DELETE',
        pattern: '/api/v1/groups/:groupId/users/:userId',
        handle: (request) =>
          membership(request, (members, id) => {
            const at = members.indexOf(id);
            if (at >= 0) members.splice(at, 1);
          }),
      },
    ],
  });

  return {
    url: server.url,
    server,
    token,
    readOnlyToken,
    addUser: (user) => void users.set(user.id, user),
    addGroup: (id, name, type = 'OKTA_GROUP') => void groups.set(id, { id, name, type, members: [] }),
    addMember(groupId, userId) {
      const members = groups.get(groupId)?.members;
      if (members && !members.includes(userId)) members.push(userId);
    },
    members: (groupId) => [...(groups.get(groupId)?.members ?? [])],
    rateLimit(method, path, times = 1, resetSeconds = 1) {
      const reply = oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
      server.inject({
        method,
        path,
        times,
        reply: { ...reply, headers: { 'x-rate-limit-limit': String(LIMIT), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + resetSeconds) } },
      });
    },
    fail(method, path, status, times = 1) {
      server.inject({ method, path, times, reply: oktaError(status, 'E0000009', 'Internal Server Error') });
    },
    close: () => server.close(),
  };
}
