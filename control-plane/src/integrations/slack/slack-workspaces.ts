/**
 * Finds Slack workspaces and their credentials: a `slack` integration (`external_id` = team id)
 * whose `settings.bot_token_secret` and `settings.signing_secret_secret` (and, for Socket Mode,
 * `settings.app_token_secret`) name `sym_secret`s, or, naming none of the two (a Sym config),
 * the operator's own app (`operator-slack-app.ts`; Socket Mode when it has an app token). Secrets
 * are read when needed (and kept a short while), never logged; a broken chain throws a
 * {@link SlackConfigError} naming the setting, not a value.
 */
import type { EntityReader, SecretLocation, SecretReader } from '../../features/strategies';
import type { EntityRecord } from '../../shared/entity-record';
import type { OperatorSlackApp } from './operator-slack-app';
import { createSlackClient, DEFAULT_SLACK_API_URL, type SlackClient } from './slack-client';
import type { RetryOptions } from '@slack/web-api';

/** The setting naming the `sym_secret` with the bot token (`xoxb-...`). */
export const BOT_TOKEN_SETTING = 'bot_token_secret';
/** The setting naming the `sym_secret` with the app's signing secret. */
export const SIGNING_SECRET_SETTING = 'signing_secret_secret';
/** The setting naming the `sym_secret` with the app-level token (`xapp-...`); set, it selects Socket Mode. */
export const APP_TOKEN_SETTING = 'app_token_secret';

/** A Slack integration that is misconfigured (missing setting, secret or source). */
export class SlackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackConfigError';
  }
}

/** Slack integrations found by team id across organizations, or within one. */
export interface SlackIntegrationDirectory {
  /** Every `slack` integration whose `external_id` is `teamId`, in any organization. */
  findByTeam(teamId: string): Promise<(EntityRecord & { orgId: string })[]>;
  /** Every `slack` integration of `orgId`. */
  listOfOrg(orgId: string): Promise<EntityRecord[]>;
  /** Every `slack` integration (bounded), for calls that name no team (URL verification). */
  all(): Promise<(EntityRecord & { orgId: string })[]>;
}

/** One organization's Slack workspace. */
export interface SlackWorkspace {
  orgId: string;
  integration: EntityRecord;
  teamId: string;
  /** `socket` when the integration names an app-level token (`settings.app_token_secret`), else `http`. */
  transport: 'http' | 'socket';
  signingSecret(): Promise<string>;
  /** The app-level token Socket Mode connects with. */
  appToken(): Promise<string>;
  client(): Promise<SlackClient>;
}

/** Finds workspaces and builds their clients. */
export interface SlackWorkspaces {
  forTeam(teamId: string): Promise<SlackWorkspace[]>;
  /** Every Slack workspace of every organization (bounded). */
  all(): Promise<SlackWorkspace[]>;
  /** The workspace of a flow: its environment's `integrations.slack_id`, else the organization's only `slack` integration. */
  forFlow(orgId: string, environmentId: string | null): Promise<SlackWorkspace | null>;
  /** Whether the organization has any `slack` integration (kept a few seconds). */
  hasAny(orgId: string): Promise<boolean>;
  /** A `slack` integration by id. */
  byId(orgId: string, integrationId: string): Promise<SlackWorkspace | null>;
  /** Drops cached secrets, clients and lookups (entities changed). */
  forget(): void;
}

const settingIn = (settings: unknown, key: string): string | undefined => {
  const value = typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value ? value : undefined;
};
const settingOf = (entity: EntityRecord, key: string): string | undefined => settingIn(entity.data.settings, key);

/** Whether `settings` of a `slack` integration name neither the bot token nor the signing secret: it uses the operator's app. */
export function usesOperatorApp(settings: unknown): boolean {
  return !settingIn(settings, BOT_TOKEN_SETTING) && !settingIn(settings, SIGNING_SECRET_SETTING);
}

const OPERATOR_VALUES = { [BOT_TOKEN_SETTING]: 'botToken', [SIGNING_SECRET_SETTING]: 'signingSecret', [APP_TOKEN_SETTING]: 'appToken' } as const;
const OPERATOR_ENV = { [BOT_TOKEN_SETTING]: 'SYM_SLACK_BOT_TOKEN', [SIGNING_SECRET_SETTING]: 'SYM_SLACK_SIGNING_SECRET', [APP_TOKEN_SETTING]: 'SYM_SLACK_APP_TOKEN' } as const;

