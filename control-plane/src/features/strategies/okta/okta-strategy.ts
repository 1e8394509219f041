/**
 * `okta` strategies: group membership through the Okta Management API with
 * `@okta/okta-sdk-nodejs`. The integration's `external_id` is the Okta domain
 * (`dev-12345.okta.com`) and `settings.api_token_secret` names the `sym_secret` holding an API
 * token (SSWS) of an administrator who may manage the groups' members. Targets are `okta_group`
 * with `settings.group_id`.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import { strategyTargetTypes } from '@opensym/schemas';
import type { JsonValue } from '../../../sandbox';
import { StrategyError } from '../access-strategy';
import type { Env } from '../aws-client-config';
import { type NativeVendor, requesterEmail, requiredSetting, storedIdentity, vendorError, type VendorContext } from '../native-strategy';

/** Okta's domain names: a host name, no scheme, port or path. */
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** What an Okta call failed with: the SDK's OktaApiError (JSON error body), HttpError, or a network error. */
interface OktaErrorShape {
  status?: number | string;
  errorCode?: string;
  errorSummary?: string;
  headers?: { get(name: string): string | null };
  message?: string;
}

/**
 * The org URL: the operator's `SYM_OKTA_API_URL` when set (a proxy, or a test double), else
 * `https://<external_id>`. The integration may not point the control plane at any other host.
 */
export function oktaOrgUrl(env: Env, externalId: string): string {
  const override = env.SYM_OKTA_API_URL?.trim();
  if (override) return override.replace(/\/+$/, '');
  const host = externalId
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '');
  if (!HOST.test(host)) throw new StrategyError(`the okta integration's external_id must be the Okta domain, such as dev-12345.okta.com; got ${JSON.stringify(externalId.slice(0, 100))}`, false);
  return `https://${host}`;
}

/** An Okta client for one integration: no retries (the job queue retries) and no response cache (memberships change). */
export async function oktaClient(context: VendorContext): Promise<Client> {
  const token = await context.secret('api_token_secret');
  // Loaded on first use: the SDK adds about 26 MB to the heap, which every major GC would mark.
  const { Client, DefaultRequestExecutor } = await import('@okta/okta-sdk-nodejs');
  return new Client({
    orgUrl: oktaOrgUrl(context.env, context.externalId),
    token,
    // A hung Okta must not hold the job: each request gives up after 30 s (a retryable network error).
    requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 30_000 }),
    cacheMiddleware: null,
  });
}

/** An Okta failure as a StrategyError; `what` says which call. */
export function oktaError(error: unknown, what: string, notFound?: string): StrategyError {
  if (error instanceof StrategyError) return error;
  const e = (error ?? {}) as OktaErrorShape;
  const status = typeof e.status === 'number' ? e.status : typeof e.status === 'string' && /^\d+$/.test(e.status) ? Number(e.status) : undefined;
  const reset = Number(e.headers?.get('x-rate-limit-reset'));
  const detail = e.errorCode ? `${e.errorCode}: ${e.errorSummary ?? ''}` : status === undefined ? (e.message ?? String(error)) : '';
  return vendorError('Okta', {
    what,
    status,
    detail,
    forbidden:
      "the API token's administrator may not change this group's members (give it the Group Membership Administrator role, or Super Administrator, for the group; APP_GROUP memberships are managed by their application and cannot be changed)",
    notFound,
    notFoundIsUser: /\(User\)/.test(e.errorSummary ?? ''),
    ...(status === 429 && Number.isFinite(reset) && { retryAfterSeconds: Math.max(0, Math.ceil(reset - Date.now() / 1000)) }),
  });
}

/** The `okta` vendor: requester looked up by their stored `okta` identity or email, cached as `{ id, login }`. */
export const oktaVendor: NativeVendor = {
  label: 'Okta',
  targetTypes: strategyTargetTypes.okta ?? [],
  identityService: 'okta',
  async connect(context) {
    const client = await oktaClient(context);
    const userIdOf = (identity: JsonValue) => {
      const id = identity && typeof identity === 'object' && !Array.isArray(identity) ? identity.id : undefined;
      if (typeof id !== 'string') throw new StrategyError('the cached Okta identity has no id', false);
      return id;
    };
    return {
      async identify(user) {
        const login = storedIdentity(user, 'okta') ?? requesterEmail(user);
        try {
          const found = await client.userApi.getUser({ userId: login });
          return { id: String(found.id), login: String(found.profile?.login ?? login) };
        } catch (error) {
          throw oktaError(error, `looking up Okta user ${login}`, `no Okta user has the login ${login}: create the user in Okta, or set the user's okta identity to their Okta login`);
        }
      },
      async grant(identity, target) {
        const groupId = requiredSetting(target, 'group_id', 'the Okta group id, 00g...');
        const userId = userIdOf(identity);
        try {
          // PUT is idempotent in Okta: adding a member again answers 204 too.
          await client.groupApi.assignUserToGroup({ groupId, userId });
        } catch (error) {
          throw oktaError(error, `adding Okta user ${userId} to group ${groupId}`, `Okta knows no group ${groupId} or user ${userId}: check target ${target.name}'s settings.group_id`);
        }
        return { okta_group_id: groupId, okta_user_id: userId, member: true };
      },
      async revoke(identity, target): Promise<JsonValue> {
        const groupId = requiredSetting(target, 'group_id', 'the Okta group id, 00g...');
        const userId = userIdOf(identity);
        try {
          await client.groupApi.unassignUserFromGroup({ groupId, userId });
        } catch (error) {
          const failure = oktaError(error, `removing Okta user ${userId} from group ${groupId}`);
          // The group or the user is gone: so is the membership.
          if ((failure.details as { http_status?: number } | undefined)?.http_status === 404) return { okta_group_id: groupId, okta_user_id: userId, member: false, already: true };
          throw failure;
        }
        return { okta_group_id: groupId, okta_user_id: userId, member: false };
      },
    };
  },
};
