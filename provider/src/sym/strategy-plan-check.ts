/**
 * Plan-time suitability of a `sym_strategy`'s references: each target's type and the
 * integration's type must suit the strategy type, and types that act through an integration
 * need one. The rules and their wording are the API's (`strategyReferenceProblems` of
 * @opensym/schemas), so plan shows what the apply-time 422 would. Only references whose ids are
 * known can be read; the others (made in the same apply) are left to the API.
 */
import { strategyReferenceProblems, type ReferencedEntity, type ResourceSpec } from '@opensym/schemas';
import type { EntityApi } from '../client/api-client';
import { errorDiagnostic, pointerToPath } from '../framework/diagnostics';
import type { TfObject } from '../framework/object-spec';
import { isUnknown, type Diagnostic, type TfValue } from '../protocol/values';

// The API's ids are UUIDs, and its `?id=` list refuses anything else (422) for the whole batch,
// which would fail the refresh reads sharing it: other ids name nothing the check can read.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Diagnostics for a planned `access-strategies` object whose references do not suit its type; [] for other kinds. */
export async function checkStrategyReferences(spec: ResourceSpec, planned: TfObject, data: (() => Promise<EntityApi>) | undefined): Promise<Diagnostic[]> {
  if (spec.kind !== 'access-strategies' || !spec.attributes.targets) return [];
  const type = planned.type;
  if (typeof type !== 'string') return [];
  const targetIds = Array.isArray(planned.targets) ? planned.targets : [];
  const integrationId = planned.integration_id;
  // An unknown integration_id will be set; "" is no integration, as the API reads it.
  const integrationSet = isUnknown(integrationId) || (typeof integrationId === 'string' && integrationId !== '');
  const readable = (id: TfValue): id is string => typeof id === 'string' && UUID.test(id);
  const needsApi = targetIds.some(readable) || readable(integrationId);
  // Unknown provider config: nothing can be read, but a missing integration is still known.
  const api = needsApi && data ? await data() : undefined;
  const read = async (kind: string, id: TfValue): Promise<ReferencedEntity | undefined> => {
    if (!api || !readable(id)) return undefined;
    const entity = await api.get(kind, id);
    return entity ? { id: entity.id, name: entity.name, type: entity.type } : undefined;
  };
  // Started together so the client's batcher reads them in one call per kind.
  const [targets, integration] = await Promise.all([Promise.all(targetIds.map((id) => read('access-targets', id))), read('integrations', integrationId)]);
  return strategyReferenceProblems(type, { targets, integrationSet, integration }).map((p) => errorDiagnostic('Invalid value', p.detail, pointerToPath(spec, p.pointer)));
}
