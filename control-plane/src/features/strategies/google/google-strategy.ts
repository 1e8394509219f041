/**
 * `google` (and Sym's `google_group`) strategies: Google Workspace group membership through the
 * Directory API with `@googleapis/admin`. The integration's `settings.credentials_secret` names
 * the `sym_secret` holding a service account's JSON key; `settings.admin_email`, when set, is the
 * administrator the service account acts as (domain-wide delegation). Targets are `google_group`
 * with `settings.group_email` and `settings.role` (`MEMBER`, `MANAGER` or `OWNER`).
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import { strategyTargetTypes } from '@opensym/schemas';
import type { JsonValue } from '../../../sandbox';
import { StrategyError } from '../access-strategy';
import type { Env } from '../aws-client-config';
import { type NativeVendor, requesterEmail, requiredSetting, storedIdentity, type TargetView, type VendorContext, vendorError } from '../native-strategy';
import { parseServiceAccountKey, serviceAccountToken } from './service-account-token';

/** The one scope the strategy needs: group members, nothing else in the directory. */
export const GROUP_MEMBER_SCOPE = 'https://www.googleapis.com/auth/admin.directory.group.member';
const ROLES = ['MEMBER', 'MANAGER', 'OWNER'] as const;
/** Reasons Google gives with a 403 that are rate limits, not permissions. */
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/** What a GaxiosError carries. */
interface GaxiosErrorShape {
  status?: number;
  message?: string;
  response?: { status?: number; headers?: unknown; data?: { error?: { message?: string; errors?: { reason?: string }[] } } };
}

/** Where the Directory API and the token endpoint are: Google's, unless the operator points them elsewhere. */
export function googleEndpoints(env: Env): { rootUrl: string; tokenUrl: string } {
  return {
    rootUrl: `${(env.SYM_GOOGLE_API_URL?.trim() || 'https://admin.googleapis.com').replace(/\/+$/, '')}/`,
    tokenUrl: env.SYM_GOOGLE_TOKEN_URL?.trim() || 'https://oauth2.googleapis.com/token',
  };
}

/**
 * A Directory API client for the integration in `context`: a token for the service account key in
 * `settings.credentials_secret` (acting as `settings.admin_email` when set), limited to group members.
 */
export async function googleDirectoryClient(context: Pick<VendorContext, 'env' | 'settings' | 'secret' | 'scrubber'>): Promise<admin_directory_v1.Admin> {
  const key = parseServiceAccountKey(await context.secret('credentials_secret'));
  const { rootUrl, tokenUrl } = googleEndpoints(context.env);
  const subject = context.settings.admin_email?.trim() || undefined;
  const token = await serviceAccountToken(key, { tokenUrl, scopes: [GROUP_MEMBER_SCOPE], ...(subject && { subject }) });
  context.scrubber.add(token.accessToken);
  // Loaded on first use, like the other vendors' SDKs (see features/strategies/README.md).
  const { admin, auth } = await import('@googleapis/admin');
  const client = new auth.OAuth2();
  client.setCredentials({ access_token: token.accessToken, expiry_date: token.expiresAt, token_type: 'Bearer' });
  // No retries here: the job queue retries, and records every attempt on the request.
  return admin({ version: 'directory_v1', auth: client, rootUrl, retry: false, timeout: 30_000 });
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** A Directory API failure as a StrategyError. */
export function googleError(error: unknown, what: string, notFound?: string): StrategyError {
  if (error instanceof StrategyError) return error;
  const e = (error ?? {}) as GaxiosErrorShape;
  const status = e.response?.status ?? e.status;
  const body = e.response?.data?.error;
  const reason = body?.errors?.[0]?.reason;
  const rateLimited = status === 403 && reason !== undefined && RATE_LIMIT_REASONS.has(reason);
  const retryAfter = Number(header(e.response?.headers, 'retry-after'));
  return vendorError('Google', {
    what,
    status: rateLimited ? 429 : e.response ? status : undefined,
    detail: body?.message ? `${body.message}${reason ? ` [${reason}]` : ''}` : e.response ? '' : (e.message ?? String(error)),
    forbidden: `the service account (or the admin_email it acts as) may not manage this group's members: give that administrator a role with the Groups privilege, and authorize the scope ${GROUP_MEMBER_SCOPE}`,
    notFound,
    ...(Number.isFinite(retryAfter) && { retryAfterSeconds: retryAfter }),
  });
}

function groupOf(target: TargetView): { groupKey: string; role: string } {
  const groupKey = requiredSetting(target, 'group_email', 'the Google group email address');
  const role = (target.settings.role?.trim() || 'MEMBER').toUpperCase();
  if (!(ROLES as readonly string[]).includes(role)) throw new StrategyError(`target ${target.name}: settings.role must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}`, false);
  return { groupKey, role };
}

function emailOf(identity: JsonValue): string {
  const email = identity && typeof identity === 'object' && !Array.isArray(identity) ? identity.email : undefined;
  if (typeof email !== 'string' || !email) throw new StrategyError('the cached Google identity has no email', false);
  return email;
}

/** The `google` vendor: the requester is their stored `google` identity or their email, cached as `{ email }`. */
export const googleVendor: NativeVendor = {
  label: 'Google',
  targetTypes: strategyTargetTypes.google ?? [],
  identityService: 'google',
  async connect(context) {
    const directory = await googleDirectoryClient(context);
    return {
      async identify(user) {
        return { email: storedIdentity(user, 'google') ?? requesterEmail(user) };
      },
      async grant(identity, target): Promise<JsonValue> {
        const email = emailOf(identity);
        const { groupKey, role } = groupOf(target);
        try {
          await directory.members.insert({ groupKey, requestBody: { email, role } });
        } catch (error) {
          // 409 "Member already exists": granted already.
          if ((error as GaxiosErrorShape).response?.status === 409) return { google_group: groupKey, email, role, member: true, already: true };
          throw googleError(error, `adding ${email} to Google group ${groupKey} as ${role}`, `Google knows no group ${groupKey} or user ${email}: check target ${target.name}'s settings.group_email`);
        }
        return { google_group: groupKey, email, role, member: true };
      },
      async revoke(identity, target): Promise<JsonValue> {
        const email = emailOf(identity);
        const { groupKey } = groupOf(target);
        try {
          await directory.members.delete({ groupKey, memberKey: email });
        } catch (error) {
          // 404: not a member (any more), or the group is gone; either way the access is.
          if ((error as GaxiosErrorShape).response?.status === 404) return { google_group: groupKey, email, member: false, already: true };
          throw googleError(error, `removing ${email} from Google group ${groupKey}`);
        }
        return { google_group: groupKey, email, member: false };
      },
    };
  },
};
