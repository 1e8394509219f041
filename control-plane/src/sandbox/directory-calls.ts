// The host calls behind `okta.*`, `google.*` and `github.*` of `sym/sdk`. Arguments come from the
// guest as JSON and may be hostile, so each is checked here before a vendor is asked anything.
// Every call goes through the dispatcher, so each one counts against `maxHostCalls`.
import type { DirectoryHost } from './directory-host';
import { HostCallError } from './host-dispatcher';
import type { SymUser } from './sandbox-call';

const GITHUB_ROLES = new Set(['read', 'triage', 'write', 'maintain', 'admin']);

function record(args: unknown): Record<string, unknown> {
  return args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

function text(args: Record<string, unknown>, key: string, call: string, example: string): string {
  const value = args[key];
  if (typeof value !== 'string' || !value.trim() || value.length > 512) throw new HostCallError('host_error', `${call} needs ${key}, e.g. ${example}`);
  return value.trim();
}

function userOf(args: Record<string, unknown>, call: string): SymUser {
  const user = args.user;
  if (typeof user === 'string' && user.includes('@')) return { email: user };
  if (!user || typeof user !== 'object' || Array.isArray(user)) throw new HostCallError('host_error', `${call} needs a user (event.user, or an email address)`);
  return user as SymUser;
}

function door<T>(vendor: T | undefined, label: string, key: string): T {
  if (!vendor) throw new HostCallError('host_denied', `${label} is not configured for this flow: set integrations.${key} of the flow's environment to an integration of type ${label.toLowerCase()}`);
  return vendor;
}

/** Handlers for the directory host calls, merged into the dispatcher's table. */
export function directoryHandlers(host: { directory?: DirectoryHost }): Record<string, (args: unknown) => Promise<unknown>> {
  const directory = () => host.directory ?? {};
  return {
    'okta.is_user_in_group': async (raw) => {
      const args = record(raw);
      const user = userOf(args, 'okta.is_user_in_group');
      const groupId = text(args, 'group_id', 'okta.is_user_in_group', 'group_id="00g1abc"');
      return door(directory().okta, 'Okta', 'okta_id').isUserInGroup(user, groupId);
    },
    'okta.users_in_group': async (raw) => {
      const groupId = text(record(raw), 'group_id', 'okta.users_in_group', 'group_id="00g1abc"');
      return door(directory().okta, 'Okta', 'okta_id').usersInGroup(groupId);
    },
    'google.is_user_in_group': async (raw) => {
      const args = record(raw);
      const user = userOf(args, 'google.is_user_in_group');
      const groupEmail = text(args, 'group_email', 'google.is_user_in_group', 'group_email="eng@example.com"');
      return door(directory().google, 'Google', 'google_id').isUserInGroup(user, groupEmail);
    },
    'google.users_in_group': async (raw) => {
      const args = record(raw);
      const groupEmail = text(args, 'group_email', 'google.users_in_group', 'group_email="eng@example.com"');
      return door(directory().google, 'Google', 'google_id').usersInGroup(groupEmail, args.include_indirect_members !== false);
    },
    'github.get_repo_collaborators': async (raw) => {
      const args = record(raw);
      const repoName = text(args, 'repo_name', 'github.get_repo_collaborators', 'repo_name="api"');
      const roles = args.roles;
      if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string' && GITHUB_ROLES.has(r))) {
        throw new HostCallError('host_error', `github.get_repo_collaborators needs roles, one or more of ${[...GITHUB_ROLES].join(', ')}`);
      }
      return door(directory().github, 'GitHub', 'github_id').repoCollaborators(repoName, [...new Set(roles as string[])]);
    },
  };
}
