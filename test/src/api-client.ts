/** A minimal client for the control plane's entity API (docs/api-contract.md). */
import type { components, Whoami } from '@opensym/api-client';

type Schemas = components['schemas'];

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

/**
 * An entity of one kind as the API returns it: the generated `<kind>.entity` schema, whose `id`
 * is nullable only because it is computed in Terraform; the API always returns one.
 */
export type EntityOf<K extends EntityKind> = Schemas[`${K}.entity`] & { id: string };

/** An entity of any kind. */
export type Entity = EntityOf<EntityKind>;

/** The body that creates an entity of one kind (the generated `<kind>.create` schema). */
export type EntityCreate<K extends EntityKind> = Schemas[`${K}.create`];

/** The body that changes some attributes of an entity of one kind (the generated `<kind>.update` schema). */
export type EntityUpdate<K extends EntityKind> = Schemas[`${K}.update`];

/** Calls the API with a bearer token; non-2xx answers throw with the problem body. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Who the token is. */
  whoami(): Promise<Whoami> {
    return this.request('GET', '/api/v1/whoami') as Promise<Whoami>;
  }

  /** Every entity of a kind. */
  async list<K extends EntityKind>(kind: K): Promise<EntityOf<K>[]> {
    const body = (await this.request('GET', `/api/v1/entities/${kind}`)) as { data: EntityOf<K>[] };
    return body.data;
  }

  /** One entity by id. */
  async get<K extends EntityKind>(kind: K, id: string): Promise<EntityOf<K>> {
    return (await this.request('GET', `/api/v1/entities/${kind}/${encodeURIComponent(id)}`)) as EntityOf<K>;
  }

  /** Creates one entity, as something other than Terraform would (e.g. a state to take over). */
  async create<K extends EntityKind>(kind: K, attributes: EntityCreate<K>): Promise<EntityOf<K>> {
    return (await this.request('POST', `/api/v1/entities/${kind}`, attributes)) as EntityOf<K>;
  }

  /** Changes some attributes of one entity, as an out-of-band edit would. */
  async patch<K extends EntityKind>(kind: K, id: string, attributes: EntityUpdate<K>): Promise<EntityOf<K>> {
    return (await this.request('PATCH', `/api/v1/entities/${kind}/${encodeURIComponent(id)}`, attributes)) as EntityOf<K>;
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
