/** Transition pending → expired: nobody decided before the pending TTL ran out (job `expire_pending`). */
import type { ClaimedJob } from '../../jobs/job-queue';
import type { LifecycleContext } from './lifecycle-context';
import { iso, newEvent } from './lifecycle-events';
import { requestOfJob } from './lifecycle-jobs';

/** Job `expire_pending`: a no-op when the request was decided meanwhile. */
export async function expirePending(ctx: LifecycleContext, job: ClaimedJob): Promise<void> {
  const request = await requestOfJob(ctx, job);
  if (!request || request.state !== 'pending') return;
  await ctx.store.transition({
    orgId: request.orgId,
    requestId: request.id,
    from: ['pending'],
    set: { state: 'expired' },
    events: [newEvent('request.expired', request, null, null, { from: 'pending', to: 'expired', pending_until: iso(request.pendingUntil) })],
  });
}
