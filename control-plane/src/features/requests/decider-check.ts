/** Runs the flow's permission reducers and applies the approver rule (`approver-rules.ts`) to one decider. */
import { ApiError } from '../../errors/api-error';
import type { SymEvent } from '../../sandbox';
import { flattenRecipients, mayDecide, parsePermissions, type Recipient } from './approver-rules';
import { flowParamsOf } from './flow-params';
import type { LifecycleContext } from './lifecycle-context';
import { errorText } from './lifecycle-events';
import type { RequestRecord, UserRecord } from './request-store';

/** Who may approve/deny `request`: runs get_permissions, then get_approvers / get_approver; 403 when `decider` may not. */
export async function checkDecider(ctx: Pick<LifecycleContext, 'hooks'>, request: RequestRecord, decider: UserRecord, ev: SymEvent): Promise<void> {
  const { source, allowGuestInteraction } = flowParamsOf(request);
  const call = async (name: string) => {
    try {
      return await ctx.hooks.run(source, name, ev, request.orgId);
    } catch (err) {
      throw new ApiError('hook_failed', `The flow's ${name} reducer failed: ${errorText(err)}`);
    }
  };
  const perms = await call('get_permissions');
  let recipients: Recipient[] | undefined;
  if (!perms.exported || parsePermissions(perms.value).approveDeny === undefined) {
    let approvers = await call('get_approvers');
    if (!approvers.exported) approvers = await call('get_approver');
    if (approvers.exported) recipients = flattenRecipients(approvers.value);
  }
  const verdict = mayDecide({
    decider: { id: decider.id, email: decider.email, role: decider.role, identities: decider.identities },
    requesterId: request.requesterId,
    allowGuest: allowGuestInteraction,
    ...(perms.exported && { permissions: parsePermissions(perms.value) }),
    ...(recipients && { recipients }),
  });
  if (!verdict.allowed) throw new ApiError('forbidden', verdict.reason);
}
