// Test double of the Tailscale API v2 policy file endpoints, after Tailscale's published
// reference: GET /api/v2/tailnet/{tailnet}/acl (HuJSON with `Accept: application/hujson`, plain
// JSON otherwise) with an `ETag`; POST of a new policy with `If-Match` (412 "precondition failed,
// invalid old hash" when it no longer matches; 400 for text that does not parse). `Authorization:
// Bearer <token>`; errors are `{message}`; a token without policy-file write access gets 403.
import { createHash, randomBytes } from 'node:crypto';
import { startVendorServer, type VendorReply, type VendorServer } from '../../../../test-support/vendor-double';
import { huJsonToJson } from '../hujson-groups';

/** A running Tailscale double. */
export interface TailscaleDouble {
  url: string;
  server: VendorServer;
  tailnet: string;
  token: string;
  /** A token of a user who may read but not write the policy file. */
  readOnlyToken: string;
  /** The policy file as stored (HuJSON text). */
  policy(): string;
  setPolicy(text: string): void;
  /** Members of `group:<name>` in the stored policy. */
  members(group: string): string[];
  /** Changes the policy behind the next writer's back once, right after its next read, so its write gets 412. */
  raceNextWrite(): void;
  fail(method: string, status: number, times?: number): void;
  close(): Promise<void>;
}

/** Starts the double for `tailnet` with `policy` as its policy file. */
export async function startTailscaleDouble(tailnet: string, policy: string): Promise<TailscaleDouble> {
  const token = `tskey-api-${randomBytes(12).toString('hex')}`;
  const readOnlyToken = `tskey-api-${randomBytes(12).toString('hex')}`;
  let text = policy;
  let race = false;
  const etagOf = (t: string) => `"${createHash('sha256').update(t).digest('hex').slice(0, 16)}"`;
  const error = (status: number, message: string, headers: Record<string, string> = {}): VendorReply => ({ status, headers, body: { message } });
  const path = `/api/v2/tailnet/${tailnet}/acl`;

  const server = await startVendorServer({
    authenticate(request) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      return given === token || given === readOnlyToken ? undefined : error(401, 'API token invalid');
    },
    notFound: () => error(404, 'not found'),
    routes: [
      {
        method: 'GET',
        pattern: '/api/v2/tailnet/:tailnet/acl',
        handle(request) {
          if (request.params.tailnet !== tailnet) return error(404, 'tailnet not found');
          const etag = etagOf(text);
          const answer: VendorReply =
            request.headers.accept === 'application/hujson'
              ? { status: 200, headers: { etag, 'content-type': 'application/hujson' }, body: text }
              : { status: 200, headers: { etag }, body: huJsonToJson(text) };
          if (race) {
            race = false;
            text = text.replace('{', '{\n  // edited meanwhile by an admin\n');
          }
          return answer;
        },
      },
      {
        method: 'POST',
        pattern: '/api/v2/tailnet/:tailnet/acl',
        handle(request) {
          if (request.params.tailnet !== tailnet) return error(404, 'tailnet not found');
          if (request.headers.authorization === `Bearer ${readOnlyToken}`) return error(403, 'calling actor does not have enough permissions to perform this function');
          const ifMatch = request.headers['if-match'];
          if (ifMatch && ifMatch !== '"ts-default"' && ifMatch !== etagOf(text)) return error(412, 'precondition failed, invalid old hash');
          try {
            huJsonToJson(request.body);
          } catch (e) {
            return error(400, `parsing HuJSON: ${(e as Error).message}`);
          }
          text = request.body;
          return { status: 200, headers: { etag: etagOf(text), 'content-type': 'application/hujson' }, body: text };
        },
      },
    ],
  });

  return {
    url: server.url,
    server,
    tailnet,
    token,
    readOnlyToken,
    policy: () => text,
    setPolicy: (t) => void (text = t),
    members: (group) => ((huJsonToJson(text) as { groups?: Record<string, string[]> }).groups ?? {})[`group:${group}`] ?? [],
    raceNextWrite: () => void (race = true),
    fail(method, status, times = 1) {
      server.inject({ method, path: new RegExp(`^${path}$`), times, reply: error(status, status === 429 ? 'rate limit exceeded' : 'internal error', status === 429 ? { 'retry-after': '1' } : {}) });
    },
    close: () => server.close(),
  };
}
