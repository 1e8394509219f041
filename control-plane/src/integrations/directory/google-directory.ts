/**
 * `google.is_user_in_group` and `google.users_in_group` with `@googleapis/admin` (Directory API),
 * with the `google` strategy's credentials: the service account key in
 * `settings.credentials_secret`, acting as `settings.admin_email` when set, with the same scope.
 * The user is their `google` identity, else their email.
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import { StrategyError } from '../../features/strategies/access-strategy';
import { GROUP_MEMBER_SCOPE, googleDirectoryClient, googleError } from '../../features/strategies/google/google-strategy';
import { storedIdentity, type VendorContext } from '../../features/strategies/native-strategy';
import type { GoogleDirectoryHost } from '../../sandbox';
import type { UserRecord } from '../../features/users/user-store';
import { type DirectoryPerson, hookError, symUsersByEmail } from './directory-context';

const READ_PERMISSION = `the service account (or the admin_email it acts as) may not read this group's members: give that administrator a role with the Groups privilege (read is enough), and authorize the scope ${GROUP_MEMBER_SCOPE}`;
const MAX_PAGES = 50;

type Directory = admin_directory_v1.Admin;

/** The Google door for hooks of one environment. */
export function createGoogleDirectory(context: VendorContext, deps: { findByEmails: (emails: string[]) => Promise<Pick<UserRecord, 'id' | 'email' | 'identities'>[]> }): GoogleDirectoryHost {
  let directory: Promise<Directory> | undefined;
  const connect = () => (directory ??= googleDirectoryClient(context));
  const unknownGroup = (group: string) => `Google knows no group ${group}: check the group_email`;

  return {
    async isUserInGroup(user, groupEmail) {
      try {
        const email = storedIdentity(user, 'google') ?? (typeof user.email === 'string' ? user.email : undefined);
        if (!email) throw new StrategyError('google.is_user_in_group needs a user with an email (or a google identity)', false);
        const api = await connect();
        try {
          // hasMember answers for nested membership too.
          const { data } = await api.members.hasMember({ groupKey: groupEmail, memberKey: email });
          return data.isMember === true;
        } catch (error) {
          throw googleError(error, `checking whether ${email} is in Google group ${groupEmail}`, unknownGroup(groupEmail));
        }
      } catch (error) {
        throw hookError(error, context, READ_PERMISSION);
      }
    },
    async usersInGroup(groupEmail, includeIndirectMembers) {
      try {
        const api = await connect();
        const people: DirectoryPerson[] = [];
        let pageToken: string | undefined;
        for (let page = 0; ; page++) {
          if (page >= MAX_PAGES) throw new StrategyError(`Google group ${groupEmail} has more than ${MAX_PAGES} pages of members; google.users_in_group reads at most that many`, false);
          let data;
          try {
            ({ data } = await api.members.list({ groupKey: groupEmail, maxResults: 200, includeDerivedMembership: includeIndirectMembers, ...(pageToken && { pageToken }) }));
          } catch (error) {
            throw googleError(error, `listing the members of Google group ${groupEmail}`, unknownGroup(groupEmail));
          }
          // Nested groups (and customers) are not people.
          for (const m of data.members ?? []) if (m.type === 'USER' && m.email) people.push({ email: m.email, identity: m.email });
          pageToken = data.nextPageToken ?? undefined;
          if (!pageToken) break;
        }
        return await symUsersByEmail(people, 'google', deps.findByEmails);
      } catch (error) {
        throw hookError(error, context, READ_PERMISSION);
      }
    },
  };
}
