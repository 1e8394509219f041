/** The generic data source: finds one entity by its lookup attributes and returns its attributes. */
import type { DataSourceSpec, ResourceSpec } from '@opensym/schemas';
import type { EntityApi } from '../client/api-client';
import { DiagnosticsError, errorDiagnostic } from '../framework/diagnostics';
import type { TfObject } from '../framework/object-spec';
import type { DataSource, ResourceContext } from '../framework/resource';
import { ApiBacked } from './api-backed';
import { stateFromEntity } from './entity-mapping';
import { slugOf } from './find-entity';

/** The attribute and block names of the data source's wire schema, to fit the state to it exactly. */
export interface DataSourceShape {
  attributes: string[];
  blocks: string[];
}

/** A data source over the entity kind of the resource it mirrors. */
export class EntityDataSource extends ApiBacked implements DataSource<EntityApi> {
  readonly spec: DataSourceSpec;
  readonly #resource: ResourceSpec;
  readonly #shape: DataSourceShape | undefined;

  constructor(spec: DataSourceSpec, resource: ResourceSpec, shape?: DataSourceShape) {
    super();
    this.spec = spec;
    this.#resource = resource;
    this.#shape = shape;
  }

  async read(ctx: ResourceContext, config: TfObject): Promise<TfObject> {
    const name = typeof config.name === 'string' ? config.name : undefined;
    const type = typeof config.type === 'string' ? config.type : undefined;
    const found = (await this.api.list(this.spec.kind, { ...(name !== undefined ? { slug: name } : {}), ...(type !== undefined ? { type } : {}) })).filter((e) =>
      this.spec.lookup.every((attr) => {
        const want = config[attr];
        if (want === null || want === undefined) return true;
        const got = attr === 'name' ? slugOf(this.spec.kind, e) : e[attr];
        return typeof want === 'string' && typeof got === 'string' ? want.toLowerCase() === got.toLowerCase() : got === want;
      }),
    );
    const what = this.spec.lookup.map((a) => `${a} = ${JSON.stringify(config[a])}`).join(', ');
    if (found.length === 0) {
      throw new DiagnosticsError([errorDiagnostic(`No ${this.spec.typeName} found`, `No ${this.spec.typeName} with ${what} exists in this organization.`)]);
    }
    if (found.length > 1) {
      throw new DiagnosticsError([errorDiagnostic(`Several ${this.spec.typeName} found`, `More than one object matches ${what}; make the lookup more specific.`)]);
    }
    const state: TfObject = { ...stateFromEntity(this.#resource, found[0]), id: found[0].id };
    for (const attr of this.spec.lookup) state[attr] = config[attr] ?? null;
    if (!this.#shape) return state;
    const out: TfObject = {};
    for (const n of [...this.#shape.attributes, ...this.#shape.blocks]) out[n] = state[n] ?? (this.#shape.blocks.includes(n) ? [] : null);
    return out;
  }
}