/** Creates the finder over the directory, the entity reader and the secret reader. */
export function createSlackWorkspaces({
  directory,
  entities,
  secrets,
  apiUrl = DEFAULT_SLACK_API_URL,
  retries,
  cacheMs = 5_000,
  now = Date.now,
  operatorApp = {},
}: {
  directory: SlackIntegrationDirectory;
  entities: EntityReader;
  secrets: SecretReader;
  apiUrl?: string;
  retries?: RetryOptions;
  cacheMs?: number;
  now?: () => number;
  /** The operator's own app, for integrations that name no token secrets. */
  operatorApp?: OperatorSlackApp;
}): SlackWorkspaces {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const cached = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && now() - hit.at < cacheMs) return hit.value as Promise<T>;
    const value = make();
    cache.set(key, { at: now(), value });
    // A failure is not kept: the next call tries again.
    value.catch(() => cache.delete(key));
    return value;
  };

  const location = async (orgId: string, integration: EntityRecord, setting: string): Promise<SecretLocation> => {
    const name = integration.name ?? integration.id;
    const secretId = settingOf(integration, setting);
    if (!secretId) throw new SlackConfigError(`slack integration ${name}: settings.${setting} (the sym_secret id) is not set`);
    const secret = await entities.findById(orgId, 'secrets', secretId);
    if (!secret) throw new SlackConfigError(`slack integration ${name}: settings.${setting} names secret ${secretId}, which does not exist`);
    const sourceId = secret.data.source_id;
    const source = typeof sourceId === 'string' ? await entities.findById(orgId, 'secret-sources', sourceId) : null;
    if (!source) throw new SlackConfigError(`secret ${secretId}: its secret source does not exist`);
    const strings = (e: EntityRecord) => Object.fromEntries(Object.entries((e.data.settings as Record<string, unknown> | null) ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : null]));
    return {
      id: secret.id,
      path: String(secret.data.path),
      jsonKey: strings(secret).json_key ?? null,
      source: { id: source.id, type: String(source.type ?? source.data.type), settings: strings(source) },
    };
  };
  const readSetting = (orgId: string, integration: EntityRecord, setting: keyof typeof OPERATOR_VALUES): Promise<string> => {
    if (usesOperatorApp(integration.data.settings) && !settingOf(integration, setting)) {
      const value = operatorApp[OPERATOR_VALUES[setting]];
      if (!value) return Promise.reject(new SlackConfigError(`slack integration ${integration.name ?? integration.id} names no token secrets and the control plane has no ${OPERATOR_ENV[setting]}`));
      return Promise.resolve(value);
    }
    return cached(`secret:${integration.id}:${setting}`, async () => secrets.read(await location(orgId, integration, setting)));
  };
  const transportOf = (integration: EntityRecord): 'http' | 'socket' =>
    settingOf(integration, APP_TOKEN_SETTING) || (usesOperatorApp(integration.data.settings) && operatorApp.appToken) ? 'socket' : 'http';

  const workspace = (orgId: string, integration: EntityRecord): SlackWorkspace => ({
    orgId,
    integration,
    teamId: String(integration.data.external_id ?? ''),
    transport: transportOf(integration),
    signingSecret: () => readSetting(orgId, integration, SIGNING_SECRET_SETTING),
    appToken: () => readSetting(orgId, integration, APP_TOKEN_SETTING),
    client: () => cached(`client:${integration.id}`, async () => createSlackClient({ token: await readSetting(orgId, integration, BOT_TOKEN_SETTING), apiUrl, retries })),
  });

  const listOfOrg = (orgId: string) => cached(`org:${orgId}`, () => directory.listOfOrg(orgId));
  return {
    async forTeam(teamId) {
      const found = await cached(`team:${teamId}`, () => directory.findByTeam(teamId));
      return found.map((i) => workspace(i.orgId, i));
    },
    async all() {
      return (await directory.all()).map((i) => workspace(i.orgId, i));
    },
    async forFlow(orgId, environmentId) {
      if (environmentId) {
        // Every sync of a request asks: kept like the rest, dropped by `forget()` on entity changes.
        const environment = await cached(`environment:${orgId}:${environmentId}`, () => entities.findById(orgId, 'environments', environmentId));
        const integrations = environment?.data.integrations;
        const id = typeof integrations === 'object' && integrations !== null ? (integrations as Record<string, unknown>).slack_id : undefined;
        if (typeof id === 'string' && id) return this.byId(orgId, id);
      }
      const all = await listOfOrg(orgId);
      return all.length === 1 ? workspace(orgId, all[0]!) : null;
    },
    async hasAny(orgId) {
      return (await listOfOrg(orgId)).length > 0;
    },
    async byId(orgId, integrationId) {
      const integration = await cached(`integration:${orgId}:${integrationId}`, () => entities.findById(orgId, 'integrations', integrationId));
      return integration && integration.type === 'slack' ? workspace(orgId, integration) : null;
    },
    forget: () => cache.clear(),
  };
}
