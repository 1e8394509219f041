/**
 * The directory doors of a flow's hooks: the environment's `integrations.okta_id`, `google_id`
 * and `github_id` name the integrations that `okta.*`, `google.*` and `github.*` read through.
 * Nothing is read (environment, integration, secret) until a hook calls a helper, and each
 * vendor's client is built once per hook invocation.
 */
import type { IdentityCacheStore } from '../../features/strategies/identity-cache-store';
import type { UserStore } from '../../features/users/user-store';
import { type DirectoryHost, type GitHubDirectoryHost, type GoogleDirectoryHost, HostCallError, type OktaDirectoryHost } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import { type DirectoryDeps, directoryContext } from './directory-context';
import { createGitHubDirectory } from './github-directory';
import { createGoogleDirectory } from './google-directory';
import { createOktaDirectory } from './okta-directory';

/** Builds the directory doors per organization and environment. */
export interface DirectoryHosts {
  /** Doors for hooks of flows in `environmentId`; each vendor is looked up on its first call. */
  forEnvironment(orgId: string, environmentId: string | null): DirectoryHost;
}

interface Vendor<T> {
  key: string;
  type: string;
  label: string;
  build(context: ReturnType<typeof directoryContext>, orgId: string): T;
}

/** Creates the factory over the entity reader, the secret reader, the user store and the identity cache. */
export function createDirectoryHosts(deps: DirectoryDeps & { users: Pick<UserStore, 'findByEmails' | 'findByIdentity'>; identityCache: IdentityCacheStore }): DirectoryHosts {
  const okta: Vendor<OktaDirectoryHost> = {
    key: 'okta_id',
    type: 'okta',
    label: 'Okta',
    build: (context, orgId) => createOktaDirectory(context, { identityCache: deps.identityCache, findByEmails: (emails) => deps.users.findByEmails(orgId, emails) }),
  };
  const google: Vendor<GoogleDirectoryHost> = {
    key: 'google_id',
    type: 'google',
    label: 'Google',
    build: (context, orgId) => createGoogleDirectory(context, { findByEmails: (emails) => deps.users.findByEmails(orgId, emails) }),
  };
  const github: Vendor<GitHubDirectoryHost> = {
    key: 'github_id',
    type: 'github',
    label: 'GitHub',
    build: (context, orgId) => createGitHubDirectory(context, { findByIdentity: (values) => deps.users.findByIdentity(orgId, 'github', values) }),
  };

  return {
    forEnvironment(orgId, environmentId) {
      let environment: Promise<EntityRecord | null> | undefined;
      const door = <T>(vendor: Vendor<T>): (() => Promise<T>) => {
        let found: Promise<T> | undefined;
        return () =>
          (found ??= (async () => {
            environment ??= environmentId ? deps.entities.findById(orgId, 'environments', environmentId) : Promise.resolve(null);
            const integrations = (await environment)?.data.integrations;
            const id = integrations && typeof integrations === 'object' && !Array.isArray(integrations) ? (integrations as Record<string, unknown>)[vendor.key] : undefined;
            if (typeof id !== 'string' || !id) {
              throw new HostCallError(
                'host_denied',
                `${vendor.label} is not configured for this flow: set integrations.${vendor.key} of the flow's environment to an integration of type ${vendor.type}`,
              );
            }
            const integration = await deps.entities.findById(orgId, 'integrations', id);
            const type = integration ? String(integration.type ?? integration.data.type ?? '') : '';
            if (!integration || type !== vendor.type) {
              throw new HostCallError('host_error', `the environment's integrations.${vendor.key} ${id} is not an integration of type ${vendor.type}`);
            }
            return vendor.build(directoryContext(deps, orgId, integration, environmentId), orgId);
          })());
      };
      const oktaDoor = door(okta);
      const googleDoor = door(google);
      const githubDoor = door(github);
      return {
        okta: {
          isUserInGroup: async (user, groupId) => (await oktaDoor()).isUserInGroup(user, groupId),
          usersInGroup: async (groupId) => (await oktaDoor()).usersInGroup(groupId),
        },
        google: {
          isUserInGroup: async (user, group) => (await googleDoor()).isUserInGroup(user, group),
          usersInGroup: async (group, indirect) => (await googleDoor()).usersInGroup(group, indirect),
        },
        github: {
          repoCollaborators: async (repo, roles) => (await githubDoor()).repoCollaborators(repo, roles),
        },
      };
    },
  };
}
