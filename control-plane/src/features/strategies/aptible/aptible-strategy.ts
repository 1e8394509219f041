/**
 * `aptible` strategies (Sym's): Aptible role membership through Aptible's auth API
 * (`https://auth.aptible.com`, HAL+JSON), with plain fetch: Aptible publishes no maintained Node
 * SDK (its clients are the Ruby gems behind the CLI and the dashboard's own code). As in Sym's
 * example, the integration's `external_id` is the Aptible organization id and
 * `settings.username_secret` / `settings.password_secret` name the `sym_secret`s holding a bot
 * user's email and password; the bot needs Role Admin on the roles it grants. Targets are
 * `aptible_role` with `settings.role_id`.
 *
 * Token: `POST /tokens` (`grant_type=password`, `scope=manage`). Identity: the organization's
 * users (`GET /organizations/{id}/users`), matched by email. Grant: the role's memberships
 * (`GET /roles/{id}/memberships`); when the user has none, `POST /roles/{id}/memberships` with
 * `{user_url}`. Revoke: `DELETE /memberships/{id}` of the user's membership (none, or 404: gone).
 */
import { strategyTargetTypes } from '@opensym/schemas';
import type { JsonValue } from '../../../sandbox';
import { StrategyError } from '../access-strategy';
import type { Env } from '../aws-client-config';
import { fetchVendorJson, type NativeVendor, requesterEmail, requiredSetting, storedIdentity, type TargetView, vendorError } from '../native-strategy';

const FORBIDDEN = 'the Aptible bot user must be a Role Admin of the role (Aptible dashboard: Settings > Roles > the role > Members, or an Account Owner)';
/** Pages followed at most, so a misbehaving `next` link cannot loop forever. */
const MAX_PAGES = 100;

/** `SYM_APTIBLE_API_URL` (a test double) or Aptible's auth API. */
export function aptibleBaseUrl(env: Env): string {
  return (env.SYM_APTIBLE_API_URL?.trim() || 'https://auth.aptible.com').replace(/\/+$/, '');
}

interface HalLink {
  href?: unknown;
}
interface HalPage {
  _embedded?: Record<string, unknown>;
  _links?: { next?: HalLink };
}

/** One Aptible call's answer, or a StrategyError saying what failed. */
async function call(url: string, init: RequestInit, what: string, notFound?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetchVendorJson('Aptible', url, init, what, FORBIDDEN);
  const body = response.body;
  if (response.ok) return { status: response.status, body };
  // Aptible's errors: `{"code": 401, "error": "invalid_credentials", "message": "..."}`.
  const fields = body && typeof body === 'object' ? (body as { error?: unknown; message?: unknown }) : {};
  const detail = [fields.error, fields.message].filter((v) => typeof v === 'string' && v).join(': ');
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.status === 401 && fields.error === 'otp_token_required')
    throw new StrategyError(`${what}: Aptible asks the bot user for a second factor (otp_token_required): use a bot user without 2FA for the integration`, false, {
      vendor: 'Aptible',
      http_status: 401,
    });
  throw vendorError('Aptible', {
    what,
    status: response.status,
    detail,
    forbidden: FORBIDDEN,
    notFound,
    ...(response.status === 429 && Number.isFinite(retryAfter) && response.headers.get('retry-after') !== null && { retryAfterSeconds: retryAfter }),
  });
}

/** Every item of a HAL collection, following `_links.next` (Aptible pages its collections). */
async function collect(url: string, headers: Record<string, string>, key: string, what: string, notFound?: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const { body } = await call(next, { headers }, what, notFound);
    const hal = (body ?? {}) as HalPage;
    const list = hal._embedded?.[key];
    if (Array.isArray(list)) items.push(...list.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object'));
    const href = hal._links?.next?.href;
    next = typeof href === 'string' && href ? new URL(href, url).toString() : undefined;
  }
  return items;
}

const linkOf = (item: Record<string, unknown>, rel: string): string | undefined => {
  const href = ((item._links as Record<string, HalLink> | undefined)?.[rel] as HalLink | undefined)?.href;
  return typeof href === 'string' ? href : undefined;
};

/** The last path segment of a link: Aptible's ids (`.../users/<id>`). */
const idOfLink = (href: string | undefined) => href?.replace(/\/+$/, '').split('/').pop();

function identityOf(identity: JsonValue): { id: string; href: string } {
  const o = identity && typeof identity === 'object' && !Array.isArray(identity) ? identity : {};
  if (typeof o.id !== 'string' || typeof o.href !== 'string') throw new StrategyError('the cached Aptible identity has no id', false);
  return { id: o.id, href: o.href };
}

function roleIdOf(target: TargetView): string {
  const roleId = requiredSetting(target, 'role_id', 'the Aptible role id');
  if (!/^[A-Za-z0-9-]+$/.test(roleId)) throw new StrategyError(`target ${target.name}: settings.role_id must be the Aptible role id (a UUID); got ${JSON.stringify(roleId.slice(0, 100))}`, false);
  return roleId.toLowerCase();
}

