/**
 * The access requests that still need their configuration: a grant that may be in effect, or one
 * about to be made. Entity deletes ask it before removing a flow, strategy or target (and, through
 * the strategy, its integration and secrets), so a live grant can always be taken back.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { DEESCALATION_STATES } from '../requests/request-states';

/** The entities a delete would take away, as the requests name them. */
export interface LiveRequestDependencies {
  /** `AccessRequest.flowId`. */
  flowIds: readonly string[];
  /** `flowSnapshot.params.strategy_id` (the strategy escalate and deescalate run). */
  strategyIds: readonly string[];
  /** `AccessRequest.targetId`. */
  targetIds: readonly string[];
}

/** One live request, as a `still_referenced` problem names it. */
export interface LiveRequestRef {
  id: string;
  state: string;
}

/** The first `limit` live requests using any of the dependencies (oldest first), and how many there are in all. */
export interface LiveRequestsUsing {
  count: number;
  requests: LiveRequestRef[];
}

/** Reads live requests by what they depend on (the entity service's view of the request rows). */
export interface LiveRequestReader {
  liveRequestsUsing(orgId: string, uses: LiveRequestDependencies, limit: number): Promise<LiveRequestsUsing>;
}

/**
 * States whose request still needs its strategy: the deescalation states (access may be in
 * effect), and `approved` when the flow has a strategy (its escalate job has not finished yet;
 * an approval-only flow's `approved` is final and needs nothing).
 */
export const LIVE_STATES: readonly string[] = ['approved', ...DEESCALATION_STATES];

const lowered = (ids: readonly string[]) => [...new Set(ids.map((id) => id.toLowerCase()))];

/** The Prisma-backed reader: one query on the `(orgId, state)` index, filtered by the ids. */
export function createLiveRequestStore(prisma: PrismaClient): LiveRequestReader {
  return {
    async liveRequestsUsing(orgId, uses, limit) {
      const strategyOf = Prisma.sql`lower("flowSnapshot"->'params'->>'strategy_id')`;
      const matches: Prisma.Sql[] = [];
      const flows = lowered(uses.flowIds);
      const strategies = lowered(uses.strategyIds);
      const targets = lowered(uses.targetIds);
      if (flows.length > 0) matches.push(Prisma.sql`"flowId" IN (${Prisma.join(flows.map((id) => Prisma.sql`${id}::uuid`))})`);
      if (targets.length > 0) matches.push(Prisma.sql`"targetId" IN (${Prisma.join(targets.map((id) => Prisma.sql`${id}::uuid`))})`);
      if (strategies.length > 0) matches.push(Prisma.sql`${strategyOf} IN (${Prisma.join(strategies)})`);
      if (matches.length === 0) return { count: 0, requests: [] };
      // The state list keeps this on the (orgId, state) index: live requests are few next to the history.
      const rows = await prisma.$queryRaw<{ id: string; state: string; total: bigint }[]>`
        SELECT "id"::text AS "id", "state", count(*) OVER () AS "total"
        FROM "AccessRequest"
        WHERE "orgId" = ${orgId}::uuid
          AND "state" IN (${Prisma.join(LIVE_STATES)})
          AND ("state" <> 'approved' OR coalesce(${strategyOf}, '') <> '')
          AND (${Prisma.join(matches, ' OR ')})
        ORDER BY "createdAt", "id"
        LIMIT ${limit}`;
      return { count: Number(rows[0]?.total ?? 0), requests: rows.map((r) => ({ id: r.id, state: r.state })) };
    },
  };
}
