/**
 * Native strategies (okta, github, google, ...): the control plane itself adds the requester to
 * the target's group (escalate) and removes them (deescalate) through the vendor's API, with the
 * credentials of the strategy's integration. This module holds what every vendor shares: loading
 * the integration and its secrets, checking the target's type, resolving and caching the
 * requester's identity in the vendor, and turning failures into StrategyErrors that say what to fix.
 */
import type { Logger } from 'pino';
import type { JsonValue, SymUser } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import { type AccessStrategyRunner, type StrategyInvocation, type StrategyOutcome, StrategyError } from './access-strategy';
import type { Env } from './aws-client-config';
import { type AwsCredentialResolver, roleSessionName, secretSourceCredentials } from './aws-role-credentials';
import type { IdentityCacheStore } from './identity-cache-store';
import { type EntityReader, loadSecret, settingsOf } from './integration-loader';
import type { SecretReader } from './secret-reader';
import { processScrubber, type SecretScrubber } from './secret-scrubber';

/** What a vendor needs to build a client for one integration. */
export interface VendorContext {
  integration: EntityRecord;
  /** The integration's `external_id` (Okta domain, GitHub organization, Google Workspace domain, ...). */
  externalId: string;
  /** The integration's settings (strings). */
  settings: Record<string, string | null>;
  env: Env;
  /** Reads the `sym_secret` whose id is in the integration setting `setting` (e.g. `api_token_secret`). */
  secret(setting: string): Promise<string>;
  scrubber: SecretScrubber;
  logger: Logger;
}

/** One requester's access to one target, through a client built for one invocation. */
export interface VendorSession {
  /** The requester's identity in the vendor; stored in the identity cache, so it must be JSON. */
  identify(user: SymUser): Promise<JsonValue>;
  /** Grants access; granting what is already granted succeeds. Returns the outcome's body. */
  grant(identity: JsonValue, target: TargetView): Promise<JsonValue>;
  /** Takes access back; taking back what is gone succeeds. Returns the outcome's body. */
  revoke(identity: JsonValue, target: TargetView): Promise<JsonValue>;
}

/** The target as a vendor sees it: its type and its settings (request-bound fields filled in). */
export interface TargetView {
  id: string;
  type: string;
  name: string;
  settings: Record<string, string | null>;
}

/** A vendor strategy type. */
export interface NativeVendor {
  /** Shown in messages, e.g. `Okta`. */
  label: string;
  /** The `sym_target` types this strategy can act on. */
  targetTypes: readonly string[];
  /** The key of `users.identities` naming the requester in this vendor (`okta`, `github`, ...). */
  identityService: string;
  connect(context: VendorContext): Promise<VendorSession>;
}

/** What native runners need from the registry. */
export interface NativeStrategyDeps {
  entities: EntityReader;
  identityCache: IdentityCacheStore;
  secrets: SecretReader;
  logger: Logger;
  env: Env;
  /** Signs Secrets Manager reads of the vendor credential as the environment's runtime role; without it, the control plane's own credentials. */
  credentials?: AwsCredentialResolver;
}

/** Marks a StrategyError caused by an identity the vendor no longer knows, so a cached one is looked up again. */
export const UNKNOWN_USER = 'unknown_user';

