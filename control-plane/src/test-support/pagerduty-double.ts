/**
 * A local stand-in for PagerDuty's REST API v2, enough of `GET /oncalls` for the client and the
 * routing-rules tests: token auth (`Authorization: Token token=...`), the `schedule_ids[]`,
 * `escalation_policy_ids[]` and `user_ids[]` filters, `include[]=users` (full user objects instead
 * of references), and offset pagination with `limit` (default 25, at most 100), `more` and `total`.
 * Errors have PagerDuty's shape: `{"error": {"message", "code", "errors"}}`.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A PagerDuty user of the double's account. */
export interface PagerDutyDoubleUser {
  id: string;
  name: string;
  email: string;
}

/** One on-call entry: who is on call for which escalation policy (and level, and schedule). */
export interface PagerDutyDoubleOnCall {
  userId: string;
  escalationPolicyId: string;
  escalationLevel?: number;
  /** Null for a user on the escalation rule directly rather than through a schedule. */
  scheduleId?: string | null;
}

/** A request the double received (headers lowercased, query as repeated pairs). */
export interface PagerDutyDoubleRequest {
  method: string;
  path: string;
  query: [string, string][];
  headers: IncomingHttpHeaders;
}

/** The running double; change `users` and `oncalls` between calls as the test needs. */
export interface PagerDutyDouble {
  /** Base URL to give the client (`http://127.0.0.1:<port>`). */
  url: string;
  /** The API token the double accepts. */
  token: string;
  users: PagerDutyDoubleUser[];
  oncalls: PagerDutyDoubleOnCall[];
  requests: PagerDutyDoubleRequest[];
  /** The next request gets this status and PagerDuty-shaped error instead of an answer. */
  failNext(status: number, message: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

const knownIncludes = new Set(['users', 'schedules', 'escalation_policies']);
const knownParams = new Set(['time_zone', 'limit', 'offset', 'total', 'include[]', 'user_ids[]', 'escalation_policy_ids[]', 'schedule_ids[]', 'since', 'until', 'earliest']);

/** Starts the double on a random loopback port. */
export async function startPagerDutyDouble({
  token = 'pd-test-token',
  users = [],
  oncalls = [],
}: { token?: string; users?: PagerDutyDoubleUser[]; oncalls?: PagerDutyDoubleOnCall[] } = {}): Promise<PagerDutyDouble> {
  const requests: PagerDutyDoubleRequest[] = [];
  let failure: { status: number; message: string; headers: Record<string, string> } | null = null;
  const state = { users: [...users], oncalls: [...oncalls] };
  let base = '';

  const reference = (type: string, id: string, summary: string, collection: string) => ({
    id,
    type: `${type}_reference`,
    summary,
    self: `${base}/${collection}/${id}`,
    html_url: `https://example.pagerduty.com/${collection}/${id}`,
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const query = [...url.searchParams.entries()];
    requests.push({ method: req.method ?? '', path: url.pathname, query, headers: req.headers });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, code: number, errors: string[] = [], headers: Record<string, string> = {}) =>
      send(status, { error: { message, code, ...(errors.length > 0 && { errors }) } }, headers);

    if (failure) {
      const { status, message, headers } = failure;
      failure = null;
      return error(status, message, status === 429 ? 2020 : 2001, [], headers);
    }
    if (req.headers.authorization !== `Token token=${token}`) return error(401, 'Unauthorized', 2006);
    if (req.method !== 'GET' || url.pathname !== '/oncalls') return error(404, 'Not Found', 2100);

    const all = (name: string) => url.searchParams.getAll(name);
    const problems = query.filter(([k]) => !knownParams.has(k)).map(([k]) => `${k} is not a known parameter`);
    for (const inc of all('include[]')) if (!knownIncludes.has(inc)) problems.push(`include[] value ${inc} is not supported`);
    const limitText = url.searchParams.get('limit') ?? '25';
    const offsetText = url.searchParams.get('offset') ?? '0';
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1) problems.push('Limit must be a positive integer');
    if (!/^\d+$/.test(offsetText)) problems.push('Offset must be a non-negative integer');
    if (problems.length > 0) return error(400, 'Invalid Input Provided', 2001, problems);

    const limit = Math.min(Number(limitText), 100);
    const offset = Number(offsetText);
    const schedules = all('schedule_ids[]');
    const policies = all('escalation_policy_ids[]');
    const userIds = all('user_ids[]');
    const matching = state.oncalls.filter(
      (o) =>
        (schedules.length === 0 || (o.scheduleId != null && schedules.includes(o.scheduleId))) &&
        (policies.length === 0 || policies.includes(o.escalationPolicyId)) &&
        (userIds.length === 0 || userIds.includes(o.userId)),
    );
    const includeUsers = all('include[]').includes('users');
    const now = Date.now();
    const page = matching.slice(offset, offset + limit).map((o) => {
      const user = state.users.find((u) => u.id === o.userId);
      if (!user) throw new Error(`double misconfigured: no user ${o.userId}`);
      return {
        escalation_policy: reference('escalation_policy', o.escalationPolicyId, `Policy ${o.escalationPolicyId}`, 'escalation_policies'),
        escalation_level: o.escalationLevel ?? 1,
        schedule: o.scheduleId ? reference('schedule', o.scheduleId, `Schedule ${o.scheduleId}`, 'schedules') : null,
        user: includeUsers
          ? {
              id: user.id,
              type: 'user',
              summary: user.name,
              name: user.name,
              email: user.email,
              time_zone: 'Etc/UTC',
              role: 'user',
              self: `${base}/users/${user.id}`,
              html_url: `https://example.pagerduty.com/users/${user.id}`,
            }
          : reference('user', user.id, user.name, 'users'),
        start: o.scheduleId ? new Date(now - 3600_000).toISOString() : null,
        end: o.scheduleId ? new Date(now + 3600_000).toISOString() : null,
      };
    });
    send(200, {
      oncalls: page,
      limit,
      offset,
      more: offset + page.length < matching.length,
      total: url.searchParams.get('total') === 'true' ? matching.length : null,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    token,
    get users() {
      return state.users;
    },
    set users(v) {
      state.users = v;
    },
    get oncalls() {
      return state.oncalls;
    },
    set oncalls(v) {
      state.oncalls = v;
    },
    requests,
    failNext(status, message, headers = {}) {
      failure = { status, message, headers };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
