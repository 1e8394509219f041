/** An in-memory EntityApi for framework and resource tests (a fake, not a mock). */
import { randomUUID } from 'node:crypto';
import type { ApiEntity, EntityApi, ListQuery, Whoami } from './api-client';
import { ApiError } from './api-error';

/** In-memory control plane: entities per kind, slug/type filtering, scripted failures. */
export class FakeEntityApi implements EntityApi {
  readonly entities = new Map<string, Map<string, ApiEntity>>();
  readonly calls: string[] = [];
  whoamiAnswer: Whoami = { org: { id: 'org-1', slug: 'acme' }, token: { id: 'tok-1', role: 'admin' } };
  /** The next mutating call throws this error once. */
  failNext: Error | undefined;
  /**
   * What `?slug=` matches: a secret's path, else the name. Tests of kinds whose slug the control
   * plane derives (error loggers, log destinations) replace it.
   */
  slugOf: (kind: string, e: ApiEntity) => unknown = (kind, e) => (kind === 'secrets' ? e.path : e.name);

  async whoami(): Promise<Whoami> {
    this.calls.push('whoami');
    return this.whoamiAnswer;
  }

  async create(kind: string, body: Record<string, unknown>): Promise<ApiEntity> {
    this.calls.push(`create ${kind}`);
    this.#maybeFail();
    const entity: ApiEntity = { ...clone(body), id: randomUUID() };
    this.#kind(kind).set(entity.id, entity);
    return clone(entity);
  }

  async get(kind: string, id: string): Promise<ApiEntity | null> {
    this.calls.push(`get ${kind} ${id}`);
    const e = this.#kind(kind).get(id);
    return e ? clone(e) : null;
  }

  async list(kind: string, query: ListQuery = {}): Promise<ApiEntity[]> {
    this.calls.push(`list ${kind}`);
    return [...this.#kind(kind).values()]
      .filter((e) => query.type === undefined || e.type === query.type)
      .filter((e) => {
        if (query.slug === undefined) return true;
        const slug = this.slugOf(kind, e);
        return typeof slug === 'string' && slug.toLowerCase() === query.slug.toLowerCase();
      })
      .map(clone);
  }

  async update(kind: string, id: string, body: Record<string, unknown>): Promise<ApiEntity> {
    this.calls.push(`update ${kind} ${id}`);
    this.#maybeFail();
    const prior = this.#kind(kind).get(id);
    if (!prior) throw new ApiError({ status: 404, code: 'not_found', title: 'Not found' });
    const next = { ...prior, ...clone(body), id };
    this.#kind(kind).set(id, next);
    return clone(next);
  }

  async remove(kind: string, id: string): Promise<void> {
    this.calls.push(`remove ${kind} ${id}`);
    this.#maybeFail();
    this.#kind(kind).delete(id);
  }

  /** Puts an entity in place directly, as an out-of-band change would. */
  seed(kind: string, entity: Omit<ApiEntity, 'id'> & { id?: string }): ApiEntity {
    const e = { ...clone(entity), id: entity.id ?? randomUUID() } as ApiEntity;
    this.#kind(kind).set(e.id, e);
    return e;
  }

  #kind(kind: string): Map<string, ApiEntity> {
    let m = this.entities.get(kind);
    if (!m) this.entities.set(kind, (m = new Map()));
    return m;
  }

  #maybeFail(): void {
    const e = this.failNext;
    this.failNext = undefined;
    if (e) throw e;
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))) as T;
}
