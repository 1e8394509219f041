/** The durable jobs the lifecycle schedules, and how each is keyed (one per step of a request). */
import type { ClaimedJob, NewJob } from '../../jobs/job-queue';
import type { LifecycleContext } from './lifecycle-context';
import type { RequestRecord } from './request-store';

/** Job kinds the lifecycle schedules. */
export const JOB_KINDS = { escalate: 'escalate', deescalate: 'deescalate', expirePending: 'expire_pending' } as const;

/** The escalation of an approved request. */
export const escalateJob = (r: Pick<RequestRecord, 'orgId' | 'id'>): NewJob => ({ kind: JOB_KINDS.escalate, orgId: r.orgId, requestId: r.id, dedupeKey: `escalate:${r.id}` });

/** The deescalation at the end of a grant. */
export const expiryJob = (r: Pick<RequestRecord, 'orgId' | 'id'>, runAt: Date): NewJob => ({
  kind: JOB_KINDS.deescalate,
  orgId: r.orgId,
  requestId: r.id,
  runAt,
  dedupeKey: `deescalate:${r.id}`,
  payload: { cause: 'expiry' },
});

/** The deescalation after an escalation that failed for good once the strategy may have granted (at once). */
export const cleanupJob = (r: Pick<RequestRecord, 'orgId' | 'id'>): NewJob => ({
  kind: JOB_KINDS.deescalate,
  orgId: r.orgId,
  requestId: r.id,
  dedupeKey: `cleanup:${r.id}`,
  payload: { cause: 'escalation_failed' },
});

/**
 * The deescalation a revoke asks for (at once). A request is revoked once from `active`; a revoke
 * of a failed one may come again, so its key is made unique by `at`.
 */
export const revokeJob = (r: Pick<RequestRecord, 'orgId' | 'id' | 'state'>, at: Date): NewJob => ({
  kind: JOB_KINDS.deescalate,
  orgId: r.orgId,
  requestId: r.id,
  dedupeKey: r.state === 'active' ? `revoke:${r.id}` : `revoke:${r.id}:${at.getTime()}`,
  payload: { cause: 'revoke' },
});

/** The end of a pending request's wait for a decision. */
export const expirePendingJob = (r: Pick<RequestRecord, 'orgId' | 'id'>, runAt: Date): NewJob => ({
  kind: JOB_KINDS.expirePending,
  orgId: r.orgId,
  requestId: r.id,
  runAt,
  dedupeKey: `expire_pending:${r.id}`,
});

/** The request a job is about, read fresh (null when the job names none or it is gone). */
export async function requestOfJob(ctx: Pick<LifecycleContext, 'store'>, job: ClaimedJob): Promise<RequestRecord | null> {
  return job.requestId && job.orgId ? ctx.store.get(job.orgId, job.requestId) : null;
}
