import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './generated/openapi';
import { allPages } from './paging';
import { toSymApiError } from './sym-api-error';

type Schemas = components['schemas'];
type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;
/** A list operation's filters, without the paging parameters the helpers manage. */
type Filters<Op extends keyof operations> = Omit<Query<Op>, 'page_token'>;

/** Options of {@link createSymClient}. */
export interface SymClientOptions {
  /** The control plane's URL, e.g. `http://127.0.0.1:8080` (with or without a trailing slash). */
  baseUrl: string;
  /** Bearer token (`sym_...`) sent with every call. */
  token: string;
  /** Replaces `globalThis.fetch` (tests, proxies). */
  fetch?: (input: Request) => Promise<Response>;
  /** Gives up on one HTTP call after this long (default 30 s): a hung server must not hang the caller. */
  timeoutMs?: number;
  /** Extra attempts for a POST that carries an Idempotency-Key, after a network error or a 5xx (default 2). */
  retries?: number;
  /** Pause before retry `n` (1-based), in ms; default 250 ms × n. */
  retryDelayMs?: (attempt: number) => number;
}

/** Options of the calls that send an Idempotency-Key. */
export interface IdempotentOptions {
  /** Reused by every retry of this call; a fresh random one when absent. */
  idempotencyKey?: string;
}

/** What openapi-fetch answers: data on success, the parsed error body otherwise. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful answer, or throws {@link SymApiError} made from the problem+json body
 * (for use with the raw openapi-fetch client: `await unwrap(client.raw.GET(...))`).
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toSymApiError(response, error);
  return data as T;
}

/** Whether a failed attempt may be repeated with the same Idempotency-Key: the server kept no answer. */
function isTransient(err: unknown): boolean {
  if (err instanceof TypeError) return true; // fetch's network failure
  if ((err as { name?: unknown }).name === 'TimeoutError') return true; // the key makes a late first answer harmless
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && (status >= 500 || (status === 409 && (err as { code?: unknown }).code === 'idempotency_key_in_flight'));
}

/** A typed client of the OpenSym API; `raw` is the openapi-fetch client for every other operation. */
export type SymClient = ReturnType<typeof createSymClient>;

/**
 * A client for the OpenSym API over openapi-fetch and the types generated from the committed
 * OpenAPI document: sends the bearer token, turns problem+json answers into {@link SymApiError},
 * follows `next_page_token` in the list helpers (async iterables), and sends an Idempotency-Key
 * with request/approve/deny/revoke, retrying network errors and 5xx answers with the same key.
 */
export function createSymClient({ baseUrl, token, fetch = (req) => globalThis.fetch(req), timeoutMs = 30_000, retries = 2, retryDelayMs = (n) => 250 * n }: SymClientOptions) {
  const raw: Client<paths> = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${token}`, accept: 'application/json, application/problem+json' },
    // Each call gets its own deadline (one client-wide signal would expire once for all calls).
    fetch: (req) => fetch(new Request(req, { signal: AbortSignal.any([req.signal, AbortSignal.timeout(timeoutMs)]) })),
  });

  /** Runs `attempt` with one key until it succeeds, fails for good, or the retries are spent. */
  async function idempotent<T>(options: IdempotentOptions, attempt: (key: string) => Promise<T>): Promise<T> {
    const key = options.idempotencyKey ?? randomUUID();
    for (let n = 0; ; n++) {
      try {
        return await attempt(key);
      } catch (err) {
        if (n >= retries || !isTransient(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(n + 1)));
      }
    }
  }

  const decide =
    (action: 'approve' | 'deny' | 'revoke') =>
    (id: string, body: Schemas['AccessRequest.decision'] = {}, options: IdempotentOptions = {}) =>
      idempotent(options, (key) => unwrap(raw.POST(`/api/v1/requests/{id}/${action}`, { params: { path: { id }, header: { 'Idempotency-Key': key } }, body })));

  return {
    raw,
    /** The token's organization, role and user. */
    whoami: () => unwrap(raw.GET('/api/v1/whoami')),
    requests: {
      /** Requests access through a flow; the answer is the request in its first state. */
      create: (body: Schemas['AccessRequest.create'], options: IdempotentOptions = {}) =>
        idempotent(options, (key) => unwrap(raw.POST('/api/v1/events/request', { params: { header: { 'Idempotency-Key': key } }, body }))),
      /** One request with its audit trail. */
      get: (id: string) => unwrap(raw.GET('/api/v1/requests/{id}', { params: { path: { id } } })),
      /** Every matching request, newest first, page after page. */
      list: (filters: Filters<'list-requests'> = {}) => allPages((page_token) => unwrap(raw.GET('/api/v1/requests', { params: { query: { ...filters, page_token } } }))),
      /** Approves a pending request. */
      approve: decide('approve'),
      /** Denies a pending request. */
      deny: decide('deny'),
      /** Takes granted access back. */
      revoke: decide('revoke'),
    },
    users: {
      /** Every matching user, oldest first. */
      list: (filters: Filters<'list-users'> = {}) => allPages((page_token) => unwrap(raw.GET('/api/v1/users', { params: { query: { ...filters, page_token } } }))),
      /** One user by id. */
      get: (id: string) => unwrap(raw.GET('/api/v1/users/{id}', { params: { path: { id } } })),
      /** Creates a user. */
      create: (body: Schemas['User.create']) => unwrap(raw.POST('/api/v1/users', { body })),
      /** Changes a user's email, role or identities. */
      update: (id: string, body: Schemas['User.update']) => unwrap(raw.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    },
    tokens: {
      /** Every matching token (without secrets). */
      list: (filters: Filters<'list-tokens'> = {}) => allPages((page_token) => unwrap(raw.GET('/api/v1/tokens', { params: { query: { ...filters, page_token } } }))),
      /** Issues a bot token with a role; the secret is in the answer only. */
      issueBot: (body: Schemas['BotToken.create']) => unwrap(raw.POST('/api/v1/tokens', { body })),
      /** Issues a token that acts for a user; the secret is in the answer only. */
      issueForUser: (userId: string, body: Schemas['UserToken.create'] = {}) => unwrap(raw.POST('/api/v1/users/{id}/tokens', { params: { path: { id: userId } }, body })),
      /** Revokes a token (refused with 409 `last_admin` for the organization's last admin token). */
      revoke: async (id: string): Promise<void> => {
        await unwrap(raw.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
      },
    },
  };
}