/** The runner for one native strategy entity of `vendor`. */
export function createNativeStrategyRunner(deps: NativeStrategyDeps, vendor: NativeVendor, strategy: EntityRecord): AccessStrategyRunner {
  const label = strategy.name ?? strategy.id;
  const run = async (invocation: StrategyInvocation): Promise<StrategyOutcome> => {
    const scrubber = processScrubber(deps.env);
    const what = `${vendor.label} strategy ${label} ${invocation.action}`;
    // Whether the granting call was started: from then on only a refusal proves nothing was granted.
    let granting = false;
    try {
      const target = targetView(invocation, vendor, label);
      const integration = await loadVendorIntegration(deps.entities, invocation.orgId, strategy, vendor);
      const context: VendorContext = {
        integration,
        externalId: String(integration.data.external_id ?? ''),
        settings: settingsOf(integration),
        env: deps.env,
        scrubber,
        logger: deps.logger.child({ orgId: invocation.orgId, requestId: invocation.requestId, strategyId: strategy.id }),
        secret: async (setting) => {
          const id = settingsOf(integration)[setting];
          if (!id) throw new StrategyError(`integration ${integration.name ?? integration.id}: settings.${setting} must name the sym_secret holding the ${vendor.label} credential`, false);
          const location = await loadSecret(deps.entities, invocation.orgId, id, integration.name ?? integration.id);
          // A Secrets Manager read is an AWS call of the flow's environment: signed as its runtime role.
          const environmentId = invocation.event.flow?.environment_id;
          const scope = { orgId: invocation.orgId, environmentId: typeof environmentId === 'string' ? environmentId : null, sessionName: roleSessionName(invocation.requestId) };
          const credentials = deps.credentials ? await secretSourceCredentials(deps.credentials, deps.entities, scope, location.source) : undefined;
          const value = await deps.secrets.read(location, credentials);
          scrubber.add(value);
          return value;
        },
      };
      const session = await vendor.connect(context);
      const user = await withMappedIdentity(invocation, vendor.identityService, context.externalId);
      const userId = typeof user.id === 'string' ? user.id : undefined;
      // What the identity was looked up by; a cached identity found by something else (the user's
      // stored identity or email changed since) is looked up again.
      const lookedUpAs = storedIdentity(user, vendor.identityService) ?? (typeof user.email === 'string' ? user.email : '');
      const row = userId ? await deps.identityCache.get(userId, integration.id) : undefined;
      const cached = row && typeof row === 'object' && !Array.isArray(row) && row.looked_up_as === lookedUpAs ? row : undefined;
      const identify = async () => {
        const found = await session.identify(user);
        const identity = found && typeof found === 'object' && !Array.isArray(found) ? { ...found, looked_up_as: lookedUpAs } : found;
        if (userId) await deps.identityCache.set(userId, integration.id, identity);
        return identity;
      };
      const act = (identity: JsonValue) => (invocation.action === 'escalate' ? session.grant(identity, target) : session.revoke(identity, target));
      let body: JsonValue;
      const identity = cached ?? (await identify());
      granting = invocation.action === 'escalate';
      try {
        body = await act(identity);
      } catch (error) {
        // A cached identity the vendor no longer knows (user renamed or re-created): look it up once more.
        if (cached === undefined || !(error instanceof StrategyError) || (error.details as { reason?: string } | undefined)?.reason !== UNKNOWN_USER) throw error;
        body = await act(await identify());
      }
      return { body };
    } catch (error) {
      if (error instanceof StrategyError) {
        const notApplied = invocation.action === 'escalate' && !error.retryable && (!granting || error.notApplied || isRefusal(error));
        throw new StrategyError(scrubber.scrub(`${what} failed: ${error.message}`), error.retryable, error.details, notApplied);
      }
      throw new StrategyError(scrubber.scrub(`${what} failed: ${error instanceof Error ? error.message : String(error)}`), true);
    }
  };
  return { escalate: run, deescalate: run };
}

/**
 * The requester, with the flow's `get_identity` answer as their `identities.<service>` when they
 * have none stored (Sym runs the reducer exactly then); the vendor then resolves it as it would a
 * stored identity. A reducer returning nothing leaves the email lookup.
 */
export async function withMappedIdentity(invocation: Pick<StrategyInvocation, 'event' | 'identityFor'>, service: string, externalId: string): Promise<SymUser> {
  const user = invocation.event.user;
  if (!invocation.identityFor || storedIdentity(user, service)) return user;
  const mapped = await invocation.identityFor(service, externalId);
  return mapped ? { ...user, identities: { ...user.identities, [service]: mapped } } : user;
}

/** The request's target, checked against the vendor's target types, with request-bound settings filled in. */
function targetView(invocation: StrategyInvocation, vendor: NativeVendor, label: string): TargetView {
  const target = invocation.target;
  if (!target) throw new StrategyError(`${vendor.label} strategies act on a target; strategy ${label} has none for this request`, false);
  const type = String(target.type ?? target.data.type ?? '');
  if (!vendor.targetTypes.includes(type)) {
    throw new StrategyError(`target ${target.name ?? target.id} has type ${JSON.stringify(type)}; ${vendor.label} strategies act on ${vendor.targetTypes.join(', ')} targets`, false);
  }
  const settings = settingsOf(target);
  // Settings named in `field_bindings` arrive filled from the request's fields (see request-target.ts).
  const bound = invocation.event.payload.fields.target;
  if (bound && typeof bound === 'object' && !Array.isArray(bound) && bound.id === target.id && bound.settings && typeof bound.settings === 'object' && !Array.isArray(bound.settings)) {
    for (const [k, v] of Object.entries(bound.settings)) if (typeof v === 'string') settings[k] = v;
  }
  return { id: target.id, type, name: target.name ?? target.id, settings };
}

