// Test double of Google's OAuth token endpoint and the Admin SDK Directory API's group members,
// after Google's published references: POST /token takes the JWT bearer grant (RS256 signature
// checked against the service account's key, `aud`, `exp`, `scope`; a `sub` without domain-wide
// delegation answers 401 unauthorized_client); /admin/directory/v1/groups/{groupKey}/members
// (POST 200, 409 "Member already exists."; DELETE 204, 404 "Resource Not Found: memberKey"; GET
// paged with maxResults/pageToken/nextPageToken) and .../hasMember/{memberKey}. Errors are Google's
// `{error: {code, message, errors: [{message, domain, reason}], status}}`; a service account without
// the Groups privilege gets 403 "Not Authorized to access this resource/api".
import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { startVendorServer, type VendorReply, type VendorServer } from '../../../../test-support/vendor-double';

/** A running Google double. */
export interface GoogleDouble {
  /** Root URL of the Directory API (`SYM_GOOGLE_API_URL`). */
  url: string;
  /** Token endpoint (`SYM_GOOGLE_TOKEN_URL`). */
  tokenUrl: string;
  server: VendorServer;
  /** JSON key file of a service account allowed to manage members (as itself or as `admin@<domain>`). */
  keyFile: string;
  /** JSON key file of a service account whose tokens are refused on member changes (403). */
  unprivilegedKeyFile: string;
  /** The only administrator a delegated service account may act as. */
  admin: string;
  addGroup(email: string): void;
  /** Makes `email` a member of `group` (as if added earlier). */
  addMember(group: string, email: string, role?: string): void;
  /** Members of the group: email → role. */
  members(group: string): Record<string, string>;
  /** Answers the next `times` matching requests with `status` and Google's error body (`reason`). */
  fail(method: string, path: RegExp, status: number, reason: string, times?: number): void;
  close(): Promise<void>;
}

const SCOPE = 'https://www.googleapis.com/auth/admin.directory.group.member';
const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function googleError(code: number, message: string, reason: string, headers: Record<string, string> = {}): VendorReply {
  return { status: code, headers, body: { error: { code, message, errors: [{ message, domain: 'global', reason }], status: STATUS[code] ?? 'UNKNOWN' } } };
}

