/**
 * The control-plane HTTP client (docs/api-contract.md) over a keep-alive node:http agent
 * (http-transport.ts). It knows entity kinds and JSON bodies, nothing about Terraform.
 */
import { setMaxListeners } from 'node:events';
import { ApiUnreachableError, apiErrorFromBody } from './api-error';
import { exchange, HttpFailure, type HttpAnswer } from './http-transport';
import { createReadBatcher } from './read-batcher';

/** An entity as returned by the API: `id` plus the resource's attributes in Terraform shape. */
export interface ApiEntity {
  id: string;
  [attribute: string]: unknown;
}

/** The answer of `GET /api/v1/whoami`. */
export interface Whoami {
  org: { id: string; slug: string };
  token: { id: string; role: string };
}

/** The body of `POST /api/v1/implementation-checks`. */
export interface ImplementationCheckBody {
  source: string;
  kind: 'flow' | 'flows-filter' | 'strategy';
  filename?: string;
}

/** Its answer: each problem with its line and column (1-based). */
export interface ImplementationCheckResult {
  language: 'python' | 'javascript';
  problems: { line: number; column: number; message: string }[];
}

/** List filters: `slug` matches the name (or a secret's path) case-insensitively. */
export interface ListQuery {
  slug?: string;
  type?: string;
  /** Only these ids (at most 100; the control plane answers 422 beyond). */
  ids?: string[];
}

/** The calls the provider makes; the real client and the in-memory fake both implement it. */
export interface EntityApi {
  whoami(): Promise<Whoami>;
  create(kind: string, body: Record<string, unknown>): Promise<ApiEntity>;
  /** null when the entity does not exist. */
  get(kind: string, id: string): Promise<ApiEntity | null>;
  list(kind: string, query?: ListQuery): Promise<ApiEntity[]>;
  update(kind: string, id: string, body: Record<string, unknown>): Promise<ApiEntity>;
  /** Succeeds when the entity is already gone (404). */
  remove(kind: string, id: string): Promise<void>;
}

/** Options of ApiClient; `token` is kept private and never logged. */
export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  /** Extra attempts for idempotent calls after a refused connection or a 5xx. */
  retries?: number;
  retryDelayMs?: number;
  userAgent?: string;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/** HTTP client for the control plane; `abortInFlight` backs StopProvider. */
export class ApiClient implements EntityApi {
  readonly baseUrl: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #userAgent: string;
  #stop = stopController();
  // Refresh reads many resources at once: concurrent gets of a kind share list calls.
  readonly #read = createReadBatcher<ApiEntity>((kind, ids) => this.list(kind, { ids }), { maxBatch: 100, maxInFlight: 2 });

  constructor(opts: ApiClientOptions) {
    // Sym's users set SYM_API_URL to https://…/api/v1; every path here starts with /api/v1 already.
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
    this.#token = opts.token;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#retries = opts.retries ?? 2;
    this.#retryDelayMs = opts.retryDelayMs ?? 200;
    this.#userAgent = opts.userAgent ?? 'terraform-provider-sym/3.0.0';
  }

  /** Cancels every request in flight; later requests run normally. */
  abortInFlight(): void {
    this.#stop.abort(new Error('cancelled by StopProvider'));
    this.#stop = stopController();
  }

  whoami(): Promise<Whoami> {
    return this.#request('GET', '/api/v1/whoami') as Promise<Whoami>;
  }

  /** `POST /api/v1/implementation-checks`: the control plane's own check of a module, nothing stored (plan time). */
  async checkImplementation(body: ImplementationCheckBody): Promise<ImplementationCheckResult> {
    return (await this.#request('POST', '/api/v1/implementation-checks', body)) as ImplementationCheckResult;
  }

  async create(kind: string, body: Record<string, unknown>): Promise<ApiEntity> {
    return (await this.#request('POST', entityPath(kind), body)) as ApiEntity;
  }

  /** Read through `GET ?id=` (batched with other reads of the kind in flight). */
  get(kind: string, id: string): Promise<ApiEntity | null> {
    return this.#read(kind, id);
  }

  async list(kind: string, query: ListQuery = {}): Promise<ApiEntity[]> {
    const params = new URLSearchParams();
    if (query.slug !== undefined) params.set('slug', query.slug);
    if (query.type !== undefined) params.set('type', query.type);
    if (query.ids !== undefined) params.set('id', query.ids.join(','));
    // Lists come in pages (`next_page_token`); a lookup wants every match, so follow them all.
    const out: ApiEntity[] = [];
    for (let pages = 0; pages < 1000; pages++) {
      const qs = params.toString();
      const res = (await this.#request('GET', entityPath(kind) + (qs ? `?${qs}` : ''))) as { data?: ApiEntity[]; next_page_token?: string | null };
      if (Array.isArray(res?.data)) out.push(...res.data);
      if (typeof res?.next_page_token !== 'string' || res.next_page_token === '') break;
      params.set('page_token', res.next_page_token);
    }
    return out;
  }

  async update(kind: string, id: string, body: Record<string, unknown>): Promise<ApiEntity> {
    return (await this.#request('PATCH', `${entityPath(kind)}/${encodeURIComponent(id)}`, body)) as ApiEntity;
  }

  async remove(kind: string, id: string): Promise<void> {
    try {
      await this.#request('DELETE', `${entityPath(kind)}/${encodeURIComponent(id)}`);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = new URL(this.baseUrl + path);
    // Only reads are retried: a POST whose answer was lost may have created the entity already.
    const attempts = method === 'GET' ? this.#retries + 1 : 1;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: 'application/json, application/problem+json',
      'user-agent': this.#userAgent,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body, jsonReplacer);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      const stop = this.#stop.signal;
      let res: HttpAnswer;
      try {
        res = await exchange(url, { method, headers, body: payload, timeoutMs: this.#timeoutMs, signal: stop });
      } catch (e) {
        if (stop.aborted || (e instanceof HttpFailure && e.kind === 'cancelled')) throw new ApiUnreachableError(this.baseUrl, `${method} ${path} was cancelled`);
        if (e instanceof HttpFailure && e.kind === 'timeout') throw new ApiUnreachableError(this.baseUrl, `${method} ${path} timed out after ${this.#timeoutMs / 1000}s`);
        if (!last) {
          await sleep(this.#retryDelayMs * attempt, stop);
          continue;
        }
        throw new ApiUnreachableError(this.baseUrl, describeNetworkError(e));
      }
      if (res.status >= 200 && res.status < 300) {
        if (res.status === 204) return null;
        return res.body ? JSON.parse(res.body) : null;
      }
      if (!last && RETRYABLE_STATUS.has(res.status)) {
        await sleep(this.#retryDelayMs * attempt, stop);
        continue;
      }
      let parsed: unknown = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        // Not JSON (a proxy's HTML page): keep the text for the detail.
      }
      throw apiErrorFromBody(res.status, res.statusText, parsed);
    }
  }
}

/** Every call in flight listens on it (Terraform runs 10 or more at once): no leak warning. */
function stopController(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}

function entityPath(kind: string): string {
  return `/api/v1/entities/${encodeURIComponent(kind)}`;
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && (e as { status?: number }).status === 404;
}

// Terraform numbers may arrive as bigint; JSON has no bigint.
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function describeNetworkError(e: unknown): string {
  const code = (e as { code?: string })?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the control plane running?)';
  if (code === 'ENOTFOUND') return 'host not found';
  return e instanceof Error ? e.message : String(e);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
