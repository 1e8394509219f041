import { randomUUID } from 'node:crypto';
import type { JsonValue, ResourceSpec } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { AuditLog } from '../audit/audit-log';
import { entityIdentity, normalizeEntityData, referenceSlots, type EntityData } from './entity-shape';
import type { EntityListFilter, EntityRecord, EntityStore, EntityWrite } from './entity-store';
import type { EntityValidator } from './entity-validator';
import { toPage, type Page, type PageRequest } from '../../validation/paging';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a syntactically valid UUID (entity ids are UUIDs). */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** Who is acting: the token's organization and id (for audit). */
export interface Actor {
  orgId: string;
  tokenId: string | null;
  /** The user behind a user token, for audit. */
  userId?: string | null;
}

/** An entity as the API returns it. */
export type EntityResponse = { id: string } & EntityData & { created_at: string; updated_at: string };

/** The entity rules: identity uniqueness, references, PATCH merging, referential delete. */
export interface EntityService {
  create(actor: Actor, spec: ResourceSpec, data: EntityData): Promise<EntityResponse>;
  list(actor: Actor, spec: ResourceSpec, filter: Omit<EntityListFilter, 'after' | 'take'>, page: PageRequest): Promise<Page<EntityResponse>>;
  get(actor: Actor, spec: ResourceSpec, id: string): Promise<EntityResponse>;
  update(actor: Actor, spec: ResourceSpec, id: string, patch: EntityData): Promise<EntityResponse>;
  remove(actor: Actor, spec: ResourceSpec, id: string): Promise<void>;
}

/** Dependencies of the entity service, each the few methods it uses. */
export interface EntityServiceDeps {
  store: EntityStore;
  validator: Pick<EntityValidator, 'create' | 'implementation'>;
  audit: Pick<AuditLog, 'record'>;
  newId?: () => string;
  /** Told after an entity was created, changed or deleted (drops cached flows). */
  onChange?: () => void;
}

