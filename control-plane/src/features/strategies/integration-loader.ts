/**
 * Loads what a strategy acts through: its integration (`integration_id`), the integration's
 * secrets (`settings.secret_ids_json`) with their sources, and the hosts its code may call
 * (`settings.allowed_hosts`). Configuration mistakes are non-retryable StrategyErrors.
 */
import type { SandboxIntegration } from '../../sandbox';
import { StrategyError } from './access-strategy';
import type { EntityRecord } from '../../shared/entity-record';
import type { SecretLocation } from './secret-reader';

/** The few entity-store reads strategies need (EntityStore satisfies it). */
export interface EntityReader {
  findById(orgId: string, kind: string, id: string): Promise<EntityRecord | null>;
}

/** A strategy's integration, ready for the sandbox and the secret reader. */
export interface LoadedIntegration {
  /** Null when the strategy names no integration. */
  entity: EntityRecord | null;
  /** What `this.integration` is in the guest (public settings plus secret handles). */
  sandbox: SandboxIntegration;
  /** Secret locations by secret id, in `secret_ids_json` order. */
  secrets: Map<string, SecretLocation>;
  allowedHosts: string[];
}

/** Settings every integration may carry for strategies; `secret_ids_json` is read, not shown. */
const SECRET_IDS_SETTING = 'secret_ids_json';
const ALLOWED_HOSTS_SETTING = 'allowed_hosts';

/** host, *.host, host:port, [ipv6]:port. */
const HOST_PATTERN = /^(?:(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** String-valued settings of an entity (`settings` is a map of strings in every schema). */
export function settingsOf(entity: EntityRecord | null): Record<string, string | null> {
  const raw = entity?.data.settings;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = typeof v === 'string' ? v : v === null || v === undefined ? null : String(v);
  return out;
}

/** Parses `allowed_hosts`: comma- or whitespace-separated host[:port] patterns. */
export function parseAllowedHosts(value: string | null | undefined, integrationName: string): string[] {
  const hosts = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const bad = hosts.filter((h) => !HOST_PATTERN.test(h));
  if (bad.length > 0) {
    throw new StrategyError(
      `integration ${integrationName}: allowed_hosts entries must look like api.example.com, *.example.com or 127.0.0.1:8080; got ${bad.map((b) => JSON.stringify(b.slice(0, 100))).join(', ')}`,
      false,
    );
  }
  return hosts;
}

function secretIds(settings: Record<string, string | null>, integrationName: string): string[] {
  const raw = settings[SECRET_IDS_SETTING];
  if (!raw) return [];
  let ids: unknown;
  try {
    ids = JSON.parse(raw);
  } catch {
    ids = undefined;
  }
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new StrategyError(`integration ${integrationName}: ${SECRET_IDS_SETTING} must be a JSON list of sym_secret ids`, false);
  }
  return ids;
}

/** Loads one `sym_secret` and its source by id; missing ones are non-retryable StrategyErrors. */
export async function loadSecret(entities: EntityReader, orgId: string, id: string, integrationName: string): Promise<SecretLocation> {
  const secret = await entities.findById(orgId, 'secrets', id);
  if (!secret) throw new StrategyError(`integration ${integrationName}: secret ${id} does not exist`, false);
  const sourceId = secret.data.source_id;
  const source = typeof sourceId === 'string' ? await entities.findById(orgId, 'secret-sources', sourceId) : null;
  if (!source) throw new StrategyError(`secret ${id}: its secret source ${String(sourceId)} does not exist`, false);
  const path = secret.data.path;
  if (typeof path !== 'string' || !path) throw new StrategyError(`secret ${id} has no path`, false);
  return {
    id,
    path,
    jsonKey: settingsOf(secret).json_key ?? null,
    source: { id: source.id, type: String(source.type ?? source.data.type), settings: settingsOf(source) },
  };
}

/** Loads the strategy's integration; without one the guest gets an empty integration keyed by the strategy. */
export async function loadIntegration(entities: EntityReader, orgId: string, strategy: EntityRecord): Promise<LoadedIntegration> {
  const integrationId = strategy.data.integration_id;
  if (typeof integrationId !== 'string' || !integrationId) {
    return { entity: null, sandbox: { id: strategy.id, name: strategy.name ?? undefined, settings: {}, secrets: [] }, secrets: new Map(), allowedHosts: [] };
  }
  const entity = await entities.findById(orgId, 'integrations', integrationId);
  if (!entity) throw new StrategyError(`strategy ${strategy.name ?? strategy.id}: integration ${integrationId} does not exist`, false);
  const name = entity.name ?? entity.id;
  const settings = settingsOf(entity);
  const secrets = new Map<string, SecretLocation>();
  for (const id of secretIds(settings, name)) secrets.set(id, await loadSecret(entities, orgId, id, name));
  const publicSettings = Object.fromEntries(Object.entries(settings).filter(([k]) => k !== SECRET_IDS_SETTING));
  return {
    entity,
    sandbox: {
      id: entity.id,
      name,
      type: entity.type ?? undefined,
      ...(typeof entity.data.external_id === 'string' && { external_id: entity.data.external_id }),
      settings: publicSettings,
      secrets: [...secrets.values()].map((s) => ({ id: s.id, path: s.path, source_type: s.source.type })),
    },
    secrets,
    allowedHosts: parseAllowedHosts(settings[ALLOWED_HOSTS_SETTING], name),
  };
}
