/** Runs the flow's permission reducers and applies the approver rule (`approver-rules.ts`) to one decider. */
import { ApiError } from '../../errors/api-error';
import type { SymEvent } from '../../sandbox';
import { channelsOf, flattenRecipients, mayDecide, parsePermissions, type ChannelMembers, type Recipient } from './approver-rules';
import { flowParamsOf } from './flow-params';
import type { LifecycleContext } from './lifecycle-context';
import { hookFailureText } from './hook-failure';
import type { RequestRecord, UserRecord } from './request-store';

/** Who may approve/deny `request`: runs get_permissions, then get_approvers / get_approver; 403 when `decider` may not. */
export async function checkDecider(ctx: Pick<LifecycleContext, 'hooks' | 'channelMembers'>, request: RequestRecord, decider: UserRecord, ev: SymEvent): Promise<void> {
  const { source, allowGuestInteraction } = flowParamsOf(request);
  const call = async (name: string) => {
    try {
      return await ctx.hooks.run(source, name, ev, request.orgId);
    } catch (err) {
      throw new ApiError('hook_failed', hookFailureText(`${name} reducer`, err));
    }
  };
  const perms = await call('get_permissions');
  let recipients: Recipient[] | undefined;
  if (!perms.exported || parsePermissions(perms.value).approveDeny === undefined) {
    let approvers = await call('get_approvers');
    if (!approvers.exported) approvers = await call('get_approver');
    if (approvers.exported) recipients = flattenRecipients(approvers.value);
  }
  // A slack.channel recipient admits its members: ask Slack (through the Slack feature) for them.
  const permissions = perms.exported ? parsePermissions(perms.value) : undefined;
  const named = [...(recipients ?? []), ...(permissions?.approveDeny && 'users' in permissions.approveDeny ? permissions.approveDeny.users : [])];
  const channelMembers = await membersOf(ctx, request, channelsOf(named));
  const verdict = mayDecide({
    decider: { id: decider.id, email: decider.email, role: decider.role, identities: decider.identities },
    requesterId: request.requesterId,
    allowGuest: allowGuestInteraction,
    ...(perms.exported && { permissions: parsePermissions(perms.value) }),
    ...(recipients && { recipients }),
    channelMembers,
  });
  if (!verdict.allowed) throw new ApiError('forbidden', verdict.reason);
}

/** Members of each channel; a channel that cannot be listed (no Slack, an error) is left out and so admits nobody. */
async function membersOf(ctx: Pick<LifecycleContext, 'channelMembers'>, request: RequestRecord, channels: string[]): Promise<ChannelMembers> {
  const out = new Map<string, ReadonlySet<string>>();
  if (channels.length === 0 || !ctx.channelMembers) return out;
  const { environmentId } = flowParamsOf(request);
  for (const channel of channels) {
    const members = await ctx.channelMembers(request.orgId, environmentId, channel).catch(() => null);
    if (members) out.set(channel, members);
  }
  return out;
}