/** Creates the entity service; called once by the composition root. */
export function createEntityService({ store, validator, audit, newId = randomUUID, onChange = () => {} }: EntityServiceDeps): EntityService {
  const toResponse = (spec: ResourceSpec, r: EntityRecord): EntityResponse => ({
    id: r.id,
    ...normalizeEntityData(spec, r.data),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  });

  const notFound = (spec: ResourceSpec, id: string) => new ApiError('not_found', `No ${spec.kind} entity with id ${id} in this organization.`);

  const duplicate = (spec: ResourceSpec, pointer: string, data: EntityData) => {
    const what =
      spec.identity.by === 'singleton'
        ? `This organization already has its one ${spec.kind} entity.`
        : spec.identity.by === 'path'
          ? `A secret with path "${String(data.path)}" already exists in this source.`
          : spec.identity.by === 'type_name'
            ? `A ${spec.kind} entity of type "${String(data.type)}" named "${String(data.name)}" already exists (names are case-insensitive).`
            : `A ${spec.kind} entity named "${String(data.name)}" already exists (names are case-insensitive).`;
    return new ApiError('duplicate_name', what, [{ pointer, detail: 'is already taken' }]);
  };

  /** Builds the write for `data` after checking uniqueness and references against the store. */
  const prepare = async (actor: Actor, spec: ResourceSpec, id: string, data: EntityData): Promise<EntityWrite> => {
    const normalized = normalizeEntityData(spec, data);
    await validator.implementation(spec, normalized);
    const identity = entityIdentity(spec, normalized, id);
    const clash = await store.findByNaturalKey(actor.orgId, spec.kind, identity.naturalKey);
    if (clash && clash.id !== id) throw duplicate(spec, identity.conflictPointer, normalized);
    const slots = referenceSlots(spec, normalized);
    // Ids that are not UUIDs cannot exist, and must not reach a uuid column.
    const kinds = await store.kindsOf(actor.orgId, [...new Set(slots.map((s) => s.id).filter(isUuid))]);
    const missing = slots.filter((s) => kinds.get(s.id.toLowerCase()) !== s.kind);
    if (missing.length > 0) {
      throw new ApiError(
        'reference_not_found',
        missing.map((s) => `${s.pointer}: no ${s.kind} entity with id "${s.id}" in this organization`).join('; '),
        missing.map((s) => ({ pointer: s.pointer, detail: `no ${s.kind} entity with id "${s.id}" in this organization` })),
      );
    }
    const { conflictPointer: _ignored, ...columns } = identity;
    return { id, orgId: actor.orgId, kind: spec.kind, ...columns, data: normalized, references: slots.map((s) => ({ pointer: s.pointer, toId: s.id })) };
  };

  /** Maps a constraint the database enforced (a lost race) to the same problem as the checks. */
  const refused = (spec: ResourceSpec, write: EntityWrite, reason: 'duplicate' | 'missing_reference' | 'not_found'): ApiError => {
    if (reason === 'duplicate') return duplicate(spec, entityIdentity(spec, write.data, write.id).conflictPointer, write.data);
    if (reason === 'not_found') return notFound(spec, write.id);
    return new ApiError('reference_not_found', 'A referenced entity was deleted while this request ran; retry.');
  };

  return {
    async create(actor, spec, data) {
      const write = await prepare(actor, spec, newId(), data);
      const outcome = await store.create(write);
      onChange();
      if (!outcome.ok) throw refused(spec, write, outcome.reason);
      await audit.record({ orgId: actor.orgId, type: 'entity.created', actorTokenId: actor.tokenId, actorUserId: actor.userId ?? null, entityId: write.id, data: { kind: spec.kind, name: write.name } });
      return toResponse(spec, outcome.entity);
    },

    async list(actor, spec, filter, page) {
      // No stored value contains NUL (see the validator), and PostgreSQL would reject the parameter.
      if ([filter.slug, filter.type].some((v) => v?.includes('\u0000'))) return { data: [], next_page_token: null };
      if (filter.ids?.length === 0) return { data: [], next_page_token: null };
      const records = await store.list(actor.orgId, spec.kind, { ...filter, after: page.after, take: page.limit + 1 });
      return toPage(records, page.limit, (r) => ({ at: r.createdAt, id: r.id }), (r) => toResponse(spec, r));
    },

    async get(actor, spec, id) {
      const record = await store.findById(actor.orgId, spec.kind, id);
      if (!record) throw notFound(spec, id);
      return toResponse(spec, record);
    },

    async update(actor, spec, id, patch) {
      const record = await store.findById(actor.orgId, spec.kind, id);
      if (!record) throw notFound(spec, id);
      const current = normalizeEntityData(spec, record.data);
      if ('type' in patch && patch.type !== current.type) {
        throw new ApiError('validation_failed', '`type` cannot be changed; create a new entity (Terraform replaces the resource).', [
          { pointer: '/type', detail: `cannot be changed from "${String(current.type)}"` },
        ]);
      }
      // Top-level merge: absent keeps, present replaces (blocks as a whole), null clears.
      const merged: Record<string, JsonValue> = { ...current };
      for (const [key, value] of Object.entries(patch)) merged[key] = value;
      // Validation of the merged entity: drop nulls so required ones report as missing and
      // defaults fill cleared optional ones, exactly as on create.
      const candidate = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null));
      const valid = validator.create(spec, candidate);
      const write = await prepare(actor, spec, id, valid);
      const outcome = await store.update(write);
      onChange();
      if (!outcome.ok) throw refused(spec, write, outcome.reason);
      await audit.record({
        orgId: actor.orgId,
        type: 'entity.updated',
        actorTokenId: actor.tokenId,
        actorUserId: actor.userId ?? null,
        entityId: id,
        data: { kind: spec.kind, name: write.name, changed: Object.keys(patch).sort() },
      });
      return toResponse(spec, outcome.entity);
    },

    async remove(actor, spec, id) {
      const record = await store.findById(actor.orgId, spec.kind, id);
      if (!record) throw notFound(spec, id);
      const stillReferenced = async () => {
        const referrers = (await store.referrers(id)).filter((r) => r.id !== id);
        const names = referrers.map((r) => `${r.kind} ${r.name ? `"${r.name}" ` : ''}(${r.id})`);
        return new ApiError('still_referenced', `Still referenced by ${names.join(', ')}; remove those references first.`);
      };
      const referrers = (await store.referrers(id)).filter((r) => r.id !== id);
      if (referrers.length > 0) throw await stillReferenced();
      const outcome = await store.delete(actor.orgId, id);
      onChange();
      if (!outcome.ok) throw outcome.reason === 'not_found' ? notFound(spec, id) : await stillReferenced();
      await audit.record({ orgId: actor.orgId, type: 'entity.deleted', actorTokenId: actor.tokenId, actorUserId: actor.userId ?? null, entityId: id, data: { kind: spec.kind, name: record.name } });
    },
  };
}
