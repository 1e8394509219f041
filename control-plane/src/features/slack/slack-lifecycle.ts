/**
 * Keeps Slack in step with the lifecycle without the lifecycle knowing Slack: the request store is
 * wrapped so that every write that creates a request or moves its state also enqueues a
 * `slack_sync` job, in the same transaction (the store's own `jobs`), for organizations that have a
 * Slack integration. So a message is posted or updated for every step, and a crash between the
 * step and the message loses nothing. Failures recorded by `record` (hooks, reducers) go to the
 * environment's Slack error logger (`slack-error-logger.ts`).
 */
import type { NewRequestEvent, RequestStore, Transition } from '../requests/request-store';
import { SLACK_JOBS, syncJob } from './slack-jobs';

/**
 * How long the sync of a step waits when the step has due work of its own (approved → the
 * escalation, a revoke → the deescalation): that work's own step usually follows within this time,
 * and its sync then joins this one (brought forward), so the message goes from "pending" straight to
 * "granted" with one `chat.update` per message instead of two. A slow strategy still shows the
 * intermediate state after this long.
 */
export const SETTLE_MS = 2_000;

/** Whether `t` enqueues work on its own request that is due now (its next step follows soon). */
const settlesSoon = (t: Transition) => (t.jobs ?? []).some((j) => j.requestId === t.requestId && j.kind !== SLACK_JOBS.sync && (!j.runAt || j.runAt.getTime() <= Date.now()));

/** `store` with Slack sync jobs added to creations and transitions of organizations where `slackOn(orgId)`. */
export function withSlackSync<S extends RequestStore>(
  store: S,
  slackOn: (orgId: string) => Promise<boolean>,
  onRecorded?: (orgId: string, requestId: string, events: NewRequestEvent[]) => void,
  settleMs = SETTLE_MS,
): S {
  const enabled = (orgId: string) => slackOn(orgId).catch(() => false);
  return {
    ...store,
    async create(request, events, jobs) {
      const extra = (await enabled(request.orgId)) ? [syncJob(request.orgId, request.id, true)] : [];
      return store.create(request, events, [...jobs, ...extra]);
    },
    async transition(t) {
      const extra = (await enabled(t.orgId)) ? [syncJob(t.orgId, t.requestId, false, settlesSoon(t) ? new Date(Date.now() + settleMs) : undefined)] : [];
      return store.transition({ ...t, jobs: [...(t.jobs ?? []), ...extra] });
    },
    async record(orgId, requestId, events, set) {
      await store.record(orgId, requestId, events, set);
      onRecorded?.(orgId, requestId, events);
    },
  };
}
