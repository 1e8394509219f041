// Test double of the OneLogin API v2 parts the onelogin strategy uses, after OneLogin's published
// reference: POST /auth/oauth2/v2/token (client credentials in `Authorization: client_id:<id>,
// client_secret:<secret>`, `{grant_type: "client_credentials"}`); GET /api/2/users?email=;
// POST and DELETE /api/2/roles/{id}/users and /api/2/roles/{id}/admins with a JSON array of user
// ids (200 with `[{id}]`, 204). Errors are `{message, statusCode, name}`; every answer carries
// X-RateLimit-Limit/-Remaining/-Reset (seconds to the reset).
import { randomBytes } from 'node:crypto';
import { startVendorServer, type VendorReply, type VendorRequest, type VendorServer } from '../../../../test-support/vendor-double';

/** A running OneLogin double; `url` replaces `https://<subdomain>.onelogin.com`. */
export interface OneLoginDouble {
  url: string;
  server: VendorServer;
  clientId: string;
  clientSecret: string;
  /** A credential created with the "Read users" scope: role changes answer 403. */
  readOnlyClientId: string;
  addUser(id: number, email: string): void;
  addRole(id: number): void;
  /** User ids with the role (`users`) or administering it (`admins`). */
  role(id: number): { users: number[]; admins: number[] };
  /** Answers the next `times` matching requests with `status` (429 carries X-RateLimit-Remaining 0). */
  fail(method: string, path: RegExp, status: number, times?: number): void;
  close(): Promise<void>;
}

const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  429: 'TooManyRequestsError',
  500: 'InternalServerError',
  503: 'ServiceUnavailableError',
};

function error(status: number, message: string, headers: Record<string, string> = {}): VendorReply {
  return { status, headers, body: { message, statusCode: status, name: ERROR_NAMES[status] ?? 'Error' } };
}

/** Starts the double with no users and no roles. */
export async function startOneLoginDouble(): Promise<OneLoginDouble> {
  const clientId = randomBytes(24).toString('hex');
  const clientSecret = randomBytes(32).toString('hex');
  const readOnlyClientId = randomBytes(24).toString('hex');
  const users = new Map<number, string>();
  const roles = new Map<number, { users: Set<number>; admins: Set<number> }>();
  const tokens = new Map<string, { readOnly: boolean }>();
  let remaining = 5000;

  const bearer = (request: VendorRequest) => tokens.get(/^bearer:? ?(.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
  const change = (request: VendorRequest, apply: (set: Set<number>, ids: number[]) => void, status: number): VendorReply => {
    if (bearer(request)!.readOnly) return error(403, 'Forbidden');
    const role = roles.get(Number(request.params.id));
    if (!role) return error(404, 'The resource with the given id could not be found');
    let ids: unknown;
    try {
      ids = JSON.parse(request.body);
    } catch {
      ids = undefined;
    }
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'number' && users.has(i))) return error(400, 'Validation failed: user ids must be ids of existing users');
    apply(role[request.params.list as 'users' | 'admins'], ids as number[]);
    return status === 204 ? { status } : { status, body: (ids as number[]).map((id) => ({ id })) };
  };

  const server = await startVendorServer({
    authenticate(request) {
      if (request.path === '/auth/oauth2/v2/token') return undefined;
      return bearer(request) ? undefined : error(401, 'Unauthorized');
    },
    commonHeaders() {
      remaining = Math.max(remaining - 1, 0);
      return { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': '1200' };
    },
    notFound: () => error(404, 'Not Found'),
    routes: [
      {
        method: 'POST',
        pattern: '/auth/oauth2/v2/token',
        handle(request) {
          const m = /^client_id:\s*([^,]+),\s*client_secret:\s*(.+)$/.exec(request.headers.authorization ?? '');
          const valid = m && m[2] === clientSecret && (m[1] === clientId || m[1] === readOnlyClientId);
          if (!valid) return error(401, 'Authentication Failure');
          if ((JSON.parse(request.body || '{}') as { grant_type?: string }).grant_type !== 'client_credentials') return error(400, 'Invalid grant_type');
          const token = randomBytes(32).toString('hex');
          tokens.set(token, { readOnly: m![1] === readOnlyClientId });
          return {
            status: 200,
            body: { access_token: token, created_at: new Date().toISOString(), expires_in: 36000, refresh_token: randomBytes(32).toString('hex'), token_type: 'bearer', account_id: 12345 },
          };
        },
      },
      {
        method: 'GET',
        pattern: '/api/2/users',
        handle(request) {
          const email = request.query.get('email')?.toLowerCase();
          const found = [...users].filter(([, e]) => email === undefined || e.toLowerCase() === email);
          return { status: 200, body: found.map(([id, e]) => ({ id, email: e, username: e.split('@')[0], state: 1, status: 1 })) };
        },
      },
      { method: 'POST', pattern: '/api/2/roles/:id/:list', handle: (request) => change(request, (set, ids) => ids.forEach((id) => set.add(id)), 200) },
      { method: 'DELETE', pattern: '/api/2/roles/:id/:list', handle: (request) => change(request, (set, ids) => ids.forEach((id) => set.delete(id)), 204) },
    ],
  });

  return {
    url: server.url,
    server,
    clientId,
    clientSecret,
    readOnlyClientId,
    addUser: (id, email) => void users.set(id, email),
    addRole: (id) => void roles.set(id, { users: new Set(), admins: new Set() }),
    role: (id) => ({ users: [...(roles.get(id)?.users ?? [])], admins: [...(roles.get(id)?.admins ?? [])] }),
    fail(method, path, status, times = 1) {
      server.inject({
        method,
        path,
        times,
        reply: status === 429 ? error(429, 'Too Many Requests', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }) : error(status, 'Internal Server Error'),
      });
    },
    close: () => server.close(),
  };
}
