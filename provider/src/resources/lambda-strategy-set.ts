/**
 * `sym_strategies` (2020 syntax): every `lambda_strategy` block is one `access-strategies` entity
 * of type `aws_lambda`, named by the block's `id`, with the block's other attributes (code, arn)
 * in `settings` plus `set_id`, the resource's own id, which is how members are found again.
 */
import { randomUUID } from 'node:crypto';
import type { BlockSpec, ResourceSpec } from '@opensym/schemas';
import type { ApiEntity, EntityApi } from '../client/api-client';
import { ApiError } from '../client/api-error';
import { DiagnosticsError, NestedFailure, errorDiagnostic } from '../framework/diagnostics';
import { hashAttributeNames, isObject, nullObject, shapeObject, type TfObject } from '../framework/object-spec';
import type { Resource, ResourceContext } from '../framework/resource';
import { resolveSource } from '../framework/source-or-path';
import { UNKNOWN, type AttributePath, type TfValue } from '../protocol/values';
import { ApiBacked } from './api-backed';
import { mergePlanned, reconcileRead, stateFromEntity } from './entity-mapping';

const MEMBER_TYPE = 'aws_lambda';
const KIND = 'access-strategies';

/** The composite resource whose blocks are individual aws_lambda strategies. */
export class LambdaStrategySet extends ApiBacked implements Resource<EntityApi> {
  readonly spec: ResourceSpec;
  readonly #blockName: string;
  readonly #block: BlockSpec;
  readonly #idsAttribute: string;

