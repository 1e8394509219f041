/**
 * Whose credentials the control plane's AWS calls use. An environment whose `sym_runtime` has a
 * `context_id` (a `permission_context` integration with `settings.role_arn`) gets that role,
 * assumed with STS `AssumeRole` from the control plane's own credentials (the default chain); a
 * strategy's or secret source's permission context is assumed on top of it (role chaining), as
 * Sym's runtime connector assumes its SSO and IAM connector roles. Without a runtime role, the
 * default chain. Credentials are cached per role and session until five minutes before they expire.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LRUCache } from 'lru-cache';
import { StrategyError } from './access-strategy';
import { awsClientConfig, type AwsCredentials, type Env } from './aws-client-config';
import { strategyErrorFromAws } from './aws-error';
import type { EntityRecord } from '../../shared/entity-record';
import { type EntityReader, settingsOf } from './integration-loader';
import { processScrubber } from './secret-scrubber';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Credentials are refreshed this long before AWS says they expire, so no call signs with stale ones. */
export const CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60_000;

/** Where an AWS call happens: the organization, the flow's environment and a session name (naming the request). */
export interface AwsCallScope {
  orgId: string;
  environmentId: string | null;
  /** `RoleSessionName`: what the customer's CloudTrail shows, e.g. `opensym-<request id>`. */
  sessionName: string;
}

/** Credentials for AWS clients and who they belong to (for error messages). */
export interface AwsPrincipal {
  /** Undefined: the control plane's own credentials (the SDK's default chain or AWS_* variables). */
  credentials: AwsCredentials | undefined;
  /** The assumed role's ARN, or a phrase naming the control plane's own credentials. */
  principal: string;
}

/** What calls without an assumed role are signed as, in messages. */
export const OWN_CREDENTIALS = "the control plane's own AWS credentials (no runtime role for this environment)";

/** Resolves the credentials AWS calls of an environment use. */
export interface AwsCredentialResolver {
  /** The environment's runtime role, assumed; the control plane's own credentials when the environment has no runtime context. */
  runtime(scope: AwsCallScope): Promise<AwsPrincipal>;
  /**
   * `integration`'s role (its `settings.role_arn`, with `settings.external_id`) assumed with the
   * runtime's credentials; the runtime's when the integration is null, has no role, or is the
   * runtime's own context (not assumed twice).
   */
  forIntegration(scope: AwsCallScope, integration: EntityRecord | null): Promise<AwsPrincipal>;
}

