import { randomUUID } from 'node:crypto';
import { normalizeSlug, resourceByKind, strategyReferenceProblems, type EntityKind, type JsonValue, type ReferencedEntity, type ResourceSpec } from '@opensym/schemas';
import { ApiError, type FieldError } from '../../errors/api-error';
import type { AuditLog } from '../audit/audit-log';
import { entityIdentity, normalizeEntityData, referenceSlots, type EntityData } from './entity-shape';
import type { EntityListFilter, EntityRecord, EntityStore, EntityWrite, Referrer } from './entity-store';
import { detachReferences } from './reference-detach';
import type { EntityValidator } from './entity-validator';
import type { LiveRequestDependencies, LiveRequestReader } from './live-request-store';

/** How many live requests a `still_referenced` problem names (the count covers the rest). */
export const LIVE_REQUESTS_NAMED = 10;

/**
 * The secret ids an integration's `settings.secret_ids_json` lists, lowercased (the strategy
 * runner reads them this way: see strategies/integration-loader.ts). Malformed values name none.
 */
export function integrationSecretIds(data: EntityData): string[] {
  const settings = data.settings;
  const raw = settings && typeof settings === 'object' && !Array.isArray(settings) ? settings.secret_ids_json : undefined;
  if (typeof raw !== 'string') return [];
  try {
    const ids: unknown = JSON.parse(raw);
    return Array.isArray(ids) ? ids.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()) : [];
  } catch {
    return [];
  }
}
import { toPage, type Page, type PageRequest } from '../../validation/paging';

function jsonKeyOf(data: EntityData): string | undefined {
  const settings = data.settings;
  const key = settings && typeof settings === 'object' && !Array.isArray(settings) ? settings.json_key : undefined;
  return typeof key === 'string' && key !== '' ? key : undefined;
}

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
  /** Live access requests by what they need: a delete that would strand one is refused. */
  liveRequests: LiveRequestReader;
  newId?: () => string;
  /** Told after an entity was created, changed or deleted (drops cached flows). */
  onChange?: () => void;
  /** The spec of an entity kind, for detaching a deleted entity from its referrers. Default: the registry's. */
  specOf?: (kind: string) => ResourceSpec | undefined;
  /** Rules that depend on how this control plane is configured (e.g. a token-less Slack integration needs the operator's app); each returns its 422 field errors. */
  deploymentRules?: readonly EntityRule[];
}

/** A rule on a whole entity (after validation and PATCH merging): the field errors it finds, none when it holds. */
export type EntityRule = (spec: ResourceSpec, data: EntityData) => FieldError[];

