/**
 * `onelogin` strategies (Sym's): OneLogin role membership through the OneLogin API v2, with plain
 * fetch (OneLogin publishes no maintained Node SDK for API v2). The integration's `external_id` is
 * the OneLogin domain (`acme.onelogin.com`), `settings.client_id` the API credential's client id
 * and `settings.client_secret` the id of the `sym_secret` holding its secret. Targets are
 * `onelogin_role` with `settings.role_id` and `settings.privilege_level` (`member`: the user gets
 * the role; `admin`: the user becomes an admin of the role), usually bound from a prompt field.
 */
import { strategyTargetTypes } from '@opensym/schemas';
import type { JsonValue } from '../../../sandbox';
import { StrategyError } from '../access-strategy';
import type { Env } from '../aws-client-config';
import { fetchVendorJson, type NativeVendor, requesterEmail, requiredSetting, storedIdentity, type TargetView, vendorError } from '../native-strategy';

const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const FORBIDDEN = 'the API credential may not manage roles: create it with the "Manage All" scope (Developers > API Credentials)';

/** `SYM_ONELOGIN_API_URL` (a test double) or `https://<external_id>`. */
export function oneloginBaseUrl(env: Env, externalId: string): string {
  const override = env.SYM_ONELOGIN_API_URL?.trim();
  if (override) return override.replace(/\/+$/, '');
  const host = externalId
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '');
  if (!HOST.test(host))
    throw new StrategyError(`the onelogin integration's external_id must be the OneLogin domain, such as acme.onelogin.com; got ${JSON.stringify(externalId.slice(0, 100))}`, false);
  return `https://${host}`;
}

/** One OneLogin call's answer, or a StrategyError saying what failed. */
async function call(url: string, init: RequestInit, what: string, notFound?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetchVendorJson('OneLogin', url, init, what, FORBIDDEN);
  const body = response.body;
  if (response.ok) return { status: response.status, body };
  const message = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : '';
  // X-RateLimit-Reset is the seconds left until the limit resets.
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  throw vendorError('OneLogin', {
    what,
    status: response.status,
    detail: message,
    forbidden: FORBIDDEN,
    notFound,
    ...(response.status === 429 && Number.isFinite(reset) && { retryAfterSeconds: reset }),
  });
}

function userIdOf(identity: JsonValue): number {
  const id = identity && typeof identity === 'object' && !Array.isArray(identity) ? identity.id : undefined;
  if (typeof id !== 'number') throw new StrategyError('the cached OneLogin identity has no id', false);
  return id;
}

function roleOf(target: TargetView): { roleId: string; list: 'users' | 'admins' } {
  const roleId = requiredSetting(target, 'role_id', 'the OneLogin role id');
  if (!/^\d+$/.test(roleId)) throw new StrategyError(`target ${target.name}: settings.role_id must be the role's numeric id; got ${JSON.stringify(roleId)}`, false);
  const level = target.settings.privilege_level?.trim() || 'member';
  if (level !== 'member' && level !== 'admin') throw new StrategyError(`target ${target.name}: settings.privilege_level must be member or admin; got ${JSON.stringify(level)}`, false);
  return { roleId, list: level === 'admin' ? 'admins' : 'users' };
}

/** The `onelogin` vendor: requester by their stored `onelogin` identity (email) or email, cached as `{ id, email }`. */
export const oneloginVendor: NativeVendor = {
  label: 'OneLogin',
  targetTypes: strategyTargetTypes.onelogin ?? [],
  identityService: 'onelogin',
  async connect(context) {
    const base = oneloginBaseUrl(context.env, context.externalId);
    const clientId = context.settings.client_id?.trim();
    if (!clientId) throw new StrategyError('the onelogin integration needs settings.client_id (the API credential client id)', false);
    const secret = await context.secret('client_secret');
    const token = await call(
      `${base}/auth/oauth2/v2/token`,
      { method: 'POST', headers: { authorization: `client_id:${clientId}, client_secret:${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) },
      `getting a OneLogin access token for client ${clientId}`,
    );
    const accessToken = (token.body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof accessToken !== 'string') throw new StrategyError('OneLogin answered the token request without an access_token', true);
    context.scrubber.add(accessToken);
    const headers = { authorization: `bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' };
    return {
      async identify(user) {
        const email = storedIdentity(user, 'onelogin') ?? requesterEmail(user);
        const found = await call(`${base}/api/2/users?email=${encodeURIComponent(email)}`, { headers }, `looking up OneLogin user ${email}`);
        const users = Array.isArray(found.body) ? (found.body as { id?: unknown; email?: unknown }[]) : [];
        const match = users.find((u) => typeof u.id === 'number' && typeof u.email === 'string' && u.email.toLowerCase() === email.toLowerCase());
        if (!match) throw new StrategyError(`no OneLogin user has the email ${email}: create the user in OneLogin, or set the user's onelogin identity to their OneLogin email`, false);
        return { id: match.id as number, email };
      },
      async grant(identity, target): Promise<JsonValue> {
        const userId = userIdOf(identity);
        const { roleId, list } = roleOf(target);
        // Adding a user already in the list answers 200 too.
        await call(
          `${base}/api/2/roles/${roleId}/${list}`,
          { method: 'POST', headers, body: JSON.stringify([userId]) },
          `adding OneLogin user ${userId} to role ${roleId} ${list}`,
          `OneLogin knows no role ${roleId}: check target ${target.name}'s settings.role_id`,
        );
        return { onelogin_role_id: roleId, onelogin_user_id: userId, as: list === 'admins' ? 'admin' : 'member', granted: true };
      },
      async revoke(identity, target): Promise<JsonValue> {
        const userId = userIdOf(identity);
        const { roleId, list } = roleOf(target);
        try {
          await call(`${base}/api/2/roles/${roleId}/${list}`, { method: 'DELETE', headers, body: JSON.stringify([userId]) }, `removing OneLogin user ${userId} from role ${roleId} ${list}`);
        } catch (error) {
          // The role (or the assignment) is gone: so is the access.
          if (error instanceof StrategyError && (error.details as { http_status?: number } | undefined)?.http_status === 404)
            return { onelogin_role_id: roleId, onelogin_user_id: userId, granted: false, already: true };
          throw error;
        }
        return { onelogin_role_id: roleId, onelogin_user_id: userId, granted: false };
      },
    };
  },
};
