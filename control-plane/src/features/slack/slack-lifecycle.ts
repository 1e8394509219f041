/**
 * Keeps Slack in step with the lifecycle without the lifecycle knowing Slack: the request store is
 * wrapped so that every write that creates a request or moves its state also enqueues a
 * `slack_sync` job, in the same transaction (the store's own `jobs`), for organizations that have a
 * Slack integration. So a message is posted or updated for every step, and a crash between the
 * step and the message loses nothing. Failures recorded by `record` (hooks, reducers) go to the
 * environment's Slack error logger (`slack-error-logger.ts`).
 */
import type { NewRequestEvent, RequestStore } from '../requests/request-store';
import { syncJob } from './slack-jobs';

/** `store` with Slack sync jobs added to creations and transitions of organizations where `slackOn(orgId)`. */
export function withSlackSync<S extends RequestStore>(store: S, slackOn: (orgId: string) => Promise<boolean>, onRecorded?: (orgId: string, requestId: string, events: NewRequestEvent[]) => void): S {
  const enabled = (orgId: string) => slackOn(orgId).catch(() => false);
  return {
    ...store,
    async create(request, events, jobs) {
      const extra = (await enabled(request.orgId)) ? [syncJob(request.orgId, request.id, true)] : [];
      return store.create(request, events, [...jobs, ...extra]);
    },
    async transition(t) {
      const extra = (await enabled(t.orgId)) ? [syncJob(t.orgId, t.requestId, false)] : [];
      return store.transition({ ...t, jobs: [...(t.jobs ?? []), ...extra] });
    },
    async record(orgId, requestId, events, set) {
      await store.record(orgId, requestId, events, set);
      onRecorded?.(orgId, requestId, events);
    },
  };
}
