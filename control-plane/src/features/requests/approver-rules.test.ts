import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenRecipients, mayDecide, parsePermissions, type Decider } from './approver-rules';

const requester: Decider = { id: 'u-req', email: 'req@example.com', role: 'member', identities: { slack: 'UREQ' } };
const boss: Decider = { id: 'u-boss', email: 'Boss@Example.com', role: 'member', identities: { slack: { user_id: 'UBOSS' } } };
const guest: Decider = { id: 'u-guest', email: 'guest@example.com', role: 'guest', identities: {} };
const admin: Decider = { id: 'u-admin', email: 'admin@example.com', role: 'admin', identities: {} };

const user = (x: object) => ({ type: 'slack.user', ...x });

describe('approver rule', () => {
  const cases: { name: string; decider: Decider; approvers?: unknown; permissions?: unknown; allowGuest?: boolean; members?: string[]; allowed: boolean }[] = [
    { name: 'no reducers: a member', decider: boss, allowed: true },
    { name: 'no reducers: not the requester', decider: requester, allowed: false },
    { name: 'no reducers: not a guest', decider: guest, allowed: false },
    { name: 'no reducers: a guest where the flow allows guests', decider: guest, allowGuest: true, allowed: true },
    { name: 'slack.user by email, case-insensitive', decider: boss, approvers: [user({ email: 'boss@example.com' })], allowed: true },
    { name: 'slack.user by Slack identity', decider: boss, approvers: user({ slack_id: 'UBOSS' }), allowed: true },
    { name: 'slack.user by user id', decider: boss, approvers: user({ user_id: 'u-boss' }), allowed: true },
    { name: 'someone else named', decider: boss, approvers: [user({ email: 'other@example.com' })], allowed: false },
    { name: 'nobody named', decider: admin, approvers: [], allowed: false },
    { name: 'inside a fallback', decider: boss, approvers: { type: 'slack.fallback', recipients: [user({ email: 'x@example.com' }), user({ email: 'boss@example.com' })] }, allowed: true },
    { name: 'a channel admits its members', decider: boss, approvers: { type: 'slack.channel', name: '#ops', allow_self: false }, members: ['UBOSS'], allowed: true },
    { name: 'a channel refuses an org member who is not in it', decider: boss, approvers: { type: 'slack.channel', name: '#ops', allow_self: false }, members: ['UOTHER'], allowed: false },
    { name: 'a channel refuses an admin who is not in it', decider: admin, approvers: { type: 'slack.channel', name: '#ops', allow_self: false }, members: ['UBOSS'], allowed: false },
    { name: 'a channel whose members are unknown admits nobody', decider: boss, approvers: { type: 'slack.channel', name: '#ops', allow_self: false }, allowed: false },
    { name: 'a channel in get_permissions admits its members only', decider: boss, permissions: { approve_deny: [{ type: 'slack.channel', name: '#ops' }] }, members: ['UX'], allowed: false },
    { name: 'a channel without allow_self refuses the requester', decider: requester, approvers: { type: 'slack.channel', name: '#ops', allow_self: false }, members: ['UREQ'], allowed: false },
    { name: 'a channel with allow_self admits the requester who is in it', decider: requester, approvers: { type: 'slack.channel', name: '#ops', allow_self: true }, members: ['UREQ'], allowed: true },
    { name: 'a channel with allow_self refuses the requester who is not in it', decider: requester, approvers: { type: 'slack.channel', name: '#ops', allow_self: true }, members: [], allowed: false },
    { name: 'the requester named as a user may self-approve', decider: requester, approvers: user({ email: 'req@example.com' }), allowed: true },
    { name: 'get_permissions level member', decider: boss, permissions: { approve_deny: 'member' }, allowed: true },
    { name: 'get_permissions level admin refuses a member', decider: boss, permissions: { approve_deny: 'admin' }, allowed: false },
    { name: 'get_permissions list of emails', decider: boss, permissions: { approve_deny: ['boss@example.com'] }, allowed: true },
    { name: 'get_permissions forbids self approval by default', decider: requester, permissions: { approve_deny: 'member' }, allowed: false },
    { name: 'get_permissions allow_self_approval', decider: requester, permissions: { approve_deny: 'member', allow_self_approval: true }, allowed: true },
    {
      name: 'allow_self_approval false beats a recipient naming the requester',
      decider: requester,
      permissions: { allow_self_approval: false },
      approvers: user({ email: 'req@example.com' }),
      allowed: false,
    },
    { name: 'get_permissions returning junk admits nobody', decider: admin, permissions: 'yes', allowed: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const verdict = mayDecide({
        decider: c.decider,
        requesterId: requester.id,
        allowGuest: c.allowGuest ?? false,
        ...(c.permissions !== undefined && { permissions: parsePermissions(c.permissions) }),
        ...(c.approvers !== undefined && { recipients: flattenRecipients(c.approvers) }),
        ...(c.members && { channelMembers: new Map([['#ops', new Set(c.members)]]) }),
      });
      assert.equal(verdict.allowed, c.allowed, JSON.stringify(verdict));
    });
  }

  it('flattens plain emails, Slack IDs and user objects from PagerDuty', () => {
    assert.deepEqual(flattenRecipients(['a@example.com', 'U123', { id: 'u1', email: 'b@example.com', identities: { slack: 'U9' } }, 42, null]), [
      { kind: 'user', email: 'a@example.com' },
      { kind: 'user', slackId: 'U123' },
      { kind: 'user', userId: 'u1', email: 'b@example.com', slackId: 'U9' },
    ]);
  });
});
