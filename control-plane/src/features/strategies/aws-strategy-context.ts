/**
 * What a native AWS strategy (`aws_sso`, `aws_iam`) needs for one invocation: its settings (the
 * strategy's, then its integration's), the credentials of the environment's runtime role chained
 * with the integration's permission context, and the labels its errors use.
 */
import type { Logger } from 'pino';
import { StrategyError, type StrategyInvocation } from './access-strategy';
import type { AwsCredentials, Env } from './aws-client-config';
import { type AwsCredentialResolver, roleSessionName } from './aws-role-credentials';
import type { EntityRecord } from '../../shared/entity-record';
import type { IdentityCacheStore } from './identity-cache-store';
import { type EntityReader, settingsOf } from './integration-loader';
import { processScrubber, type SecretScrubber } from './secret-scrubber';

/** Dependencies shared by the native AWS runners. */
export interface AwsStrategyDeps {
  entities: EntityReader;
  identityCache: IdentityCacheStore;
  credentials: AwsCredentialResolver;
  env: Env;
  logger: Logger;
}

/** One invocation's AWS context. */
export interface AwsStrategyContext {
  /** A setting of the strategy, else of its integration. */
  setting(key: string): string | undefined;
  credentials: AwsCredentials | undefined;
  principal: string;
  region: string | null;
  /** Identity-cache key: the integration's id, else the strategy's. */
  cacheKey: string;
  /** The integration's `external_id` (the account), as `get_identity` receives it; empty without one. */
  externalId: string;
  /** `aws_sso strategy <name> escalate`. */
  what: string;
  scrubber: SecretScrubber;
  /** The chosen target, which these strategies always have. */
  target: EntityRecord;
}

/** Loads the context, refusing (not retryable) an invocation without a target. */
export async function loadAwsStrategyContext(deps: AwsStrategyDeps, strategy: EntityRecord, invocation: StrategyInvocation): Promise<AwsStrategyContext> {
  const what = `${strategy.type} strategy ${strategy.name ?? strategy.id} ${invocation.action}`;
  const target = invocation.target;
  if (!target) throw new StrategyError(`${what}: the request has no target; ${strategy.type} strategies grant access to one of their targets`, false);
  const integrationId = strategy.data.integration_id;
  const integration = typeof integrationId === 'string' && integrationId ? await deps.entities.findById(invocation.orgId, 'integrations', integrationId) : null;
  if (typeof integrationId === 'string' && integrationId && !integration) throw new StrategyError(`${what}: integration ${integrationId} does not exist`, false);
  const own = settingsOf(strategy);
  const shared = settingsOf(integration);
  const setting = (key: string) => own[key] || shared[key] || undefined;
  const environmentId = invocation.event.flow?.environment_id;
  const { credentials, principal } = await deps.credentials.forIntegration(
    { orgId: invocation.orgId, environmentId: typeof environmentId === 'string' ? environmentId : null, sessionName: roleSessionName(invocation.requestId) },
    integration,
  );
  return {
    setting,
    credentials,
    principal,
    region: setting('region') ?? null,
    cacheKey: integration?.id ?? strategy.id,
    externalId: typeof integration?.data.external_id === 'string' ? integration.data.external_id : '',
    what,
    scrubber: processScrubber(deps.env),
    target,
  };
}

/** A target setting the strategy cannot work without (the API checks them too; old entities may lack them). */
export function requiredTargetSetting(ctx: AwsStrategyContext, key: string): string {
  const value = settingsOf(ctx.target)[key];
  if (!value) throw new StrategyError(`${ctx.what}: target ${ctx.target.name ?? ctx.target.id} (${ctx.target.type}) has no settings.${key}`, false);
  return value;
}
