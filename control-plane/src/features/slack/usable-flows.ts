/**
 * The flows a user may request from Slack: `allowed_sources` admits `slack`, guests only where the
 * flow allows them (`allow_guest_interaction`), then the organization's `sym_flows_filter`
 * (`get_flows`). Every Slack path that leads to a request asks this (the picker, `/sym req <flow>`,
 * both modal submissions and the `slack_request` job), so a flow hidden from the user cannot be
 * requested with a crafted submission either.
 */
import type { UserRecord } from '../users/user-store';
import type { FilterableFlow } from './flows-filter';
import type { SlackDeps } from './slack-deps';

/** The usable flows of `user`, in the order the entities list them. Throws `FlowsFilterError` when the filter fails. */
export async function usableFlowsOf(deps: Pick<SlackDeps, 'entities' | 'requests' | 'flowsFilter'>, orgId: string, user: UserRecord): Promise<FilterableFlow[]> {
  const flows = await deps.entities.list(orgId, 'flows', {});
  const candidates: FilterableFlow[] = [];
  for (const f of flows) {
    const form = await deps.requests.form(orgId, f.id);
    if (!form) continue;
    if (form.allowedSources && !form.allowedSources.includes('slack')) continue;
    if (user.role === 'guest' && !form.allowGuests) continue;
    const environmentId = typeof f.data.environment_id === 'string' ? f.data.environment_id : null;
    candidates.push({ id: form.flow.id, name: form.flow.name, label: form.flow.label, environmentId, vars: (f.data.vars ?? {}) as FilterableFlow['vars'] });
  }
  return deps.flowsFilter(orgId, user, candidates);
}
