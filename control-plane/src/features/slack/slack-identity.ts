/**
 * Who a Slack user is in OpenSym: the user whose `identities.slack` is their Slack id; else the
 * user with their Slack email (`users.info`), whose identity is then linked (their role kept);
 * else a new user with that email and identity (first use). As Sym does, the new user is a
 * `guest` when Slack says they are not a full member of the workspace (a Slack guest,
 * `is_restricted` / `is_ultra_restricted`) or they come from another team (Slack Connect), and a
 * `member` otherwise; guests take part only in flows with `allow_guest_interaction`. Bots, deleted
 * users and users without an email are refused.
 */
import type { SlackWorkspace } from '../../integrations/slack/slack-workspaces';
import type { UserRecord, UserStore } from '../users/user-store';
import type { SlackStore } from './slack-store';

/** Why a Slack user cannot act in OpenSym (shown to them). */
export class SlackIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackIdentityError';
  }
}

/** Resolves a Slack user of the workspace's organization. */
export type SlackIdentities = (workspace: Pick<SlackWorkspace, 'orgId' | 'teamId' | 'client'>, slackUserId: string) => Promise<UserRecord>;

/** The resolver over the user store and the Slack store. */
export function createSlackIdentities({ users, slack }: { users: Pick<UserStore, 'findById' | 'findByEmail' | 'create' | 'update'>; slack: Pick<SlackStore, 'userIdBySlackId'> }): SlackIdentities {
  return async (workspace, slackUserId) => {
    const orgId = workspace.orgId;
    const linked = await slack.userIdBySlackId(orgId, slackUserId);
    const known = linked ? await users.findById(orgId, linked) : null;
    if (known) return known;
    const info = await (await workspace.client()).userInfo(slackUserId);
    if (!info || info.deleted || info.isBot) throw new SlackIdentityError('Your Slack account cannot act in OpenSym (unknown, deactivated or a bot).');
    if (!info.email) throw new SlackIdentityError('OpenSym matches people by email, and Slack does not share yours with this app (scope users:read.email).');
    const byEmail = await users.findByEmail(orgId, info.email);
    if (byEmail) {
      const updated = await users.update(orgId, byEmail.id, { email: byEmail.email, role: byEmail.role, identities: { ...byEmail.identities, slack: slackUserId } });
      return updated.ok ? updated.user : byEmail;
    }
    const outsider = info.guest || (info.teamId !== null && workspace.teamId !== '' && info.teamId !== workspace.teamId);
    const created = await users.create(orgId, { email: info.email, role: outsider ? 'guest' : 'member', identities: { slack: slackUserId } });
    if (created.ok) return created.user;
    // Lost a race with another first use: the user exists now.
    const again = await users.findByEmail(orgId, info.email);
    if (again) return again;
    throw new SlackIdentityError('Your OpenSym account could not be created.');
  };
}
