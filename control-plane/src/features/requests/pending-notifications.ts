/** Where a new pending request's approval message goes (resolved once, stored on `request.created`). */
import type { SymEvent } from '../../sandbox';
import { flowParamsOf } from './flow-params';
import type { LifecycleContext } from './lifecycle-context';
import { errorText, newEvent } from './lifecycle-events';
import { defaultNotifications, parseRequestNotifications, type ResolvedNotifications } from './request-notifications';
import type { NewRequestEvent, RequestRecord } from './request-store';

/**
 * `get_request_notifications` if the flow exports it, else the approvers' recipients. A reducer
 * that fails never stops the request: its failure is returned as a `request.hook_failed` event
 * and the default applies.
 */
export async function resolveNotifications(ctx: Pick<LifecycleContext, 'hooks'>, request: RequestRecord, ev: SymEvent): Promise<{ resolved: ResolvedNotifications; failures: NewRequestEvent[] }> {
  const { source } = flowParamsOf(request);
  const failures: NewRequestEvent[] = [];
  const failed = (hook: string, err: unknown) => failures.push(newEvent('request.hook_failed', request, null, null, { hook, error: errorText(err) }));
  try {
    const out = await ctx.hooks.run(source, 'get_request_notifications', ev, request.orgId);
    if (out.exported) return { resolved: { source: 'get_request_notifications', notifications: parseRequestNotifications(out.value) }, failures };
  } catch (err) {
    failed('get_request_notifications', err);
  }
  for (const name of ['get_approvers', 'get_approver']) {
    try {
      const out = await ctx.hooks.run(source, name, ev, request.orgId);
      if (out.exported) return { resolved: defaultNotifications(out.value), failures };
    } catch (err) {
      failed(name, err);
      break;
    }
  }
  return { resolved: defaultNotifications(undefined), failures };
}