async function loadVendorIntegration(entities: EntityReader, orgId: string, strategy: EntityRecord, vendor: NativeVendor): Promise<EntityRecord> {
  const id = strategy.data.integration_id;
  if (typeof id !== 'string' || !id) throw new StrategyError(`${vendor.label} strategies need integration_id (the ${vendor.label} integration holding the credentials)`, false);
  const integration = await entities.findById(orgId, 'integrations', id);
  if (!integration) throw new StrategyError(`integration ${id} does not exist`, false);
  return integration;
}

/** A required target setting, or a non-retryable error naming it. */
export function requiredSetting(target: TargetView, key: string, meaning: string): string {
  const value = target.settings[key]?.trim();
  if (!value) throw new StrategyError(`target ${target.name} (${target.type}) has no settings.${key} (${meaning})`, false);
  return value;
}

/** The requester's stored identity for `service` (`users.identities`), if it is a non-empty string. */
export function storedIdentity(user: SymUser, ...services: string[]): string | undefined {
  for (const service of services) {
    const value = user.identities?.[service];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

/** The requester's email, or a non-retryable error. */
export function requesterEmail(user: SymUser): string {
  if (typeof user.email !== 'string' || !user.email) throw new StrategyError('the requester has no email to look up', false);
  return user.email;
}

/** A vendor's HTTP answer, with its body parsed as JSON (undefined when empty or not JSON). */
export interface VendorResponse {
  ok: boolean;
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * One call to a vendor's JSON API (30 s timeout) for vendors reached with plain fetch; a network
 * error becomes a retried vendorError. The answer's status is left to the caller, which knows how
 * the vendor words its errors.
 */
export async function fetchVendorJson(vendor: string, url: string, init: RequestInit, what: string, forbidden: string): Promise<VendorResponse> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw vendorError(vendor, { what, status: undefined, detail: error instanceof Error ? error.message : String(error), forbidden });
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { ok: response.ok, status: response.status, headers: response.headers, body };
}

/** The fix to suggest for an HTTP status a vendor answered with. */
export interface VendorFailure {
  /** What was being done, e.g. `adding alice@example.com to Okta group 00g1`. */
  what: string;
  status: number | undefined;
  /** The vendor's own error text (code and summary), already free of secrets. */
  detail: string;
  /** What a 403 means for this vendor: the permission or scope the credential lacks. */
  forbidden: string;
  /** What a 404 means here (unknown group, unknown user, ...); null when 404 is handled by the caller. */
  notFound?: string;
  /** Marks a 404 as "the requester is unknown", so a cached identity is looked up again. */
  notFoundIsUser?: boolean;
  /** Seconds the vendor asked to wait (Retry-After or its own rate-limit reset), shown in the message. */
  retryAfterSeconds?: number;
}

/**
 * The vendor refused the call (4xx other than 408 and 429), so it changed nothing. A 5xx, a timeout
 * or a network error may come after the change landed, so it never counts as a refusal.
 */
function isRefusal(error: StrategyError): boolean {
  const status = (error.details as { http_status?: unknown } | undefined)?.http_status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** A StrategyError for a failed vendor call: 429, 5xx and network errors are retried; the rest say what to fix. */
export function vendorError(vendor: string, f: VendorFailure): StrategyError {
  const status = f.status;
  const details = { vendor, ...(status !== undefined && { http_status: status }), ...(f.retryAfterSeconds !== undefined && { retry_after_seconds: f.retryAfterSeconds }) };
  const base = `${f.what}: ${vendor} answered ${status === undefined ? 'nothing (network error)' : `HTTP ${status}`}${f.detail ? ` (${f.detail})` : ''}`;
  if (status === undefined) return new StrategyError(base, true, details);
  if (status === 429) return new StrategyError(`${base}; rate limited${f.retryAfterSeconds !== undefined ? `, retry after ${f.retryAfterSeconds} s` : ''}: will retry`, true, details);
  if (status >= 500) return new StrategyError(`${base}; will retry`, true, details);
  if (status === 401) return new StrategyError(`${base}; the ${vendor} credential was refused (invalid, expired or revoked): replace the secret the integration names`, false, details);
  if (status === 403) return new StrategyError(`${base}; missing permission: ${f.forbidden}`, false, { ...details, reason: 'forbidden' });
  if (status === 404 && f.notFound) return new StrategyError(`${base}; ${f.notFound}`, false, { ...details, ...(f.notFoundIsUser && { reason: UNKNOWN_USER }) });
  if (status === 408) return new StrategyError(`${base}; will retry`, true, details);
  return new StrategyError(base, false, details);
}
