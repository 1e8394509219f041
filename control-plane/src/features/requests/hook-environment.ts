/**
 * `event.flow.environment` as Sym exposes it to hooks: the environment's name and its
 * integrations by role (`integrations.slack_id` is `integrations["slack"]`), each with its name,
 * type, external id and settings. Settings naming secrets are left out: hooks get no secret door.
 */
import type { JsonValue } from '@opensym/schemas';
import type { EntityRecord } from '../../shared/entity-record';

/** Reads one entity of an organization (the entity store's `findById`). */
export type FindEntity = (orgId: string, kind: string, id: string) => Promise<EntityRecord | null>;

/** A setting that names a `sym_secret` (`api_token_secret`, `secret_ids_json`, `client_secret`, ...). */
const SECRET_SETTING = /secret/i;

function integrationView(integration: EntityRecord): Record<string, JsonValue> {
  const data = integration.data as Record<string, JsonValue>;
  const raw = data.settings;
  const settings: Record<string, JsonValue> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw)) if (!SECRET_SETTING.test(key)) settings[key] = value;
  }
  return { id: integration.id, name: integration.name ?? null, type: integration.type ?? null, external_id: (data.external_id as JsonValue) ?? null, settings };
}

/** The environment as hooks see it, or null when the flow has none (or it is gone). */
export async function environmentView(find: FindEntity, orgId: string, environmentId: string): Promise<JsonValue> {
  const environment = await find(orgId, 'environments', environmentId);
  if (!environment) return null;
  const integrations: Record<string, JsonValue> = {};
  const map = environment.data.integrations;
  if (map && typeof map === 'object' && !Array.isArray(map)) {
    for (const [role, id] of Object.entries(map as Record<string, unknown>)) {
      if (typeof id !== 'string' || !id) continue;
      const integration = await find(orgId, 'integrations', id);
      if (integration) integrations[role.replace(/_id$/, '')] = integrationView(integration);
    }
  }
  return { id: environment.id, name: environment.name ?? null, integrations };
}