function serviceAccount(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomBytes(20).toString('hex');
  const email = `${name}@opensym-test.iam.gserviceaccount.com`;
  const file = JSON.stringify({
    type: 'service_account',
    project_id: 'opensym-test',
    private_key_id: keyId,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: String(100000000000 + Math.floor(Math.random() * 1e9)),
    // A key file names Google's endpoint; the control plane must not follow it anywhere else.
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { email, keyId, publicKey, file };
}

/** Starts the double for the Workspace `domain`. */
export async function startGoogleDouble(domain = 'example.com'): Promise<GoogleDouble> {
  const privileged = serviceAccount('opensym');
  const unprivileged = serviceAccount('no-groups');
  const adminEmail = `admin@${domain}`;
  const groups = new Map<string, Map<string, string>>();
  const tokens = new Map<string, { privileged: boolean; expires: number }>();

  const token = (request: { body: string; origin: string }): VendorReply => {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
    const [h, c, s] = (form.get('assertion') ?? '').split('.');
    let header: { kid?: string; alg?: string };
    let claims: { iss?: string; aud?: string; scope?: string; exp?: number; iat?: number; sub?: string };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString());
      claims = JSON.parse(Buffer.from(c, 'base64url').toString());
    } catch {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.' } };
    }
    const account = [privileged, unprivileged].find((a) => a.email === claims.iss && a.keyId === header.kid);
    if (
      !account ||
      header.alg !== 'RS256' ||
      !createVerify('RSA-SHA256')
        .update(`${h}.${c}`)
        .verify(account.publicKey, s ?? '', 'base64url')
    ) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
    }
    const now = Math.floor(Date.now() / 1000);
    if (claims.aud !== `${request.origin}/token` || !claims.exp || claims.exp < now || claims.exp - (claims.iat ?? 0) > 3600) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.' } };
    }
    if (!(claims.scope ?? '').split(' ').includes(SCOPE)) return { status: 400, body: { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' } };
    if (claims.sub !== undefined && (claims.sub !== adminEmail || account !== privileged)) {
      return {
        status: 401,
        body: { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' },
      };
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, { privileged: account === privileged, expires: Date.now() + 3600_000 });
    return { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
  };

  const memberJson = (email: string, role: string) => ({
    kind: 'admin#directory#member',
    id: randomBytes(8).toString('hex'),
    email,
    role,
    type: 'USER',
    status: 'ACTIVE',
    etag: `"${randomBytes(6).toString('hex')}"`,
  });
  const notFound = (what: string) => googleError(404, `Resource Not Found: ${what}`, 'notFound');
  const forbidden = () => googleError(403, 'Not Authorized to access this resource/api', 'forbidden');

  const server = await startVendorServer({
    authenticate(request) {
      if (request.path === '/token') return undefined;
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const known = bearer ? tokens.get(bearer) : undefined;
      if (!known || known.expires < Date.now())
        return googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.', 'authError', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
      return undefined;
    },
    notFound: (request) => googleError(404, `Not Found: ${request.path}`, 'notFound'),
    routes: [
      { method: 'POST', pattern: '/token', handle: token },
      {
        method: 'POST',
        pattern: '/admin/directory/v1/groups/:groupKey/members',
        handle(request) {
          const group = groups.get(request.params.groupKey.toLowerCase());
          if (!group) return notFound('groupKey');
          if (!tokens.get(request.headers.authorization!.slice(7))!.privileged) return forbidden();
          const { email, role = 'MEMBER' } = JSON.parse(request.body || '{}') as { email?: string; role?: string };
          if (!email) return googleError(400, 'Missing required field: member', 'required');
          if (!['MEMBER', 'MANAGER', 'OWNER'].includes(role)) return googleError(400, 'Invalid Input: role', 'invalid');
          if (group.has(email.toLowerCase())) return googleError(409, 'Member already exists.', 'duplicate');
          group.set(email.toLowerCase(), role);
          return { status: 200, body: memberJson(email.toLowerCase(), role) };
        },
      },
      {
        method: 'DELETE',
        pattern: '/admin/directory/v1/groups/:groupKey/members/:memberKey',
        handle(request) {
          const group = groups.get(request.params.groupKey.toLowerCase());
          if (!group) return notFound('groupKey');
          if (!tokens.get(request.headers.authorization!.slice(7))!.privileged) return forbidden();
          if (!group.delete(request.params.memberKey.toLowerCase())) return notFound('memberKey');
          return { status: 204 };
        },
      },
      {
        method: 'GET',
        pattern: '/admin/directory/v1/groups/:groupKey/members',
        handle(request) {
          const group = groups.get(request.params.groupKey.toLowerCase());
          if (!group) return notFound('groupKey');
          const max = Math.min(Math.max(Number(request.query.get('maxResults') ?? 200) || 200, 1), 200);
          const start = Number(request.query.get('pageToken') ?? 0) || 0;
          const all = [...group];
          const page = all.slice(start, start + max).map(([email, role]) => memberJson(email, role));
          return { status: 200, body: { kind: 'admin#directory#members', etag: '"e"', members: page, ...(start + max < all.length && { nextPageToken: String(start + max) }) } };
        },
      },
      {
        method: 'GET',
        pattern: '/admin/directory/v1/groups/:groupKey/hasMember/:memberKey',
        handle(request) {
          const group = groups.get(request.params.groupKey.toLowerCase());
          if (!group) return notFound('groupKey');
          return { status: 200, body: { isMember: group.has(request.params.memberKey.toLowerCase()) } };
        },
      },
    ],
  });

  return {
    url: server.url,
    tokenUrl: `${server.url}/token`,
    server,
    keyFile: privileged.file,
    unprivilegedKeyFile: unprivileged.file,
    admin: adminEmail,
    addGroup: (email) => void groups.set(email.toLowerCase(), new Map()),
    addMember: (group, email, role = 'MEMBER') => void groups.get(group.toLowerCase())?.set(email.toLowerCase(), role),
    members: (group) => Object.fromEntries(groups.get(group.toLowerCase()) ?? []),
    fail(method, path, status, reason, times = 1) {
      server.inject({
        method,
        path,
        times,
        reply: googleError(status, status === 429 || reason.includes('RateLimit') ? 'Quota exceeded for quota metric.' : 'Backend Error', reason, status === 429 ? { 'retry-after': '1' } : {}),
      });
    },
    close: () => server.close(),
  };
}
