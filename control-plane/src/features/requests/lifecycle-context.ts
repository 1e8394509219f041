/**
 * What every lifecycle module shares: the caller's identity, the inputs of the API operations,
 * and the dependencies and settings of the service (one object, built once by the façade).
 */
import type { AccessRequestCreate, AccessRequestDecision } from '@opensym/schemas';
import type { JsonValue } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { StrategyError, StrategyRegistry } from '../strategies/access-strategy';
import type { HookRunner } from './hook-runner';
import type { RequestRecord, RequestStore } from './request-store';

/** Who calls the API: the token's organization, id and role, and the user it acts for (null for bots). */
export interface RequestActor {
  orgId: string;
  /** Null for calls that come from Slack (signed by the workspace, not a token). */
  tokenId: string | null;
  role: 'admin' | 'member' | 'guest';
  userId: string | null;
  /** Where the call comes from, for the flow's `allowed_sources` (default `api`). */
  source?: 'api' | 'slack';
}

/** Slack user ids of a channel's members (`slack.channel` approvers); null when they cannot be known. */
export type ChannelMembersLookup = (orgId: string, environmentId: string | null, channel: string) => Promise<ReadonlySet<string> | null>;

/** Body of `POST /events/request` (Sym-shaped): the `AccessRequest.create` schema's type. */
export type RequestInput = AccessRequestCreate;

/** Body of approve/deny/revoke (`AccessRequest.decision`): an optional reason; admin and bot tokens may name who decides. */
export type DecisionInput = AccessRequestDecision;

/** Failure of a strategy step that never reached a runner (the registry reports runner failures itself). */
export type ReportStrategyFailure = (failure: { orgId: string; environmentId: string | null; requestId: string; error: StrategyError; context: Record<string, string> }) => void | Promise<void>;

/** The dependencies and settings the lifecycle modules run on (defaults already applied). */
export interface LifecycleContext {
  store: RequestStore;
  hooks: HookRunner;
  strategies: StrategyRegistry;
  reportFailure: ReportStrategyFailure;
  /** Members of a Slack channel (set when Slack is wired); without it a `slack.channel` approver admits nobody. */
  channelMembers?: ChannelMembersLookup;
  /** How long a request waits for a decision (seconds). */
  pendingTtlSeconds: number;
  /** Duration of access when the flow has no duration field (seconds). */
  defaultDurationSeconds: number;
  /** Told after a transition that scheduled due work (wakes the job poller). */
  onJobsEnqueued: () => void;
  now: () => Date;
  newId: () => string;
  /**
   * Grants that succeeded but whose activation could not be written yet, by request id: a retry
   * in this process records them without calling the strategy again. (After a crash in that
   * window the retry calls it again with the same idempotency key; see README "Guarantee".)
   */
  unrecordedGrants: Map<string, { body: JsonValue | undefined }>;
}

/** The request `id` of the caller's organization, or 404. */
export async function loadRequest(ctx: Pick<LifecycleContext, 'store'>, actor: RequestActor, id: string): Promise<RequestRecord> {
  const request = await ctx.store.get(actor.orgId, id);
  if (!request) throw new ApiError('not_found', `No request with id ${id} in this organization.`);
  return request;
}

/** The 409 for a request that is not in a state that allows `doing`. */
export const stateConflict = (r: RequestRecord, doing: string): ApiError => new ApiError('invalid_state', `The request is ${r.state}; it cannot be ${doing}.`);
