/**
 * `okta.is_user_in_group` and `okta.users_in_group` with `@okta/okta-sdk-nodejs`, through the
 * client the `okta` strategy builds (same domain, API token secret and `SYM_OKTA_API_URL`). The
 * user is found by their `okta` identity, else their email, and cached in the identity cache in
 * the strategy's format, so hooks and grants share one lookup.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import { StrategyError } from '../../features/strategies/access-strategy';
import type { IdentityCacheStore } from '../../features/strategies/identity-cache-store';
import type { VendorContext } from '../../features/strategies/native-strategy';
import { storedIdentity } from '../../features/strategies/native-strategy';
import { oktaClient, oktaError } from '../../features/strategies/okta/okta-strategy';
import type { OktaDirectoryHost, SymUser } from '../../sandbox';
import { type DirectoryPerson, hookError, symUsersByEmail } from './directory-context';
import type { UserRecord } from '../../features/users/user-store';

const READ_PERMISSION =
  "the API token's administrator may not read this group or its members: create the token as an administrator whose role covers the group (Read-only Administrator, or Group Administrator for it)";

/** Pages read at most; a group larger than this many pages of 200 is refused rather than read for minutes. */
const MAX_PAGES = 50;

/** The Okta door for hooks of one environment. */
export function createOktaDirectory(
  context: VendorContext,
  deps: { identityCache: IdentityCacheStore; findByEmails: (emails: string[]) => Promise<Pick<UserRecord, 'id' | 'email' | 'identities'>[]> },
): OktaDirectoryHost {
  let client: Promise<Client> | undefined;
  const connect = () => (client ??= oktaClient(context));
  const unknownGroup = (groupId: string) => `Okta knows no group ${groupId}: check the group_id (Okta group ids look like 00g...)`;

  // Reads one page of the group's members: a 404 is an unknown group.
  const checkGroup = async (okta: Client, groupId: string) => {
    try {
      const users = await okta.groupApi.listGroupUsers({ groupId, limit: 1 });
      await users.next();
    } catch (error) {
      throw oktaError(error, `reading Okta group ${groupId}`, unknownGroup(groupId));
    }
  };

  // The user's Okta id: from the identity cache (when looked up by the same login), else looked up.
  const oktaUserId = async (okta: Client, user: SymUser): Promise<string | undefined> => {
    const login = storedIdentity(user, 'okta') ?? (typeof user.email === 'string' ? user.email : undefined);
    if (!login) return undefined;
    const userId = typeof user.id === 'string' ? user.id : undefined;
    const row = userId ? await deps.identityCache.get(userId, context.integration.id) : undefined;
    if (row && typeof row === 'object' && !Array.isArray(row) && row.looked_up_as === login && typeof row.id === 'string') return row.id;
    try {
      const found = await okta.userApi.getUser({ userId: login });
      const identity = { id: String(found.id), login: String(found.profile?.login ?? login), looked_up_as: login };
      if (userId) await deps.identityCache.set(userId, context.integration.id, identity);
      return identity.id;
    } catch (error) {
      const failure = oktaError(error, `looking up Okta user ${login}`);
      // A person Okta does not know is in no Okta group.
      if ((failure.details as { http_status?: number } | undefined)?.http_status === 404) return undefined;
      throw failure;
    }
  };

  return {
    async isUserInGroup(user, groupId) {
      try {
        const okta = await connect();
        const id = await oktaUserId(okta, user);
        if (id) {
          let groups;
          try {
            groups = await okta.userApi.listUserGroups({ userId: id });
            for await (const group of groups) if (group?.id === groupId) return true;
          } catch (error) {
            throw oktaError(error, `listing the Okta groups of user ${id}`);
          }
        }
        // Not a member: an unknown group is a mistake in the hook, not a "no".
        await checkGroup(okta, groupId);
        return false;
      } catch (error) {
        throw hookError(error, context, READ_PERMISSION);
      }
    },
    async usersInGroup(groupId) {
      try {
        const okta = await connect();
        const people: DirectoryPerson[] = [];
        try {
          const users = await okta.groupApi.listGroupUsers({ groupId, limit: 200 });
          for await (const u of users) {
            if (!u) continue;
            if (people.length >= MAX_PAGES * 200) throw new StrategyError(`Okta group ${groupId} has more than ${MAX_PAGES * 200} members; okta.users_in_group reads at most that many`, false);
            const email = u.profile?.email ?? u.profile?.login;
            if (typeof email !== 'string' || !email) continue;
            people.push({ email, first_name: u.profile?.firstName ?? '', last_name: u.profile?.lastName ?? '', identity: String(u.profile?.login ?? u.id) });
          }
        } catch (error) {
          throw oktaError(error, `listing the members of Okta group ${groupId}`, unknownGroup(groupId));
        }
        return await symUsersByEmail(people, 'okta', deps.findByEmails);
      } catch (error) {
        throw hookError(error, context, READ_PERMISSION);
      }
    },
  };
}
