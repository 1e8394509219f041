/**
 * The organization's `sym_flows_filter`: its `get_flows(user, flows, flow_vars)` reducer (Sym's
 * signature; a reducer may declare fewer parameters) decides which flows a user is offered in
 * Slack, as Sym runs it for its request menu. It runs in the sandbox, with the PagerDuty
 * integration the filter names (`integrations.pagerduty_id`) behind `pagerduty.*`.
 *
 * It fails closed: a filter that throws, exports no `get_flows` or returns something other than a
 * list offers no flow at all, since showing everything would show what it meant to hide.
 */
import type { Logger } from 'pino';
import type { JsonValue } from '@opensym/schemas';
import { SandboxError, type PagerDutyHost, type Sandbox } from '../../sandbox';
import type { EntityRecord } from '../../shared/entity-record';
import { lazyPagerDuty } from '../requests/hook-runner';
import { symUser } from '../requests/request-event';
import type { UserRecord } from '../users/user-store';

/** The filter could not decide: no flow is offered (the message is shown to the user). */
export class FlowsFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowsFilterError';
  }
}

/** A flow as the filter sees it (`flow.id`, `flow.name`, `flow.label`, `flow.environment_id`, `flow.vars`). */
export interface FilterableFlow {
  id: string;
  name: string;
  label: string;
  environmentId: string | null;
  vars: Record<string, JsonValue>;
}

/** The flows of `flows` that `user` may see, in their order. */
export type FlowsFilter = (orgId: string, user: UserRecord, flows: readonly FilterableFlow[]) => Promise<FilterableFlow[]>;

/** Finds the PagerDuty door for the filter entity (its `integrations.pagerduty_id`). */
export type FilterPagerDutyLookup = (orgId: string, filter: EntityRecord) => Promise<PagerDutyHost | undefined>;

/** The filter over the organization's `flows-filter` entity and the sandbox (built by `compose.ts`). */
export function createFlowsFilter({
  sandbox,
  entities,
  pagerduty,
  logger,
}: {
  sandbox: Pick<Sandbox, 'run'>;
  entities: { list(orgId: string, kind: string, filter: object): Promise<EntityRecord[]> };
  pagerduty?: FilterPagerDutyLookup;
  logger: Logger;
}): FlowsFilter {
  return async (orgId, user, flows) => {
    const [filter] = await entities.list(orgId, 'flows-filter', {});
    const source = filter?.data.implementation;
    if (!filter || typeof source !== 'string' || flows.length === 0) return [...flows];
    const vars = (filter.data.vars ?? {}) as Record<string, JsonValue>;
    const shown = flows.map((f) => ({ id: f.id, name: f.name, label: f.label, environment_id: f.environmentId, vars: f.vars }));
    const host = pagerduty ? lazyPagerDuty(() => pagerduty(orgId, filter)) : undefined;
    let value: JsonValue | undefined;
    try {
      const result = await sandbox.run({
        source,
        call: { kind: 'hook', name: 'get_flows', args: [symUser(user) as JsonValue, shown, vars] },
        host: { ...(host && { pagerduty: host }) },
        tenant: orgId,
      });
      value = result.value;
    } catch (err) {
      if (!(err instanceof SandboxError)) throw err;
      // The sandbox redacts known secrets from its messages; the user sees only the code.
      logger.warn({ code: err.code, error: err.message }, 'slack: the flows filter failed; no flow is offered');
      throw new FlowsFilterError(`The organization's flows filter failed (${err.code}), so no flow can be offered now.`);
    }
    if (!Array.isArray(value)) {
      logger.warn({ returned: value === null ? 'null' : typeof value }, 'slack: get_flows returned no list; no flow is offered');
      throw new FlowsFilterError("The organization's flows filter returned no list of flows, so no flow can be offered now.");
    }
    // Items may be the flow objects handed in, or their ids or names.
    const chosen = new Set<string>();
    for (const item of value) {
      const ref = typeof item === 'string' ? item : item && typeof item === 'object' && !Array.isArray(item) ? (item.id ?? item.name) : null;
      if (typeof ref !== 'string') continue;
      const flow = flows.find((f) => f.id === ref) ?? flows.find((f) => f.name.toLowerCase() === ref.toLowerCase());
      if (flow) chosen.add(flow.id);
    }
    return flows.filter((f) => chosen.has(f.id));
  };
}
