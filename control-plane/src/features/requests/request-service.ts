/**
 * The access-request lifecycle: request → on_request → pending → approve/deny → escalate →
 * active → deescalate (expiry or revoke) → done. Every transition is one store transaction
 * holding the state change, its audit event(s) and the jobs it schedules. Hooks run outside
 * transactions; a transition only applies if the request is still in the state it was read in.
 *
 * This file is the façade the routes and the job runner call; each transition reads on its own
 * module (`create-request.ts`, `decide-request.ts`, `revoke-request.ts`, `escalate-step.ts`,
 * `deescalate-step.ts`, `expire-pending.ts`), the shared pieces on theirs (see README.md).
 */
import { randomUUID } from 'node:crypto';
import type { ClaimedJob } from '../../jobs/job-queue';
import type { StrategyRegistry } from '../strategies/access-strategy';
import { createRequest } from './create-request';
import { decideRequest } from './decide-request';
import { deescalate, deescalateGaveUp } from './deescalate-step';
import { escalate, escalateGaveUp } from './escalate-step';
import { expirePending } from './expire-pending';
import type { HookRunner } from './hook-runner';
import type { ChannelMembersLookup, DecisionInput, LifecycleContext, ReportStrategyFailure, RequestActor, RequestInput } from './lifecycle-context';
import { getRequest, listRequests, type RequestListQuery } from './request-paging';
import type { RequestStore } from './request-store';
import { revokeRequest } from './revoke-request';
import { requestActions, type RequestActions } from './request-actions';
import { checkRequestInputs, requestForm, type RequestForm } from './request-form';
import type { FieldError } from '../../errors/api-error';
import type { RequestView } from './request-view';

export type { ChannelMembersLookup, DecisionInput, ReportStrategyFailure, RequestActor, RequestInput } from './lifecycle-context';
export type { RequestView } from './request-view';
export type { RequestActions } from './request-actions';
export type { RequestForm } from './request-form';
export { JOB_KINDS } from './lifecycle-jobs';

/** What the service is built from; the last four have defaults. */
export interface RequestServiceDeps {
  store: RequestStore;
  hooks: HookRunner;
  strategies: StrategyRegistry;
  reportFailure: ReportStrategyFailure;
  /** How long a request waits for a decision (seconds). */
  pendingTtlSeconds: number;
  /** Members of a Slack channel, for `slack.channel` approvers (absent: such an approver admits nobody). */
  channelMembers?: ChannelMembersLookup;
  /** Duration of access when the flow has no duration field (seconds). */
  defaultDurationSeconds?: number;
  /** Told after a transition that scheduled due work (wakes the job poller). */
  onJobsEnqueued?: () => void;
  now?: () => Date;
  newId?: () => string;
}

/** Creates the lifecycle service; the routes and the job handlers call it. */
export function createRequestService(deps: RequestServiceDeps) {
  const ctx: LifecycleContext = {
    store: deps.store,
    hooks: deps.hooks,
    strategies: deps.strategies,
    reportFailure: deps.reportFailure,
    ...(deps.channelMembers && { channelMembers: deps.channelMembers }),
    pendingTtlSeconds: deps.pendingTtlSeconds,
    defaultDurationSeconds: deps.defaultDurationSeconds ?? 3600,
    onJobsEnqueued: deps.onJobsEnqueued ?? (() => {}),
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
    unrecordedGrants: new Map(),
  };
  return {
    /** `POST /events/request`: validates, runs on_request, stores the request in its first state. */
    request: (actor: RequestActor, input: RequestInput): Promise<RequestView> => createRequest(ctx, actor, input),
    /** `GET /requests`. */
    list: (actor: RequestActor, query: RequestListQuery): Promise<{ data: RequestView[]; next_page_token: string | null }> => listRequests(ctx, actor, query),
    /** `GET /requests/{id}`. */
    get: (actor: RequestActor, id: string): Promise<RequestView> => getRequest(ctx, actor, id),
    /** Which of approve, deny and revoke the caller may use on request `id` now (the console's buttons). */
    actions: (actor: RequestActor, id: string): Promise<RequestActions> => requestActions(ctx, actor, id),
    /** `POST /requests/{id}/approve`. */
    approve: (actor: RequestActor, id: string, input: DecisionInput): Promise<RequestView> => decideRequest(ctx, actor, id, input, 'approve'),
    /** `POST /requests/{id}/deny`. */
    deny: (actor: RequestActor, id: string, input: DecisionInput): Promise<RequestView> => decideRequest(ctx, actor, id, input, 'deny'),
    /** `POST /requests/{id}/revoke`: takes granted access back early. */
    revoke: (actor: RequestActor, id: string, input: DecisionInput): Promise<RequestView> => revokeRequest(ctx, actor, id, input),
    /** A flow's form (fields with labels, targets) for clients that render one (Slack's modal). */
    form: (orgId: string, flowRef: string): Promise<RequestForm | null> => requestForm(ctx, orgId, flowRef),
    /** The field errors a request with these inputs would get (the API's rules). */
    checkInputs: (orgId: string, flowRef: string, inputs: Record<string, unknown>): Promise<FieldError[]> => checkRequestInputs(ctx, orgId, flowRef, inputs),
    /** Job `expire_pending`: nobody decided in time. */
    expirePending: (job: ClaimedJob): Promise<void> => expirePending(ctx, job),
    /** Job `escalate`: on_escalate, then the strategy grants access, then active until expiry. */
    escalate: (job: ClaimedJob): Promise<void> => escalate(ctx, job),
    /** Retries of `escalate` ran out. */
    escalateGaveUp: (job: ClaimedJob, error: Error): Promise<void> => escalateGaveUp(ctx, job, error),
    /** Job `deescalate` (expiry or revoke): on_deescalate, then the strategy takes access back. */
    deescalate: (job: ClaimedJob): Promise<void> => deescalate(ctx, job),
    /** Retries of one `deescalate` job ran out: another is scheduled, later. */
    deescalateGaveUp: (job: ClaimedJob, error: Error): Promise<void> => deescalateGaveUp(ctx, job, error),
  };
}

/** The lifecycle service. */
export type RequestService = ReturnType<typeof createRequestService>;