/** A valid `RoleSessionName` (2-64 of `[\w+=,.@-]`) from a request id or purpose. */
export function roleSessionName(what: string): string {
  return `opensym-${what}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

interface Cached {
  credentials: AwsCredentials;
  /** Epoch ms after which the entry must not be used. */
  usableUntil: number;
}

/** Builds the resolver; `now` is for tests of the expiry margin. */
export function createAwsCredentialResolver({ entities, env, now = Date.now }: { entities: EntityReader; env: Env; now?: () => number }): AwsCredentialResolver {
  const scrubber = processScrubber(env);
  const cache = new LRUCache<string, Promise<Cached>>({ max: 1000 });
  const stsClients = new Map<string, STSClient>();

  const stsClient = (region: string | null, base: AwsCredentials | undefined) => {
    const key = JSON.stringify([region, base?.accessKeyId ?? null, base?.sessionToken ?? null]);
    let client = stsClients.get(key);
    if (!client) {
      // Old session credentials are never reused once refreshed; keep the map small.
      if (stsClients.size > 100) stsClients.clear();
      stsClients.set(key, (client = new STSClient(awsClientConfig(env, 'STS', region, base))));
    }
    return client;
  };

  const assume = async (integration: EntityRecord, base: AwsCredentials | undefined, sessionName: string, what: string): Promise<AwsCredentials> => {
    const settings = settingsOf(integration);
    const label = integration.name ?? integration.id;
    const roleArn = settings.role_arn;
    if (!roleArn) throw new StrategyError(`${what}: integration ${label} (${integration.type}) has no settings.role_arn to assume`, false);
    const externalId = settings.external_id ?? undefined;
    const key = JSON.stringify([base?.accessKeyId ?? null, roleArn, externalId ?? null, sessionName]);
    const hit = cache.get(key);
    if (hit) {
      const entry = await hit.catch(() => undefined);
      if (entry && entry.usableUntil > now()) return entry.credentials;
      if (cache.get(key) === hit) cache.delete(key);
    }
    const pending = (async (): Promise<Cached> => {
      let output;
      try {
        output = await stsClient(settings.region ?? null, base).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, ...(externalId && { ExternalId: externalId }) }));
      } catch (error) {
        const failure = strategyErrorFromAws(error, `${what}: assuming ${roleArn} (integration ${label})`, scrubber);
        const hint = failure.message.includes('AccessDenied') ? `; the role's trust policy must allow the control plane's principal${externalId ? ' with this external id' : ''}` : '';
        throw new StrategyError(failure.message + hint, failure.retryable, failure.details);
      }
      const c = output.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new StrategyError(`${what}: STS returned no credentials for ${roleArn}`, true);
      const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken && { sessionToken: c.SessionToken }) };
      const expires = c.Expiration ? new Date(c.Expiration).getTime() : now() + 15 * 60_000;
      return { credentials, usableUntil: expires - CREDENTIAL_REFRESH_MARGIN_MS };
    })();
    cache.set(key, pending);
    try {
      return (await pending).credentials;
    } catch (error) {
      if (cache.get(key) === pending) cache.delete(key);
      throw error;
    }
  };

  /** environment → runtime → context integration; null when any link is unset. */
  const runtimeContext = async (orgId: string, environmentId: string | null): Promise<EntityRecord | null> => {
    // Entity ids are UUIDs; anything else names no environment (and must not reach a uuid column).
    if (!environmentId || !UUID.test(environmentId)) return null;
    const environment = await entities.findById(orgId, 'environments', environmentId);
    const runtimeId = environment?.data.runtime_id;
    if (typeof runtimeId !== 'string' || !runtimeId) return null;
    const runtime = await entities.findById(orgId, 'runtimes', runtimeId);
    const contextId = runtime?.data.context_id;
    if (typeof contextId !== 'string' || !contextId) return null;
    const context = await entities.findById(orgId, 'integrations', contextId);
    if (!context) throw new StrategyError(`runtime ${runtime?.name ?? runtimeId}: its context integration ${contextId} does not exist`, false);
    return context;
  };

  /** The runtime principal and the context integration it came from (null: the control plane's own). */
  const runtimeWithContext = async (scope: AwsCallScope): Promise<AwsPrincipal & { contextId: string | null }> => {
    const context = await runtimeContext(scope.orgId, scope.environmentId);
    if (!context) return { credentials: undefined, principal: OWN_CREDENTIALS, contextId: null };
    return { credentials: await assume(context, undefined, scope.sessionName, 'runtime role'), principal: settingsOf(context).role_arn ?? '', contextId: context.id };
  };

  return {
    async runtime(scope) {
      const { credentials, principal } = await runtimeWithContext(scope);
      return { credentials, principal };
    },
    async forIntegration(scope, integration) {
      const { credentials, principal, contextId } = await runtimeWithContext(scope);
      const roleArn = integration ? settingsOf(integration).role_arn : null;
      // The runtime's own context named again (Sym's examples point strategies at it): already assumed,
      // and chaining a role onto itself would need it to trust itself.
      if (!integration || !roleArn || integration.id === contextId) return { credentials, principal };
      return { credentials: await assume(integration, credentials, scope.sessionName, 'permission context'), principal: roleArn };
    },
  };
}

/**
 * Credentials for reading a secret of an `aws_secrets_manager` source: its `settings.context_id`
 * (a permission context) assumed on top of the runtime role, else the runtime role; undefined for
 * other source types.
 */
export async function secretSourceCredentials(
  resolver: AwsCredentialResolver,
  entities: EntityReader,
  scope: AwsCallScope,
  source: { id: string; type: string; settings: Record<string, string | null> },
): Promise<AwsCredentials | undefined> {
  if (source.type !== 'aws_secrets_manager') return undefined;
  const contextId = source.settings.context_id;
  if (!contextId) return (await resolver.runtime(scope)).credentials;
  const context = await entities.findById(scope.orgId, 'integrations', contextId);
  if (!context) throw new StrategyError(`secret source ${source.id}: its context_id ${contextId} is not an integration of this organization`, false);
  return (await resolver.forIntegration(scope, context)).credentials;
}
