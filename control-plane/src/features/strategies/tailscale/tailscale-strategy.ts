/**
 * `tailscale` strategies: membership of a group of the tailnet's policy file, through the
 * Tailscale API v2 with plain fetch (Tailscale publishes no maintained Node SDK). Groups live only
 * in the policy file, so escalate and deescalate read it as HuJSON with its ETag, edit the one
 * group in place (comments and layout kept, `hujson-groups.ts`) and write it back with `If-Match`;
 * a concurrent edit (412) is read again and retried. The integration's `external_id` is the
 * tailnet and `settings.api_token_secret` names the `sym_secret` holding an API access token (or
 * OAuth token) allowed to write the policy file. Targets are `tailscale_group` with
 * `settings.group_name` (`eng` or `group:eng`).
 */
import { strategyTargetTypes } from '@opensym/schemas';
import type { JsonValue } from '../../../sandbox';
import { StrategyError } from '../access-strategy';
import type { Env } from '../aws-client-config';
import { type NativeVendor, requesterEmail, requiredSetting, storedIdentity, type TargetView, vendorError } from '../native-strategy';
import { addGroupMember, type GroupEdit, HuJsonError, removeGroupMember } from './hujson-groups';

const FORBIDDEN = 'the token may not write the policy file: use an API access token of an Owner, Admin or Network admin, or an OAuth client with the policy_file scope';
/** Attempts of read-edit-write when another edit lands in between (412). */
const MAX_CONFLICTS = 3;

/** `SYM_TAILSCALE_API_URL` (a test double) or https://api.tailscale.com. */
export function tailscaleBaseUrl(env: Env): string {
  return (env.SYM_TAILSCALE_API_URL?.trim() || 'https://api.tailscale.com').replace(/\/+$/, '');
}

async function call(url: string, init: RequestInit, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw vendorError('Tailscale', { what, status: undefined, detail: error instanceof Error ? error.message : String(error), forbidden: FORBIDDEN });
  }
  if (response.ok || response.status === 412) return response;
  const text = await response.text();
  let message = '';
  try {
    message = String((JSON.parse(text) as { message?: unknown }).message ?? '');
  } catch {
    message = '';
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  throw vendorError('Tailscale', {
    what,
    status: response.status,
    detail: message,
    forbidden: FORBIDDEN,
    notFound: `Tailscale knows no tailnet by that name: check the integration's external_id`,
    ...(Number.isFinite(retryAfter) && { retryAfterSeconds: retryAfter }),
  });
}

function loginOf(identity: JsonValue): string {
  const login = identity && typeof identity === 'object' && !Array.isArray(identity) ? identity.login : undefined;
  if (typeof login !== 'string' || !login) throw new StrategyError('the cached Tailscale identity has no login', false);
  return login;
}

function groupOf(target: TargetView): string {
  const name = requiredSetting(target, 'group_name', 'the policy file group, eng or group:eng');
  return name.startsWith('group:') ? name : `group:${name}`;
}

/** The `tailscale` vendor: the requester's Tailscale login is their stored `tailscale` identity or email, cached as `{ login }`. */
export const tailscaleVendor: NativeVendor = {
  label: 'Tailscale',
  targetTypes: strategyTargetTypes.tailscale ?? [],
  identityService: 'tailscale',
  async connect(context) {
    const tailnet = context.externalId.trim();
    if (!tailnet) throw new StrategyError('the tailscale integration needs external_id: the tailnet name (or "-" for the token\'s own tailnet)', false);
    const url = `${tailscaleBaseUrl(context.env)}/api/v2/tailnet/${encodeURIComponent(tailnet)}/acl`;
    const auth = { authorization: `Bearer ${await context.secret('api_token_secret')}` };

    /** Reads, edits and writes the policy file until the write is not overtaken by another edit. */
    const edit = async (what: string, change: (text: string) => GroupEdit): Promise<GroupEdit> => {
      for (let attempt = 1; ; attempt += 1) {
        const read = await call(url, { headers: { ...auth, accept: 'application/hujson' } }, `${what}: reading the policy file`);
        const etag = read.headers.get('etag');
        const text = await read.text();
        let outcome: GroupEdit;
        try {
          outcome = change(text);
        } catch (error) {
          if (error instanceof HuJsonError) throw new StrategyError(`${what}: the policy file could not be read as HuJSON (${error.message})`, false, undefined, true);
          throw error;
        }
        if (!outcome.found || outcome.text === null) return outcome;
        const written = await call(
          url,
          { method: 'POST', headers: { ...auth, 'content-type': 'application/hujson', accept: 'application/hujson', ...(etag && { 'if-match': etag }) }, body: outcome.text },
          `${what}: writing the policy file`,
        );
        if (written.status !== 412) return outcome;
        if (attempt >= MAX_CONFLICTS)
          throw new StrategyError(`${what}: the policy file kept changing while it was edited (HTTP 412 ${attempt} times); will retry`, true, { vendor: 'Tailscale', http_status: 412 });
      }
    };

    return {
      async identify(user) {
        return { login: storedIdentity(user, 'tailscale') ?? requesterEmail(user) };
      },
      async grant(identity, target): Promise<JsonValue> {
        const login = loginOf(identity);
        const group = groupOf(target);
        const outcome = await edit(`adding ${login} to ${group}`, (text) => addGroupMember(text, group, login));
        // Nothing was written (the edit stops before writing when the group is missing).
        if (!outcome.found)
          throw new StrategyError(`the tailnet policy file has no ${group}: add the group to "groups" (it may be empty), or fix target ${target.name}'s settings.group_name`, false, undefined, true);
        return { tailscale_group: group, login, member: true, ...(outcome.text === null && { already: true }) };
      },
      async revoke(identity, target): Promise<JsonValue> {
        const login = loginOf(identity);
        const group = groupOf(target);
        const outcome = await edit(`removing ${login} from ${group}`, (text) => removeGroupMember(text, group, login));
        return { tailscale_group: group, login, member: false, ...((!outcome.found || outcome.text === null) && { already: true }) };
      },
    };
  },
};