/** Creates the entity service; called once by the composition root. */
export function createEntityService({
  store,
  validator,
  audit,
  liveRequests,
  newId = randomUUID,
  onChange = () => {},
  specOf = (kind) => resourceByKind(kind as EntityKind),
  deploymentRules = [],
}: EntityServiceDeps): EntityService {
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
          ? `A secret with path "${String(data.path)}"${jsonKeyOf(data) ? ` and json_key "${jsonKeyOf(data)}"` : ''} already exists in this source.`
          : spec.identity.by === 'type_name'
            ? `A ${spec.kind} entity of type "${String(data.type)}" named "${String(data.name)}" already exists (names are case-insensitive).`
            : `A ${spec.kind} entity named "${String(data.name)}" already exists (names are case-insensitive).`;
    return new ApiError('duplicate_name', what, [{ pointer, detail: 'is already taken' }]);
  };

  /** 422 when a strategy's targets or integration do not suit its type, or it lacks an integration it needs (schemas/strategy-target-rules.ts). */
  const refuseUnsuitable = async (orgId: string, data: EntityData): Promise<void> => {
    const type = typeof data.type === 'string' ? data.type : null;
    if (!type) return;
    const asReferenced = (r: EntityRecord | null): ReferencedEntity | undefined => (r ? { id: r.id, name: r.name, type: r.type } : undefined);
    const ids = Array.isArray(data.targets) ? data.targets : [];
    const targets: (ReferencedEntity | undefined)[] = [];
    for (const id of ids) targets.push(typeof id === 'string' ? asReferenced(await store.findById(orgId, 'access-targets', id)) : undefined);
    const integrationId = typeof data.integration_id === 'string' && data.integration_id !== '' ? data.integration_id : null;
    const integration = integrationId ? asReferenced(await store.findById(orgId, 'integrations', integrationId)) : undefined;
    const errors: FieldError[] = strategyReferenceProblems(type, { targets, integrationSet: integrationId !== null, integration });
    if (errors.length > 0) throw new ApiError('validation_failed', errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '), errors);
  };

  /** Builds the write for `data` after checking uniqueness and references against the store. */
  const prepare = async (actor: Actor, spec: ResourceSpec, id: string, data: EntityData): Promise<EntityWrite> => {
    const normalized = normalizeEntityData(spec, data);
    await validator.implementation(spec, normalized);
    const broken = deploymentRules.flatMap((rule) => rule(spec, normalized));
    if (broken.length > 0) throw new ApiError('validation_failed', broken.map((e) => `${e.pointer}: ${e.detail}`).join('; '), broken);
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
    if (spec.kind === 'access-strategies') await refuseUnsuitable(actor.orgId, normalized);
    const { conflictPointer: _ignored, ...columns } = identity;
    return { id, orgId: actor.orgId, kind: spec.kind, ...columns, data: normalized, references: slots.map((s) => ({ pointer: s.pointer, toId: s.id })) };
  };

  /** Maps a constraint the database enforced (a lost race) to the same problem as the checks. */
  const refused = (spec: ResourceSpec, write: EntityWrite, reason: 'duplicate' | 'missing_reference' | 'not_found'): ApiError => {
    if (reason === 'duplicate') return duplicate(spec, entityIdentity(spec, write.data, write.id).conflictPointer, write.data);
    if (reason === 'not_found') return notFound(spec, write.id);
    return new ApiError('reference_not_found', 'A referenced entity was deleted while this request ran; retry.');
  };

  /** The strategies that act through `id` (a strategy itself, or its integration, secret or secret source). */
  const strategiesUsing = async (orgId: string, kind: string, id: string): Promise<string[]> => {
    const referring = async (ofKind: string) => (await store.referrers(id)).filter((r) => r.kind === ofKind && r.id !== id).map((r) => r.id);
    switch (kind) {
      case 'access-strategies':
        return [id];
      case 'integrations':
        return referring('access-strategies');
      case 'secrets': {
        // An integration names its secrets in a setting, not in a reference attribute.
        const integrations = (await store.list(orgId, 'integrations', {})).filter((i) => integrationSecretIds(i.data).includes(id.toLowerCase()));
        return (await Promise.all(integrations.map((i) => strategiesUsing(orgId, 'integrations', i.id)))).flat();
      }
      case 'secret-sources': {
        const secrets = await referring('secrets');
        return (await Promise.all(secrets.map((secretId) => strategiesUsing(orgId, 'secrets', secretId)))).flat();
      }
      default:
        return [];
    }
  };

  /** 409 when an access request that may hold (or be about to get) access still needs the entity. */
  const refuseWhileLive = async (orgId: string, spec: ResourceSpec, id: string): Promise<void> => {
    const uses: LiveRequestDependencies = {
      flowIds: spec.kind === 'flows' ? [id] : [],
      targetIds: spec.kind === 'access-targets' ? [id] : [],
      strategyIds: await strategiesUsing(orgId, spec.kind, id),
    };
    const live = await liveRequests.liveRequestsUsing(orgId, uses, LIVE_REQUESTS_NAMED);
    if (live.count === 0) return;
    const named = live.requests.map((r) => `${r.id} (${r.state})`).join(', ');
    const more = live.count > live.requests.length ? ` and ${live.count - live.requests.length} more` : '';
    throw new ApiError(
      'still_referenced',
      `This ${spec.kind} entity is still needed by ${live.count} live access request(s): ${named}${more}. ` +
        'Revoke them (POST /api/v1/requests/{id}/revoke) or wait until they expire and their access is taken back, then delete again.',
      [],
      { requests: live.requests, request_count: live.count },
    );
  };

  /**
   * The referrers of `id` with the reference cleared where it sits in an optional attribute (see
   * reference-detach.ts: Terraform deletes before it updates the referrer), and those whose
   * reference is required, which block the delete.
   */
  const detachFromReferrers = async (orgId: string, id: string) => {
    const detached: { write: EntityWrite; changed: string[] }[] = [];
    const blocking: Referrer[] = [];
    for (const r of (await store.referrers(id)).filter((x) => x.id !== id)) {
      const referrerSpec = specOf(r.kind);
      const current = referrerSpec && (await store.findById(orgId, r.kind, r.id));
      const result = referrerSpec && current ? detachReferences(referrerSpec, normalizeEntityData(referrerSpec, current.data), id) : undefined;
      if (!referrerSpec || !result?.ok) {
        blocking.push(r);
        continue;
      }
      const data = normalizeEntityData(referrerSpec, result.data);
      const { conflictPointer: _ignored, ...columns } = entityIdentity(referrerSpec, data, r.id);
      const references = referenceSlots(referrerSpec, data).map((slot) => ({ pointer: slot.pointer, toId: slot.id }));
      detached.push({ write: { id: r.id, orgId, kind: r.kind, ...columns, data, references }, changed: result.changed });
    }
    return { detached, blocking };
  };

  return {
    async create(actor, spec, data) {
      const write = await prepare(actor, spec, newId(), data);
      const outcome = await store.create(write);
      onChange();
      if (!outcome.ok) throw refused(spec, write, outcome.reason);
      await audit.record({
        orgId: actor.orgId,
        type: 'entity.created',
        actorTokenId: actor.tokenId,
        actorUserId: actor.userId ?? null,
        entityId: write.id,
        data: { kind: spec.kind, name: write.name },
      });
      return toResponse(spec, outcome.entity);
    },

    async list(actor, spec, filter, page) {
      // No stored value contains NUL (see the validator), and PostgreSQL would reject the parameter.
      if ([filter.slug, filter.type].some((v) => v?.includes('\u0000'))) return { data: [], next_page_token: null };
      if (filter.ids?.length === 0) return { data: [], next_page_token: null };
      // A derived slug is matched as import writes it (`#sym-errors` finds `sym-errors`).
      const slug = filter.slug !== undefined && spec.identity.by === 'slug' ? normalizeSlug(filter.slug) : filter.slug;
      const records = await store.list(actor.orgId, spec.kind, { ...filter, slug, after: page.after, take: page.limit + 1 });
      return toPage(
        records,
        page.limit,
        (r) => ({ at: r.createdAt, id: r.id }),
        (r) => toResponse(spec, r),
      );
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
      const stillReferenced = (referrers: Referrer[]) => {
        const names = referrers.map((r) => `${r.kind} ${r.name ? `"${r.name}" ` : ''}(${r.id})`);
        return new ApiError('still_referenced', `Still referenced by ${names.join(', ')} (in a required attribute); remove those references first.`);
      };
      // What a live grant needs is neither deleted nor detached from anything.
      await refuseWhileLive(actor.orgId, spec, id);
      const { detached, blocking } = await detachFromReferrers(actor.orgId, id);
      if (blocking.length > 0) throw stillReferenced(blocking);
      const outcome = await store.delete(
        actor.orgId,
        id,
        detached.map((d) => d.write),
      );
      onChange();
      if (!outcome.ok) throw outcome.reason === 'not_found' ? notFound(spec, id) : stillReferenced((await store.referrers(id)).filter((r) => r.id !== id));
      for (const d of detached) {
        await audit.record({
          orgId: actor.orgId,
          type: 'entity.updated',
          actorTokenId: actor.tokenId,
          actorUserId: actor.userId ?? null,
          entityId: d.write.id,
          data: { kind: d.write.kind, name: d.write.name, changed: d.changed, detached: id },
        });
      }
      await audit.record({ orgId: actor.orgId, type: 'entity.deleted', actorTokenId: actor.tokenId, actorUserId: actor.userId ?? null, entityId: id, data: { kind: spec.kind, name: record.name } });
    },
  };
}
