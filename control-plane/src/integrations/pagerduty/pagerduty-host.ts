/**
 * Finds the PagerDuty client for a flow: the environment's `integrations.pagerduty_id` names a
 * `pagerduty` integration whose `settings.api_token_secret` names the `sym_secret` holding the
 * API token. The token is read only when a hook actually asks PagerDuty something. A token kept in
 * AWS Secrets Manager is read as the environment's runtime role (and the secret source's
 * `context_id` chained on it), like every other AWS call of that environment.
 */
import { type AwsCredentialResolver, type EntityReader, roleSessionName, type SecretLocation, type SecretReader, secretSourceCredentials } from '../../features/strategies';
import type { EntityRecord } from '../../shared/entity-record';
import type { UserStore } from '../../features/users/user-store';
import { createPagerDutyClient, PagerDutyError, type PagerDutyClient } from './pagerduty-client';

/** Builds PagerDuty clients per organization and environment. */
export interface PagerDutyHosts {
  /** The client for flows of `environment`; undefined when it has no PagerDuty integration. */
  forEnvironment(orgId: string, environment: Pick<EntityRecord, 'id' | 'data'> | null): Promise<PagerDutyClient | undefined>;
}

const stringSetting = (entity: EntityRecord, key: string): string | undefined => {
  const settings = entity.data.settings;
  const value = typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value ? value : undefined;
};

/** A client whose every lookup fails with `message`: a misconfiguration surfaces in the hook that needs PagerDuty, not elsewhere. */
function broken(message: string): PagerDutyClient {
  const fail = async (): Promise<never> => {
    throw new PagerDutyError(message);
  };
  return { onCall: fail, isOnCall: fail };
}

/** The `RoleSessionName` of hook secret reads: CloudTrail shows they were OpenSym's hooks. */
export const HOOK_SESSION_NAME = roleSessionName('hooks');

/**
 * Creates the factory over the entity reader, the secret reader and the user store; `credentials`
 * (the environment's runtime role) signs Secrets Manager reads, else the control plane's own.
 */
export function createPagerDutyHosts({
  entities,
  secrets,
  credentials,
  users,
  baseUrl,
  fetch,
}: {
  entities: EntityReader;
  secrets: SecretReader;
  credentials?: AwsCredentialResolver;
  users: Pick<UserStore, 'findByEmails'>;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}): PagerDutyHosts {
  const secretLocation = async (orgId: string, secretId: string, integrationName: string): Promise<SecretLocation> => {
    const secret = await entities.findById(orgId, 'secrets', secretId);
    if (!secret) throw new PagerDutyError(`integration ${integrationName}: api_token_secret ${secretId} does not exist`);
    const sourceId = secret.data.source_id;
    const source = typeof sourceId === 'string' ? await entities.findById(orgId, 'secret-sources', sourceId) : null;
    if (!source) throw new PagerDutyError(`secret ${secretId}: its secret source does not exist`);
    const settingsOf = (e: EntityRecord) => Object.fromEntries(Object.entries((e.data.settings as Record<string, unknown> | null) ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : null]));
    return {
      id: secret.id,
      path: String(secret.data.path),
      jsonKey: settingsOf(secret).json_key ?? null,
      source: { id: source.id, type: String(source.type ?? source.data.type), settings: settingsOf(source) },
    };
  };

  return {
    async forEnvironment(orgId, environment) {
      const integrations = environment?.data.integrations;
      const integrationId = typeof integrations === 'object' && integrations !== null ? (integrations as Record<string, unknown>).pagerduty_id : undefined;
      if (typeof integrationId !== 'string' || !integrationId) return undefined;
      const integration = await entities.findById(orgId, 'integrations', integrationId);
      if (!integration || integration.type !== 'pagerduty') return broken(`the environment's pagerduty_id ${integrationId} is not a pagerduty integration`);
      const name = integration.name ?? integration.id;
      const secretId = stringSetting(integration, 'api_token_secret');
      if (!secretId) return broken(`integration ${name}: settings.api_token_secret (the sym_secret holding the PagerDuty API token) is not set`);
      return createPagerDutyClient({
        baseUrl,
        fetch,
        readSecret: async () => {
          const location = await secretLocation(orgId, secretId, name);
          const scope = { orgId, environmentId: environment?.id ?? null, sessionName: HOOK_SESSION_NAME };
          return secrets.read(location, credentials ? await secretSourceCredentials(credentials, entities, scope, location.source) : undefined);
        },
        findUsersByEmail: (emails) => users.findByEmails(orgId, emails),
      });
    },
  };
}
