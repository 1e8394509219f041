/**
 * PagerDuty lookups for hooks (`pagerduty.on_call`, `pagerduty.is_on_call`) over PagerDuty's
 * REST API v2: `GET /oncalls` filtered by schedule or escalation policy, with users included,
 * followed page by page. PagerDuty users become OpenSym users by email.
 */
import type { PagerDutyHost } from '../../sandbox/sandbox-host';
import type { SymUser } from '../../sandbox/sandbox-call';

/** PagerDuty's public API. */
export const defaultPagerDutyApiUrl = 'https://api.pagerduty.com';

/** The base URL from `SYM_PAGERDUTY_API_URL` (tests and PagerDuty's EU service region), else the default. */
export function pagerDutyApiUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.SYM_PAGERDUTY_API_URL?.trim() || defaultPagerDutyApiUrl;
}

/** An OpenSym user as the client needs it to enrich PagerDuty users. */
export interface KnownUser {
  id: string;
  email: string;
  identities: Record<string, string>;
}

/** What the client is built from. */
export interface PagerDutyClientOptions {
  /** Reads the API token from the `pagerduty` integration's secret; called once per lookup. */
  readSecret: () => Promise<string>;
  /** OpenSym users of the organization with these (lowercased) emails. */
  findUsersByEmail: (emails: string[]) => Promise<KnownUser[]>;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per HTTP request. */
  timeoutMs?: number;
  /** Entries per page (PagerDuty allows at most 100). */
  pageSize?: number;
  /** Stops a runaway pagination loop. */
  maxPages?: number;
}

/** A failed PagerDuty lookup; the message never contains the token. */
export class PagerDutyError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PagerDutyError';
  }
}

interface PagerDutyUser {
  id: string;
  email: string;
  name: string;
}

type Query = { schedule?: string; escalation_policy?: string };

/** The sandbox's `PagerDutyHost`, always asynchronous. */
export interface PagerDutyClient extends PagerDutyHost {
  onCall(query: Query): Promise<SymUser[]>;
  isOnCall(user: SymUser, query: Query): Promise<boolean>;
}

/** Creates the client; it implements the sandbox's `PagerDutyHost`. */
export function createPagerDutyClient(options: PagerDutyClientOptions): PagerDutyClient {
  const { readSecret, findUsersByEmail, baseUrl = defaultPagerDutyApiUrl, fetch: fetchImpl = fetch, timeoutMs = 10_000, pageSize = 100, maxPages = 50 } = options;
  // Resolve relative to the base so a base URL with a path prefix keeps it.
  const oncallsUrl = new URL('oncalls', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

  const getPage = async (token: string, query: Query, offset: number): Promise<{ oncalls: unknown[]; more: boolean }> => {
    const url = new URL(oncallsUrl);
    url.searchParams.append('include[]', 'users');
    if (query.schedule !== undefined) url.searchParams.append('schedule_ids[]', query.schedule);
    if (query.escalation_policy !== undefined) url.searchParams.append('escalation_policy_ids[]', query.escalation_policy);
    url.searchParams.set('limit', String(pageSize));
    url.searchParams.set('offset', String(offset));
    let res: Response;
    try {
      res = await fetchImpl(url, {
        headers: { Authorization: `Token token=${token}`, Accept: 'application/vnd.pagerduty+json;version=2' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
      throw new PagerDutyError(`PagerDuty could not be reached (${reason})`);
    }
    const body = (await res.json().catch(() => null)) as { oncalls?: unknown; more?: unknown; error?: { message?: unknown } } | null;
    if (!res.ok) {
      const said = typeof body?.error?.message === 'string' ? `: ${body.error.message.slice(0, 200)}` : '';
      const hint = res.status === 401 ? " (check the API token in the pagerduty integration's secret)" : res.status === 429 ? ' (rate limited; retry later)' : '';
      throw new PagerDutyError(`PagerDuty answered ${res.status} to GET /oncalls${said}${hint}`, res.status);
    }
    if (!body || !Array.isArray(body.oncalls)) throw new PagerDutyError('PagerDuty answered GET /oncalls without an `oncalls` list');
    return { oncalls: body.oncalls, more: body.more === true };
  };

  /** Every on-call user for the query, once each, in PagerDuty's order. */
  const onCallUsers = async (query: Query): Promise<PagerDutyUser[]> => {
    if (query.schedule === undefined && query.escalation_policy === undefined) {
      throw new PagerDutyError('pagerduty.on_call needs a schedule or an escalation_policy');
    }
    const token = await readSecret();
    const users = new Map<string, PagerDutyUser>();
    let offset = 0;
    for (let page = 0; ; page++) {
      if (page >= maxPages) throw new PagerDutyError(`PagerDuty kept answering more pages of on-calls after ${maxPages}; giving up`);
      const { oncalls, more } = await getPage(token, query, offset);
      for (const entry of oncalls) {
        const user = (entry as { user?: { id?: unknown; email?: unknown; name?: unknown; summary?: unknown } }).user;
        if (typeof user?.id !== 'string' || users.has(user.id)) continue;
        // Without `include[]=users` honoured there is no email, and no way to map the person.
        if (typeof user.email !== 'string') throw new PagerDutyError('PagerDuty returned on-call users without their email');
        const name = typeof user.name === 'string' ? user.name : typeof user.summary === 'string' ? user.summary : '';
        users.set(user.id, { id: user.id, email: user.email.toLowerCase(), name });
      }
      if (!more || oncalls.length === 0) break;
      offset += oncalls.length;
    }
    return [...users.values()];
  };

  return {
    async onCall(query) {
      const pdUsers = await onCallUsers(query);
      const known = new Map((await findUsersByEmail([...new Set(pdUsers.map((u) => u.email))])).map((u) => [u.email.toLowerCase(), u]));
      return pdUsers.map((pd): SymUser => {
        const user = known.get(pd.email);
        const [first, ...rest] = pd.name.split(' ');
        return {
          ...(user && { id: user.id }),
          email: pd.email,
          username: pd.email,
          first_name: first ?? '',
          last_name: rest.join(' '),
          identities: { ...(user?.identities ?? {}), pagerduty: pd.id },
        };
      });
    },
    async isOnCall(user, query) {
      const pdId = typeof user.identities?.pagerduty === 'string' ? user.identities.pagerduty : undefined;
      const email = typeof user.email === 'string' ? user.email.toLowerCase() : undefined;
      if (!pdId && !email) return false;
      return (await onCallUsers(query)).some((u) => u.id === pdId || u.email === email);
    },
  };
}