  constructor(spec: ResourceSpec) {
    super();
    this.spec = spec;
    const entry = Object.entries(spec.blocks ?? {}).find(([, b]) => b.nesting === 'list');
    if (!entry) throw new Error(`${spec.typeName}: a lambda strategy set needs a list block`);
    [this.#blockName, this.#block] = entry;
    this.#idsAttribute = Object.entries(spec.attributes).find(([n, a]) => n !== 'id' && a.presence === 'computed' && typeof a.type === 'object' && 'map' in a.type)?.[0] ?? 'strategy_ids';
  }

  modifyPlan(prior: TfObject | null, planned: TfObject): void {
    if (!prior) return;
    planned[this.#idsAttribute] = this.#plannedIds(prior[this.#idsAttribute], planned[this.#blockName]);
  }

  /**
   * A member keeps its entity id for as long as its block does (update matches blocks to
   * entities by id, case-insensitively), so only blocks new to the set get an unknown id. Keeping
   * the others known is what leaves resources that use `strategy_ids["existing"]` untouched.
   */
  #plannedIds(priorIds: TfValue | undefined, blocks: TfValue | undefined): TfValue {
    if (!isObject(priorIds) || !Array.isArray(blocks)) return UNKNOWN;
    const byName = new Map<string, TfValue>();
    for (const [name, id] of Object.entries(priorIds)) byName.set(name.toLowerCase(), id);
    const planned: Record<string, TfValue> = {};
    for (const block of blocks) {
      if (!isObject(block) || typeof block.id !== 'string') return UNKNOWN;
      const key = block.id.toLowerCase();
      // Each existing entity goes to the first block that matches it; any repeat is a new entity.
      planned[block.id] = byName.get(key) ?? UNKNOWN;
      byName.delete(key);
    }
    return planned;
  }

  async create(ctx: ResourceContext, planned: TfObject): Promise<TfObject> {
    // Generated at apply time, never at plan time: the plan runs twice and must agree.
    const setId = randomUUID();
    const made: ApiEntity[] = [];
    const blocks = this.#blocks(planned);
    for (const [i, block] of blocks.entries()) {
      try {
        made.push(await this.api.create(KIND, this.#memberBody(block, setId, ctx.cwd)));
      } catch (e) {
        // Record only the members that exist, so the next plan creates the rest.
        const partial = made.length ? this.#state({ ...planned, [this.#blockName]: blocks.slice(0, i) }, setId, made) : undefined;
        throw this.#memberError(e, i, 'create', partial);
      }
    }
    return this.#state(planned, setId, made);
  }

  async read(ctx: ResourceContext, state: TfObject): Promise<TfObject | null> {
    if (typeof state.id !== 'string') return null;
    const members = await this.#members(this.api, state.id);
    if (members.length === 0) return null;
    const priorBlocks = Array.isArray(state[this.#blockName]) ? (state[this.#blockName] as TfValue[]).filter(isObject) : [];
    const order = new Map(priorBlocks.map((b, i) => [String(b.id).toLowerCase(), i]));
    members.sort((a, b) => {
      const ia = order.get(String(a.name).toLowerCase()) ?? Infinity;
      const ib = order.get(String(b.name).toLowerCase()) ?? Infinity;
      return ia !== ib ? ia - ib : String(a.name).localeCompare(String(b.name));
    });
    const blocks = members.map((m) => {
      const fresh = stateFromEntity(this.#block, this.#memberAsBlock(m));
      const prior = priorBlocks.find((b) => String(b.id).toLowerCase() === String(m.name).toLowerCase());
      return reconcileRead(this.#block, prior, fresh);
    });
    return {
      ...nullObject(this.spec),
      ...Object.fromEntries(Object.keys(this.spec.attributes).map((k) => [k, state[k] ?? null])),
      id: state.id,
      [this.#blockName]: blocks,
      [this.#idsAttribute]: Object.fromEntries(members.map((m) => [String(m.name), m.id])),
    };
  }

  async update(ctx: ResourceContext, prior: TfObject, planned: TfObject): Promise<TfObject> {
    const setId = String(prior.id);
    const existing = new Map((await this.#members(this.api, setId)).map((m) => [String(m.name).toLowerCase(), m]));
    const kept: ApiEntity[] = [];
    const blocks = this.#blocks(planned);
    for (const [i, block] of blocks.entries()) {
      const key = String(block.id).toLowerCase();
      const current = existing.get(key);
      existing.delete(key);
      try {
        const body = this.#memberBody(block, setId, ctx.cwd);
        kept.push(current ? await this.api.update(KIND, current.id, body) : await this.api.create(KIND, body));
      } catch (e) {
        throw this.#memberError(e, i, current ? 'update' : 'create');
      }
    }
    for (const gone of existing.values()) await this.api.remove(KIND, gone.id);
    return this.#state(planned, setId, kept);
  }

  async delete(ctx: ResourceContext, state: TfObject): Promise<void> {
    if (typeof state.id !== 'string') return;
    const ids = new Set((await this.#members(this.api, state.id)).map((m) => m.id));
    const known = state[this.#idsAttribute];
    if (isObject(known)) for (const v of Object.values(known)) if (typeof v === 'string') ids.add(v);
    for (const id of ids) await this.api.remove(KIND, id);
  }

  async importState(ctx: ResourceContext, id: string): Promise<TfObject> {
    const members = await this.#members(this.api, id.trim());
    if (members.length === 0) {
      throw new DiagnosticsError([errorDiagnostic('Cannot import', `Cannot import: no ${this.spec.typeName} with id "${id}" (no aws_lambda strategy has settings.set_id = "${id}").`)]);
    }
    return { ...nullObject(this.spec), id: id.trim() };
  }

  #blocks(value: TfObject): TfObject[] {
    const v = value[this.#blockName];
    return Array.isArray(v) ? v.filter(isObject) : [];
  }

  async #members(api: EntityApi, setId: string): Promise<ApiEntity[]> {
    const all = await api.list(KIND, { type: MEMBER_TYPE });
    return all.filter((e) => isObject(e.settings as TfValue) && (e.settings as Record<string, unknown>).set_id === setId);
  }

  /** Block → entity body: `id` is the entity name, `label` the label, everything else a setting. */
  #memberBody(block: TfObject, setId: string, cwd: string): Record<string, unknown> {
    const settings: Record<string, string> = {};
    const hashes = hashAttributeNames(this.#block);
    for (const [name, attr] of Object.entries(this.#block.attributes)) {
      if (name === 'id' || name === 'label' || hashes.has(name) || attr.providerOnly || attr.presence === 'computed') continue;
      const v = block[name];
      if (typeof v === 'string') settings[name] = attr.sourceOrPath ? resolveSource(v, cwd) : v;
      else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') settings[name] = String(v);
    }
    settings.set_id = setId;
    return { type: MEMBER_TYPE, name: block.id, label: block.label ?? null, targets: [], settings };
  }

  /** Entity → block-shaped record, the inverse of #memberBody. */
  #memberAsBlock(m: ApiEntity): Record<string, unknown> {
    const settings = isObject(m.settings as TfValue) ? (m.settings as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(this.#block.attributes)) {
      out[name] = name === 'id' ? m.name : name === 'label' ? m.label : settings[name];
    }
    return out;
  }

  #state(planned: TfObject, setId: string, members: ApiEntity[]): TfObject {
    const ids = Object.fromEntries(members.map((m) => [String(m.name), m.id]));
    const fresh: TfObject = {
      ...shapeObject(this.spec, {}),
      id: setId,
      [this.#blockName]: members.map((m) => stateFromEntity(this.#block, this.#memberAsBlock(m))),
      [this.#idsAttribute]: ids,
    };
    return mergePlanned({ ...planned, id: setId }, fresh) as TfObject;
  }

  #memberError(e: unknown, index: number, action: string, partial?: TfObject): unknown {
    if (!(e instanceof ApiError)) return e;
    const base: AttributePath = [this.#blockName, index];
    // The provider maps the API error as usual; each diagnostic then moves under the block.
    return new NestedFailure(
      e,
      `${action} lambda strategy ${index}`,
      (_d, i) => {
        const pointer = e.errors[i]?.pointer ?? '';
        const seg = pointer.split('/').filter(Boolean);
        const attr = seg[0] === 'name' ? 'id' : seg[0] === 'settings' && seg[1] && this.#block.attributes[seg[1]] ? seg[1] : seg[0] === 'label' ? 'label' : undefined;
        return attr ? [...base, attr] : base;
      },
      partial,
    );
  }
}
