/** A minimal client for the control plane's entity API (docs/api-contract.md). */

/** Every entity kind served under `/api/v1/entities/<kind>`. */
export const entityKinds = [
  'environments',
  'integrations',
  'secret-sources',
  'secrets',
  'access-targets',
  'access-strategies',
  'flows',
  'runtimes',
  'error-loggers',
  'log-destinations',
  'flows-filter',
  'forms',
] as const;

/** One of {@link entityKinds}. */
export type EntityKind = (typeof entityKinds)[number];

/** An entity as the API returns it: an id plus attributes. */
export interface Entity {
  id: string;
  [attribute: string]: unknown;
}

/** `GET /api/v1/whoami`. */
export interface WhoAmI {
  org: { id: string; slug: string };
  token: { id: string; role: string };
}

/** Calls the API with a bearer token; non-2xx answers throw with the problem body. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Who the token is. */
  whoami(): Promise<WhoAmI> {
    return this.request('GET', '/api/v1/whoami') as Promise<WhoAmI>;
  }

  /** Every entity of a kind. */
  async list(kind: EntityKind): Promise<Entity[]> {
    const body = (await this.request('GET', `/api/v1/entities/${kind}`)) as { data: Entity[] };
    return body.data;
  }

  /** One entity by id. */
  async get(kind: EntityKind, id: string): Promise<Entity> {
    return (await this.request('GET', `/api/v1/entities/${kind}/${encodeURIComponent(id)}`)) as Entity;
  }

  /** Creates one entity, as something other than Terraform would (e.g. a state to take over). */
  async create(kind: EntityKind, attributes: Record<string, unknown>): Promise<Entity> {
    return (await this.request('POST', `/api/v1/entities/${kind}`, attributes)) as Entity;
  }

  /** Changes some attributes of one entity, as an out-of-band edit would. */
  async patch(kind: EntityKind, id: string, attributes: Record<string, unknown>): Promise<Entity> {
    return (await this.request('PATCH', `/api/v1/entities/${kind}/${encodeURIComponent(id)}`, attributes)) as Entity;
  }

  /** Deletes one entity. */
  async delete(kind: EntityKind, id: string): Promise<void> {
    await this.request('DELETE', `/api/v1/entities/${kind}/${encodeURIComponent(id)}`);
  }

  /** Lists every kind and returns the non-empty ones, for "nothing left behind" checks. */
  async leftovers(): Promise<Partial<Record<EntityKind, Entity[]>>> {
    const found: Partial<Record<EntityKind, Entity[]>> = {};
    for (const kind of entityKinds) {
      const entities = await this.list(kind);
      if (entities.length > 0) found[kind] = entities;
    }
    return found;
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 2000)}`);
    return text === '' ? undefined : JSON.parse(text);
  }
}