/** The `aptible` vendor: requester by their stored `aptible` identity (email) or email, cached as `{ id, href, email }`. */
export const aptibleVendor: NativeVendor = {
  label: 'Aptible',
  targetTypes: strategyTargetTypes.aptible ?? [],
  identityService: 'aptible',
  async connect(context) {
    const base = aptibleBaseUrl(context.env);
    const organization = context.externalId.trim();
    if (!/^[A-Za-z0-9-]+$/.test(organization))
      throw new StrategyError(`the aptible integration's external_id must be the Aptible organization id (a UUID); got ${JSON.stringify(organization.slice(0, 100))}`, false);
    const username = await context.secret('username_secret');
    const password = await context.secret('password_secret');
    const token = await call(
      `${base}/tokens`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/hal+json' },
        // A short-lived token: one is taken per step.
        body: JSON.stringify({ grant_type: 'password', username, password, scope: 'manage', expires_in: 1800 }),
      },
      `signing in to Aptible as the bot user`,
    );
    const accessToken = (token.body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof accessToken !== 'string' || !accessToken) throw new StrategyError('Aptible answered the token request without an access_token', true);
    context.scrubber.add(accessToken);
    const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/hal+json', 'content-type': 'application/json' };
    const memberships = (roleId: string, target: TargetView) =>
      collect(
        `${base}/roles/${roleId}/memberships`,
        headers,
        'memberships',
        `listing the members of Aptible role ${roleId}`,
        `Aptible knows no role ${roleId}: check target ${target.name}'s settings.role_id`,
      );
    const membershipOf = async (roleId: string, target: TargetView, userId: string) =>
      (await memberships(roleId, target)).find((m) => idOfLink(linkOf(m, 'user'))?.toLowerCase() === userId.toLowerCase());
    return {
      async identify(user) {
        const email = storedIdentity(user, 'aptible') ?? requesterEmail(user);
        const users = await collect(
          `${base}/organizations/${organization}/users`,
          headers,
          'users',
          `looking up Aptible user ${email}`,
          `Aptible knows no organization ${organization}: check the aptible integration's external_id`,
        );
        const match = users.find((u) => typeof u.email === 'string' && u.email.toLowerCase() === email.toLowerCase());
        if (!match)
          throw new StrategyError(
            `no member of the Aptible organization has the email ${email}: invite the user to the organization, or set the user's aptible identity to their Aptible email`,
            false,
          );
        const id = String(match.id ?? idOfLink(linkOf(match, 'self')) ?? '');
        if (!id) throw new StrategyError(`Aptible answered user ${email} without an id`, true);
        return { id, href: linkOf(match, 'self') ?? `${base}/users/${id}`, email };
      },
      async grant(identity, target): Promise<JsonValue> {
        const user = identityOf(identity);
        const roleId = roleIdOf(target);
        const existing = await membershipOf(roleId, target, user.id);
        if (existing) return { aptible_role_id: roleId, aptible_user_id: user.id, membership_id: String(existing.id), granted: true, already: true };
        const created = await call(
          `${base}/roles/${roleId}/memberships`,
          { method: 'POST', headers, body: JSON.stringify({ user_url: user.href }) },
          `adding Aptible user ${user.id} to role ${roleId}`,
          `Aptible knows no role ${roleId}: check target ${target.name}'s settings.role_id`,
        );
        const membershipId = (created.body as { id?: unknown } | undefined)?.id;
        return { aptible_role_id: roleId, aptible_user_id: user.id, ...(membershipId !== undefined && { membership_id: String(membershipId) }), granted: true };
      },
      async revoke(identity, target): Promise<JsonValue> {
        const user = identityOf(identity);
        const roleId = roleIdOf(target);
        let membership: Record<string, unknown> | undefined;
        try {
          membership = await membershipOf(roleId, target, user.id);
        } catch (error) {
          // The role is gone: so is the access it gave.
          if (error instanceof StrategyError && (error.details as { http_status?: number } | undefined)?.http_status === 404)
            return { aptible_role_id: roleId, aptible_user_id: user.id, granted: false, already: true };
          throw error;
        }
        if (!membership) return { aptible_role_id: roleId, aptible_user_id: user.id, granted: false, already: true };
        const membershipId = String(membership.id ?? idOfLink(linkOf(membership, 'self')));
        try {
          await call(`${base}/memberships/${membershipId}`, { method: 'DELETE', headers }, `removing Aptible user ${user.id} from role ${roleId} (membership ${membershipId})`);
        } catch (error) {
          if (error instanceof StrategyError && (error.details as { http_status?: number } | undefined)?.http_status === 404)
            return { aptible_role_id: roleId, aptible_user_id: user.id, granted: false, already: true };
          throw error;
        }
        return { aptible_role_id: roleId, aptible_user_id: user.id, membership_id: membershipId, granted: false };
      },
    };
  },
};
