/**
 * Who a Slack user is in OpenSym: the user whose `identities.slack` is their Slack id; else the
 * user with their Slack email (`users.info`), whose identity is then linked; else a new member
 * with that email and identity (first use). Bots, deleted users and users without an email are
 * refused.
 */
import type { SlackClient } from '../../integrations/slack/slack-client';
import type { UserRecord, UserStore } from '../users/user-store';
import type { SlackStore } from './slack-store';

/** Why a Slack user cannot act in OpenSym (shown to them). */
export class SlackIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackIdentityError';
  }
}

/** Resolves Slack users of one organization. */
export type SlackIdentities = (orgId: string, client: SlackClient, slackUserId: string) => Promise<UserRecord>;

/** The resolver over the user store and the Slack store. */
export function createSlackIdentities({ users, slack }: { users: Pick<UserStore, 'findById' | 'findByEmail' | 'create' | 'update'>; slack: Pick<SlackStore, 'userIdBySlackId'> }): SlackIdentities {
  return async (orgId, client, slackUserId) => {
    const linked = await slack.userIdBySlackId(orgId, slackUserId);
    const known = linked ? await users.findById(orgId, linked) : null;
    if (known) return known;
    const info = await client.userInfo(slackUserId);
    if (!info || info.deleted || info.isBot) throw new SlackIdentityError('Your Slack account cannot act in OpenSym (unknown, deactivated or a bot).');
    if (!info.email) throw new SlackIdentityError('OpenSym matches people by email, and Slack does not share yours with this app (scope users:read.email).');
    const byEmail = await users.findByEmail(orgId, info.email);
    if (byEmail) {
      const updated = await users.update(orgId, byEmail.id, { email: byEmail.email, role: byEmail.role, identities: { ...byEmail.identities, slack: slackUserId } });
      return updated.ok ? updated.user : byEmail;
    }
    const created = await users.create(orgId, { email: info.email, role: 'member', identities: { slack: slackUserId } });
    if (created.ok) return created.user;
    // Lost a race with another first use: the user exists now.
    const again = await users.findByEmail(orgId, info.email);
    if (again) return again;
    throw new SlackIdentityError('Your OpenSym account could not be created.');
  };
}
