/** The generic resource: one Terraform resource is one API entity of `spec.kind`. */
import type { ResourceSpec } from '@opensym/schemas';
import type { EntityApi } from '../client/api-client';
import { nullObject, type TfObject } from '../framework/object-spec';
import type { Resource, ResourceContext } from '../framework/resource';
import { ApiBacked } from './api-backed';
import { mergePlanned, reconcileRead, stateFromEntity, toApiBody } from './entity-mapping';
import { findForImport } from './find-entity';
import { refuseSymPre2State, upgradeRawState } from './state-upgrade';

/** True for the state importState returns: `id` set, every required attribute still null. */
export function isImportSkeleton(spec: ResourceSpec, state: TfObject): boolean {
  const required = Object.entries(spec.attributes).filter(([, a]) => a.presence === 'required');
  return required.length > 0 && required.every(([name]) => state[name] === null || state[name] === undefined);
}

/** A resource backed by exactly one entity; used for every `sym_*` resource but composites. */
export class EntityResource extends ApiBacked implements Resource<EntityApi> {
  readonly spec: ResourceSpec;

  constructor(spec: ResourceSpec) {
    super();
    this.spec = spec;
  }

  async create(ctx: ResourceContext, planned: TfObject): Promise<TfObject> {
    const entity = await this.api.create(this.spec.kind, toApiBody(this.spec, planned, ctx.cwd));
    return mergePlanned(planned, stateFromEntity(this.spec, entity)) as TfObject;
  }

  async read(ctx: ResourceContext, state: TfObject): Promise<TfObject | null> {
    const id = state.id;
    if (typeof id !== 'string' || id === '') return null;
    const entity = await this.api.get(this.spec.kind, id);
    if (!entity) return null;
    // An import skeleton (id only) has nothing the user wrote yet: take the API's values as they are.
    const prior = isImportSkeleton(this.spec, state) ? undefined : state;
    return reconcileRead(this.spec, prior, stateFromEntity(this.spec, entity));
  }

  async update(ctx: ResourceContext, prior: TfObject, planned: TfObject): Promise<TfObject> {
    const entity = await this.api.update(this.spec.kind, String(prior.id), toApiBody(this.spec, planned, ctx.cwd));
    return mergePlanned(planned, stateFromEntity(this.spec, entity)) as TfObject;
  }

  async delete(ctx: ResourceContext, state: TfObject): Promise<void> {
    if (typeof state.id === 'string' && state.id !== '') await this.api.remove(this.spec.kind, state.id);
  }

  upgradeState(version: number, rawState: unknown): unknown {
    refuseSymPre2State(this.spec.typeName, version, rawState);
    return upgradeRawState(this.spec, rawState);
  }

  async importState(ctx: ResourceContext, id: string): Promise<TfObject> {
    const entity = await findForImport(this.api, this.spec.typeName, this.spec.kind, this.spec.identity, id);
    return { ...nullObject(this.spec), id: entity.id };
  }
}
