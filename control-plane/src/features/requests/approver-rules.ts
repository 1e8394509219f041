/**
 * Who may approve or deny a request. The rule (also in README.md):
 *
 * 1. A guest never decides unless the flow sets `allow_guest_interaction`.
 * 2. When the flow exports `get_permissions`, its `approve_deny` decides who may: a role level
 *    (`"admin"` or `"member"`, meaning that role or higher) or a list of users (user objects,
 *    emails, Slack IDs or `slack.user(...)` recipients). `allow_self_approval` (default false)
 *    decides whether the requester may approve their own request.
 * 3. Otherwise the recipients of `get_approvers` (or the seed's `get_approver`) decide: a
 *    `slack.user` recipient matches a user by user id, by email (case-insensitive) or by the
 *    user's Slack identity; a `slack.channel` recipient admits exactly the members of that channel
 *    as Slack reports them (`conversations.members`), matched by the decider's Slack identity, and
 *    nobody else (no Slack workspace, no identity, or a channel Slack cannot list: nobody);
 *    `slack.fallback` admits whoever any of its recipients admits. On-call managers arrive as `slack.user` recipients
 *    from `pagerduty.on_call(...)` and match by email.
 * 4. Without either reducer, any admin or member may approve.
 * 5. The requester may approve their own request only when `get_permissions` allows self
 *    approval, or (without an explicit `allow_self_approval`) when a recipient names them as a
 *    user or is a channel with `allow_self`. Otherwise the answer is 403.
 */
import type { JsonValue } from '@opensym/schemas';

/** The person deciding, as far as matching needs. */
export interface Decider {
  id: string;
  email: string;
  role: 'admin' | 'member' | 'guest';
  identities: Record<string, JsonValue>;
}

/** A recipient after flattening fallbacks. */
export type Recipient = { kind: 'user'; userId?: string; email?: string; slackId?: string } | { kind: 'channel'; name: string; allowSelf: boolean };

/** What `get_permissions` returned, normalized. */
export interface Permissions {
  approveDeny?: { level: 'admin' | 'member' } | { users: Recipient[] };
  allowSelfApproval?: boolean;
}

/** Outcome of a check: allowed, or why not (safe to show). */
export type Verdict = { allowed: true } | { allowed: false; reason: string };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function slackIdOf(identities: unknown): string | undefined {
  const slack = isObject(identities) ? identities.slack : undefined;
  if (typeof slack === 'string') return slack;
  if (isObject(slack) && typeof slack.user_id === 'string') return slack.user_id;
  return undefined;
}

/** Flattens reducer output (recipients, nested lists, fallbacks, plain emails/IDs, user objects). */
export function flattenRecipients(value: unknown): Recipient[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(flattenRecipients);
  if (typeof value === 'string') return [value.includes('@') ? { kind: 'user', email: value } : { kind: 'user', slackId: value }];
  if (!isObject(value)) return [];
  if (value.type === 'slack.channel' && typeof value.name === 'string') return [{ kind: 'channel', name: value.name, allowSelf: value.allow_self === true }];
  if (value.type === 'slack.fallback') return flattenRecipients(value.recipients);
  // slack.user recipients carry user_id/email/slack_id; plain user objects carry id/email/identities.
  const userId = typeof value.user_id === 'string' ? value.user_id : value.type === undefined && typeof value.id === 'string' ? value.id : undefined;
  const email = typeof value.email === 'string' ? value.email : undefined;
  const slackId = typeof value.slack_id === 'string' ? value.slack_id : slackIdOf(value.identities);
  if (!userId && !email && !slackId) return [];
  return [{ kind: 'user', ...(userId && { userId }), ...(email && { email }), ...(slackId && { slackId }) }];
}

/** Normalizes `get_permissions` output; unknown shapes give no permissions (nobody may approve). */
export function parsePermissions(value: unknown): Permissions {
  if (!isObject(value)) return { approveDeny: { users: [] } };
  const out: Permissions = {};
  const ad = value.approve_deny;
  if (ad === 'admin' || ad === 'member') out.approveDeny = { level: ad };
  else if (ad !== undefined) out.approveDeny = { users: flattenRecipients(ad) };
  if (typeof value.allow_self_approval === 'boolean') out.allowSelfApproval = value.allow_self_approval;
  return out;
}

function matchesUser(r: Extract<Recipient, { kind: 'user' }>, d: Decider): boolean {
  if (r.userId && r.userId === d.id) return true;
  if (r.email && r.email.toLowerCase() === d.email.toLowerCase()) return true;
  const slackId = slackIdOf(d.identities);
  return Boolean(r.slackId && slackId && r.slackId === slackId);
}

const roleRank = { guest: 0, member: 1, admin: 2 } as const;

/** Slack user ids of each channel's members, by the channel as the recipient names it (`#ops`, `C123`). */
export type ChannelMembers = ReadonlyMap<string, ReadonlySet<string>>;

/** Whether the decider is a member of the channel (by their Slack identity). */
function inChannel(r: Extract<Recipient, { kind: 'channel' }>, d: Decider, members: ChannelMembers | undefined): boolean {
  const slackId = slackIdOf(d.identities);
  return Boolean(slackId && members?.get(r.name)?.has(slackId));
}

/** The channels among recipients (their names as given), so the caller can ask Slack for their members. */
export function channelsOf(recipients: readonly Recipient[]): string[] {
  return [...new Set(recipients.flatMap((r) => (r.kind === 'channel' ? [r.name] : [])))];
}

/** Whether `decider` may approve or deny a request made by `requesterId` (see the rule above). */
export function mayDecide(input: {
  decider: Decider;
  requesterId: string;
  allowGuest: boolean;
  /** Present when the flow exports `get_permissions`. */
  permissions?: Permissions;
  /** Present when the flow exports `get_approvers` or `get_approver`. */
  recipients?: Recipient[];
  /** Members of the channels among the recipients; a channel missing here admits nobody. */
  channelMembers?: ChannelMembers;
}): Verdict {
  const { decider, requesterId, allowGuest, permissions, recipients, channelMembers } = input;
  if (decider.role === 'guest' && !allowGuest) return { allowed: false, reason: 'Guests may not approve requests of this flow.' };
  const self = decider.id === requesterId;
  let namedSelf = false;
  let admitted: boolean;
  if (permissions?.approveDeny) {
    const rule = permissions.approveDeny;
    if ('level' in rule) admitted = roleRank[decider.role] >= roleRank[rule.level];
    else {
      admitted = rule.users.some((r) => (r.kind === 'user' ? matchesUser(r, decider) : inChannel(r, decider, channelMembers)));
      namedSelf = self && rule.users.some((r) => (r.kind === 'user' ? matchesUser(r, decider) : r.allowSelf && inChannel(r, decider, channelMembers)));
    }
  } else if (recipients) {
    admitted = recipients.some((r) => (r.kind === 'user' ? matchesUser(r, decider) : inChannel(r, decider, channelMembers)));
    namedSelf = self && recipients.some((r) => (r.kind === 'user' ? matchesUser(r, decider) : r.allowSelf && inChannel(r, decider, channelMembers)));
  } else {
    admitted = decider.role !== 'guest' || allowGuest;
  }
  if (!admitted) return { allowed: false, reason: 'You are not an approver of this request.' };
  if (self) {
    const selfAllowed = permissions?.allowSelfApproval ?? namedSelf;
    if (!selfAllowed) return { allowed: false, reason: 'You may not approve your own request.' };
  }
  return { allowed: true };
}
