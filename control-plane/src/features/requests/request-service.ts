/**
 * The access-request lifecycle: request → on_request → pending → approve/deny → escalate →
 * active → deescalate (expiry or revoke) → done. Every transition is one store transaction
 * holding the state change, its audit event(s) and the jobs it schedules. Hooks run outside
 * transactions; a transition only applies if the request is still in the state it was read in.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { ClaimedJob, NewJob } from '../../jobs/job-queue';
import type { SymEvent } from '../../sandbox';
import { StrategyError, type EntityRecord, type StrategyRegistry } from '../strategies/access-strategy';
import { flattenRecipients, mayDecide, parsePermissions, type Decider } from './approver-rules';
import type { HookRunner } from './hook-runner';
import { defaultNotifications, notificationsOf, parseRequestNotifications, type ResolvedNotifications } from './request-notifications';
import { buildEvent, stepOutputs } from './request-event';
import { DURATION_FIELD, TARGET_FIELD, durationCapSeconds, formFieldSpecs, promptFieldSpecs, validateFields, type FieldSpec } from './request-fields';
import { resolveTarget } from './request-target';
import { DEESCALATION_STATES, isRequestState, type RequestState } from './request-states';
import type { NewRequestEvent, RequestEventRecord, RequestRecord, RequestStore, UserRecord } from './request-store';

/** Who calls the API: the token's organization, id and role, and the user it acts for (null for bots). */
export interface RequestActor {
  orgId: string;
  tokenId: string;
  role: 'admin' | 'member' | 'guest';
  userId: string | null;
}

/** `POST /events/request` body (already schema-checked). */
export interface RequestInput {
  flow?: string;
  flow_id?: string;
  flow_name?: string;
  flow_inputs?: Record<string, unknown>;
  user_email?: string;
  user_id?: string;
}

/** Body of approve/deny/revoke: an optional reason; admin and bot tokens may name who decides. */
export interface DecisionInput {
  reason?: string;
  user_email?: string;
  user_id?: string;
}

/** A request as the API returns it. */
export interface RequestView {
  id: string;
  state: RequestState;
  flow: { id: string; name: string; version: string };
  requester: { id: string; email: string };
  fields: Record<string, JsonValue>;
  target_id: string | null;
  duration_seconds: number | null;
  decided_by: string | null;
  reason: string | null;
  pending_until: string | null;
  active_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  events?: { id: string; type: string; at: string; actor_user_id: string | null; actor_token_id: string | null; data: Record<string, JsonValue> }[];
  /** Where the approval message goes (resolved when the request became pending); only with `events` and on create. */
  notifications?: ResolvedNotifications | null;
}

/** Failure of a strategy step that never reached a runner (the registry reports runner failures itself). */
export type ReportStrategyFailure = (failure: { orgId: string; environmentId: string | null; requestId: string; error: StrategyError; context: Record<string, string> }) => void | Promise<void>;

export interface RequestServiceDeps {
  store: RequestStore;
  hooks: HookRunner;
  strategies: StrategyRegistry;
  reportFailure: ReportStrategyFailure;
  /** How long a request waits for a decision (seconds). */
  pendingTtlSeconds: number;
  /** Duration of access when the flow has no duration field (seconds). */
  defaultDurationSeconds?: number;
  /** Told after a transition that scheduled due work (wakes the job poller). */
  onJobsEnqueued?: () => void;
  now?: () => Date;
  newId?: () => string;
}

/** Job kinds the lifecycle schedules. */
export const JOB_KINDS = { escalate: 'escalate', deescalate: 'deescalate', expirePending: 'expire_pending' } as const;

type Redirect = { to: 'approve' } | { to: 'deny' | 'ignore'; message: string | null } | null;

function redirectOf(value: JsonValue | undefined): Redirect {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const message = typeof value.message === 'string' ? value.message : null;
  if (value.type === 'approval.approve') return { to: 'approve' };
  if (value.type === 'approval.deny') return { to: 'deny', message };
  if (value.type === 'approval.ignore') return { to: 'ignore', message };
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** Creates the lifecycle service; the routes and the job handlers call it. */
export function createRequestService(deps: RequestServiceDeps) {
  const { store, hooks, strategies } = deps;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const defaultDuration = deps.defaultDurationSeconds ?? 3600;

  const paramsOf = (r: Pick<RequestRecord, 'flowSnapshot'>): Record<string, unknown> => (isObject(r.flowSnapshot.params) ? r.flowSnapshot.params : {});
  const sourceOf = (r: Pick<RequestRecord, 'flowSnapshot'>): string => (typeof r.flowSnapshot.implementation === 'string' ? r.flowSnapshot.implementation : '');
  const strategyIdOf = (r: Pick<RequestRecord, 'flowSnapshot'>): string | null => {
    const id = paramsOf(r).strategy_id;
    return typeof id === 'string' && id ? id : null;
  };

  const event = (type: string, request: RequestRecord, actorUserId: string | null, actorTokenId: string | null, data: Record<string, JsonValue> = {}): NewRequestEvent => ({
    type,
    actorUserId,
    actorTokenId,
    data: { flow_version: request.flowVersion, ...data },
  });

  async function requireUser(orgId: string, by: { id: string } | { email: string }, pointer: string): Promise<UserRecord> {
    const user = await store.findUser(orgId, by);
    if (!user) throw new ApiError('validation_failed', 'No such user in this organization.', [{ pointer, detail: 'no user with this ' + ('id' in by ? 'id' : 'email') }]);
    return user;
  }

  /** The user the call acts for: a user token acts as itself; admin and bot tokens may name someone. */
  async function actingUser(actor: RequestActor, input: { user_email?: string; user_id?: string }, what: string): Promise<UserRecord> {
    const named = input.user_id !== undefined ? { id: input.user_id } : input.user_email !== undefined ? { email: input.user_email } : null;
    const pointer = input.user_id !== undefined ? '/user_id' : '/user_email';
    if (named) {
      const user = await requireUser(actor.orgId, named, pointer);
      if (actor.userId !== null && actor.role !== 'admin' && user.id !== actor.userId) {
        throw new ApiError('forbidden', `A user token acts as its own user; only admin and bot tokens may name the ${what}.`);
      }
      return user;
    }
    if (actor.userId === null) {
      throw new ApiError('validation_failed', `A bot token must name the ${what}.`, [{ pointer: '/user_email', detail: `user_email or user_id is required with a bot token` }]);
    }
    return requireUser(actor.orgId, { id: actor.userId }, '/user_id');
  }

  async function loadRequest(actor: RequestActor, id: string): Promise<RequestRecord> {
    const request = await store.get(actor.orgId, id);
    if (!request) throw new ApiError('not_found', `No request with id ${id} in this organization.`);
    return request;
  }

  async function targetOf(request: RequestRecord): Promise<EntityRecord | null> {
    return request.targetId ? store.findEntity(request.orgId, 'access-targets', request.targetId) : null;
  }

  /** The event for a step, with actors and earlier step outputs. */
  async function eventFor(type: string, request: RequestRecord, extraActors: Record<string, UserRecord> = {}): Promise<SymEvent> {
    const requester = await store.findUser(request.orgId, { id: request.requesterId });
    if (!requester) throw new Error(`requester ${request.requesterId} of request ${request.id} is gone`);
    const actors: Record<string, UserRecord> = { request: requester };
    if (request.decidedById) {
      const decider = await store.findUser(request.orgId, { id: request.decidedById });
      if (decider) actors[request.state === 'denied' ? 'deny' : 'approve'] = decider;
    }
    Object.assign(actors, extraActors);
    const events = await store.events(request.orgId, request.id);
    return buildEvent({ type, request, requester, target: await targetOf(request), actors, outputs: stepOutputs(events) });
  }

  /** Runs a hook whose failure must stop the step (on_*); SandboxErrors become 422 `hook_failed` for API callers. */
  async function runGate(request: RequestRecord, name: string, ev: SymEvent): Promise<Redirect> {
    try {
      const out = await hooks.run(sourceOf(request), name, ev, request.orgId);
      return out.exported ? redirectOf(out.value) : null;
    } catch (err) {
      throw new ApiError('hook_failed', `The flow's ${name} hook failed: ${errorText(err)}`);
    }
  }

  /**
   * Runs an after_* hook: failures are recorded on the request, never undo the step. The event is
   * built only when the source mentions the hook (building it costs a few queries).
   */
  async function runAfter(request: RequestRecord, name: string, makeEvent: () => Promise<SymEvent>): Promise<void> {
    if (!new RegExp(`\\b${name}\\b`).test(sourceOf(request))) return;
    try {
      await hooks.run(sourceOf(request), name, await makeEvent(), request.orgId);
    } catch (err) {
      await store.record(request.orgId, request.id, [event('request.hook_failed', request, null, null, { hook: name, error: errorText(err) })]);
    }
  }

  const escalateJob = (r: RequestRecord): NewJob => ({ kind: JOB_KINDS.escalate, orgId: r.orgId, requestId: r.id, dedupeKey: `escalate:${r.id}` });

  function view(r: RequestRecord, requester: Pick<UserRecord, 'email'> | null, events?: RequestEventRecord[], notifications?: ResolvedNotifications | null): RequestView {
    return {
      id: r.id,
      state: r.state,
      flow: { id: r.flowId, name: r.flowName, version: r.flowVersion },
      requester: { id: r.requesterId, email: requester?.email ?? '' },
      fields: r.fields,
      target_id: r.targetId,
      duration_seconds: r.durationSeconds,
      decided_by: r.decidedById,
      reason: r.reason,
      pending_until: iso(r.pendingUntil),
      active_until: iso(r.activeUntil),
      last_error: r.lastError,
      created_at: r.createdAt.toISOString(),
      updated_at: r.updatedAt.toISOString(),
      ...(events && {
        events: events.map((e) => ({ id: e.id, type: e.type, at: e.at.toISOString(), actor_user_id: e.actorUserId, actor_token_id: e.actorTokenId, data: e.data })),
        notifications: notificationsOf(events.find((e) => e.type === 'request.created')?.data),
      }),
      ...(notifications !== undefined && { notifications }),
    };
  }

  async function viewOf(r: RequestRecord, withEvents = false): Promise<RequestView> {
    const requester = await store.findUser(r.orgId, { id: r.requesterId });
    return view(r, requester, withEvents ? await store.events(r.orgId, r.id) : undefined);
  }

  /** Field specs of a flow: its prompt fields, else its form's fields. */
  async function fieldSpecsOf(orgId: string, params: Record<string, unknown>): Promise<FieldSpec[]> {
    const prompt = promptFieldSpecs(params);
    if (prompt.length > 0 || typeof params.form_id !== 'string') return prompt;
    const form = await store.findEntity(orgId, 'forms', params.form_id);
    return form ? formFieldSpecs(form.data) : [];
  }

  /** Who may approve/deny `request`: runs get_permissions, then get_approvers / get_approver. */
  async function checkDecider(request: RequestRecord, decider: UserRecord, ev: SymEvent): Promise<void> {
    const source = sourceOf(request);
    const call = async (name: string) => {
      try {
        return await hooks.run(source, name, ev, request.orgId);
      } catch (err) {
        throw new ApiError('hook_failed', `The flow's ${name} reducer failed: ${errorText(err)}`);
      }
    };
    const perms = await call('get_permissions');
    let recipients;
    if (!perms.exported || parsePermissions(perms.value).approveDeny === undefined) {
      let approvers = await call('get_approvers');
      if (!approvers.exported) approvers = await call('get_approver');
      if (approvers.exported) recipients = flattenRecipients(approvers.value);
    }
    const d: Decider = { id: decider.id, email: decider.email, role: decider.role, identities: decider.identities };
    const verdict = mayDecide({
      decider: d,
      requesterId: request.requesterId,
      allowGuest: paramsOf(request).allow_guest_interaction === true,
      ...(perms.exported && { permissions: parsePermissions(perms.value) }),
      ...(recipients && { recipients }),
    });
    if (!verdict.allowed) throw new ApiError('forbidden', verdict.reason);
  }

  /**
   * Where a new pending request's approval message goes: `get_request_notifications` if the flow
   * exports it, else the approvers' recipients. A reducer that fails never stops the request: its
   * failure is returned as a `request.hook_failed` event and the default applies.
   */
  async function resolveNotifications(request: RequestRecord, ev: SymEvent): Promise<{ resolved: ResolvedNotifications; failures: NewRequestEvent[] }> {
    const source = sourceOf(request);
    const failures: NewRequestEvent[] = [];
    const failed = (hook: string, err: unknown) => failures.push(event('request.hook_failed', request, null, null, { hook, error: errorText(err) }));
    try {
      const out = await hooks.run(source, 'get_request_notifications', ev, request.orgId);
      if (out.exported) return { resolved: { source: 'get_request_notifications', notifications: parseRequestNotifications(out.value) }, failures };
    } catch (err) {
      failed('get_request_notifications', err);
    }
    for (const name of ['get_approvers', 'get_approver']) {
      try {
        const out = await hooks.run(source, name, ev, request.orgId);
        if (out.exported) return { resolved: defaultNotifications(out.value), failures };
      } catch (err) {
        failed(name, err);
        break;
      }
    }
    return { resolved: defaultNotifications(undefined), failures };
  }

  const stateConflict = (r: RequestRecord, doing: string) => new ApiError('invalid_state', `The request is ${r.state}; it cannot be ${doing}.`);

  /** pending → approved (plus the escalate job for strategy flows). */
  async function approveTransition(request: RequestRecord, by: { userId: string | null; tokenId: string | null }, data: Record<string, JsonValue>, reason: string | null): Promise<RequestRecord | null> {
    return store.transition({
      orgId: request.orgId,
      requestId: request.id,
      from: ['pending'],
      set: { state: 'approved', decidedById: by.userId, reason, pendingUntil: null },
      events: [event('request.approved', request, by.userId, by.tokenId, { from: 'pending', to: 'approved', ...(reason !== null && { reason }), ...data })],
      jobs: strategyIdOf(request) ? [escalateJob(request)] : [],
    });
  }

  async function denyTransition(request: RequestRecord, by: { userId: string | null; tokenId: string | null }, data: Record<string, JsonValue>, reason: string | null): Promise<RequestRecord | null> {
    return store.transition({
      orgId: request.orgId,
      requestId: request.id,
      from: ['pending'],
      set: { state: 'denied', decidedById: by.userId, reason, pendingUntil: null },
      events: [event('request.denied', request, by.userId, by.tokenId, { from: 'pending', to: 'denied', ...(reason !== null && { reason }), ...data })],
    });
  }

  async function afterDecision(updated: RequestRecord, step: 'approve' | 'deny', decider: UserRecord | null) {
    deps.onJobsEnqueued?.();
    await runAfter(updated, `after_${step}`, () => eventFor(step, updated, decider ? { [step]: decider } : {}));
  }

  async function decide(actor: RequestActor, id: string, input: DecisionInput, step: 'approve' | 'deny'): Promise<RequestView> {
    const request = await loadRequest(actor, id);
    const decider = await actingUser(actor, input, step === 'approve' ? 'approver' : 'denier');
    if (request.state !== 'pending') throw stateConflict(request, step === 'approve' ? 'approved' : 'denied');
    const ev = await eventFor(step, request, { [step]: decider });
    // The requester may always withdraw their own request; everyone else needs approver rights.
    const withdrawing = step === 'deny' && decider.id === request.requesterId;
    if (!withdrawing) await checkDecider(request, decider, ev);
    const redirect = await runGate(request, `on_${step}`, ev);
    let to: 'approve' | 'deny' | 'ignore' = step;
    let reason = input.reason ?? null;
    if (redirect) {
      to = redirect.to;
      if (redirect.to !== 'approve' && redirect.message) reason = redirect.message;
    }
    // An on_deny that turns a withdrawal into an approval still needs someone allowed to approve.
    if (withdrawing && to === 'approve') await checkDecider(request, decider, ev);
    const by = { userId: decider.id, tokenId: actor.tokenId };
    const data: Record<string, JsonValue> = to !== step ? { redirected_by: `on_${step}` } : {};
    if (to === 'ignore') {
      await store.record(request.orgId, request.id, [event(`request.${step}_ignored`, request, decider.id, actor.tokenId, { hook: `on_${step}`, message: reason })]);
      return viewOf(request);
    }
    const updated = to === 'approve' ? await approveTransition(request, by, data, reason) : await denyTransition(request, by, data, reason);
    if (!updated) throw stateConflict((await store.get(request.orgId, request.id)) ?? request, step === 'approve' ? 'approved' : 'denied');
    await afterDecision(updated, to, decider);
    return viewOf(updated);
  }

  return {
    /** `POST /events/request`: validates, runs on_request, stores the request in its first state. */
    async request(actor: RequestActor, input: RequestInput): Promise<RequestView> {
      const requester = await actingUser(actor, input, 'requester');
      const flowRef = input.flow ?? input.flow_id ?? input.flow_name;
      const flowPointer = input.flow !== undefined ? '/flow' : input.flow_id !== undefined ? '/flow_id' : '/flow_name';
      if (!flowRef) throw new ApiError('validation_failed', 'Name the flow.', [{ pointer: '/flow', detail: 'flow, flow_id or flow_name is required' }]);
      const flow = await store.findFlow(actor.orgId, flowRef);
      if (!flow) throw new ApiError('validation_failed', `No flow "${flowRef}" in this organization.`, [{ pointer: flowPointer, detail: 'no such flow' }]);
      const params = isObject(flow.data.params) ? flow.data.params : {};
      const sources = params.allowed_sources;
      if (Array.isArray(sources) && !sources.includes('api')) throw new ApiError('forbidden', `Flow "${flow.name}" does not accept requests from the API (allowed_sources).`);
      if ((requester.role === 'guest' || actor.role === 'guest') && params.allow_guest_interaction !== true) {
        throw new ApiError('forbidden', `Flow "${flow.name}" does not allow guests (allow_guest_interaction).`);
      }

      const specs = await fieldSpecsOf(actor.orgId, params);
      const inputs = input.flow_inputs ?? {};
      const strategyId = typeof params.strategy_id === 'string' && params.strategy_id ? params.strategy_id : null;
      const { fields, errors } = validateFields(specs, inputs, strategyId ? [TARGET_FIELD] : []);
      let target: EntityRecord | null = null;
      if (strategyId) {
        const strategy = await store.findEntity(actor.orgId, 'access-strategies', strategyId);
        if (!strategy) errors.push({ pointer: flowPointer, detail: "the flow's strategy no longer exists" });
        else {
          const resolved = await resolveTarget(strategy, inputs[TARGET_FIELD], (kind, ref, byName) => store.findEntity(actor.orgId, kind, ref, byName));
          target = resolved.target;
          if (resolved.error) errors.push(resolved.error);
        }
      }
      if (errors.length > 0) throw new ApiError('validation_failed', 'The request does not match the flow\'s fields.', errors);

      // Access lasts the requested duration, capped by the flow (the largest allowed duration).
      // It is kept in its own column; hooks see it again as `fields.duration`.
      const requested = typeof fields[DURATION_FIELD] === 'number' ? (fields[DURATION_FIELD] as number) : strategyId ? defaultDuration : null;
      const cap = durationCapSeconds(specs);
      const durationSeconds = requested !== null && cap !== undefined ? Math.min(requested, cap) : requested;
      delete fields[DURATION_FIELD];
      if (target) fields[TARGET_FIELD] = target.id;

      const at = now();
      const draft: RequestRecord = {
        id: newId(),
        orgId: actor.orgId,
        flowId: flow.id,
        flowName: flow.name ?? '',
        flowVersion: flow.updatedAt.toISOString(),
        flowSnapshot: flow.data as Record<string, JsonValue>,
        requesterId: requester.id,
        fields,
        targetId: target?.id ?? null,
        durationSeconds,
        state: 'pending',
        decidedById: null,
        reason: null,
        pendingUntil: null,
        activeUntil: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
      };
      const ev = buildEvent({ type: 'request', request: draft, requester, target, actors: { request: requester } });
      let redirect: Redirect = null;
      let output: JsonValue | undefined;
      try {
        const out = await hooks.run(sourceOf(draft), 'on_request', ev, draft.orgId);
        if (out.exported) {
          output = out.value;
          redirect = redirectOf(out.value);
        }
      } catch (err) {
        throw new ApiError('hook_failed', `The flow's on_request hook failed: ${errorText(err)}`);
      }

      // Only a request that waits for a decision sends an approval message.
      const notified = redirect === null
        ? await resolveNotifications(draft, buildEvent({ type: 'request', request: draft, requester, target, actors: { request: requester }, ...(output !== undefined && { outputs: { on_request: output } }) }))
        : null;
      const created = event('request.created', draft, requester.id, actor.tokenId, {
        to: 'pending',
        fields: draft.fields,
        ...(output !== undefined && { step: 'on_request', output }),
        ...(notified && { notifications: notified.resolved as unknown as JsonValue }),
      });
      const events: NewRequestEvent[] = [created, ...(notified?.failures ?? [])];
      const jobs: NewJob[] = [];
      const byHook = { redirected_by: 'on_request' };
      if (redirect?.to === 'approve') {
        draft.state = 'approved';
        events.push(event('request.approved', draft, null, null, { from: 'pending', to: 'approved', ...byHook }));
        if (strategyId) jobs.push(escalateJob(draft));
      } else if (redirect?.to === 'deny' || redirect?.to === 'ignore') {
        draft.state = redirect.to === 'deny' ? 'denied' : 'ignored';
        draft.reason = redirect.message;
        events.push(event(`request.${draft.state}`, draft, null, null, { from: 'pending', to: draft.state, reason: redirect.message, ...byHook }));
      } else {
        draft.pendingUntil = new Date(at.getTime() + deps.pendingTtlSeconds * 1000);
        jobs.push({ kind: JOB_KINDS.expirePending, orgId: draft.orgId, requestId: draft.id, runAt: draft.pendingUntil, dedupeKey: `expire_pending:${draft.id}` });
      }
      const { createdAt: _c, updatedAt: _u, ...row } = draft;
      const stored = await store.create(row, events, jobs);
      if (jobs.length > 0) deps.onJobsEnqueued?.();
      await runAfter(stored, 'after_request', () => eventFor('request', stored));
      if (stored.state === 'approved') await runAfter(stored, 'after_approve', () => eventFor('approve', stored));
      if (stored.state === 'denied') await runAfter(stored, 'after_deny', () => eventFor('deny', stored));
      return view(stored, requester, undefined, notified?.resolved ?? null);
    },

    async list(actor: RequestActor, query: { state?: string; flow?: string; requester?: string; limit?: number; page_token?: string }): Promise<{ data: RequestView[]; next_page_token: string | null }> {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
      if (query.state !== undefined && !isRequestState(query.state)) throw new ApiError('validation_failed', `Unknown state "${query.state}".`, [{ pointer: '/state', detail: 'unknown state' }]);
      let flowId: string | undefined;
      if (query.flow !== undefined) flowId = (await store.findFlow(actor.orgId, query.flow))?.id ?? '00000000-0000-0000-0000-000000000000';
      let requesterId: string | undefined;
      if (query.requester !== undefined) {
        const user = await store.findUser(actor.orgId, query.requester.includes('@') ? { email: query.requester } : { id: query.requester });
        requesterId = user?.id ?? '00000000-0000-0000-0000-000000000000';
      }
      // Guests see only their own requests.
      if (actor.role === 'guest') {
        if (!actor.userId || (requesterId !== undefined && requesterId !== actor.userId)) return { data: [], next_page_token: null };
        requesterId = actor.userId;
      }
      if (query.page_token !== undefined) {
        const cursor = await store.get(actor.orgId, query.page_token);
        // A guest's token must name one of its own requests: others must not even be shown to exist.
        if (!cursor || (actor.role === 'guest' && cursor.requesterId !== actor.userId)) {
          throw new ApiError('validation_failed', 'Unknown page_token.', [{ pointer: '/page_token', detail: 'not a token from a previous page' }]);
        }
      }
      const rows = await store.list(actor.orgId, {
        ...(query.state !== undefined && { state: query.state as RequestState }),
        ...(flowId && { flowId }),
        ...(requesterId && { requesterId }),
        limit: limit + 1,
        ...(query.page_token !== undefined && { after: query.page_token }),
      });
      const page = rows.slice(0, limit);
      return { data: page.map((r) => view(r, { email: r.requesterEmail })), next_page_token: rows.length > limit ? page[page.length - 1]!.id : null };
    },

    async get(actor: RequestActor, id: string): Promise<RequestView> {
      const request = await loadRequest(actor, id);
      if (actor.role === 'guest' && request.requesterId !== actor.userId) throw new ApiError('not_found', `No request with id ${id} in this organization.`);
      return viewOf(request, true);
    },

    approve: (actor: RequestActor, id: string, input: DecisionInput) => decide(actor, id, input, 'approve'),
    deny: (actor: RequestActor, id: string, input: DecisionInput) => decide(actor, id, input, 'deny'),

    /** Takes granted access back early: the requester, an admin, or an approver may; the flow must allow it. */
    async revoke(actor: RequestActor, id: string, input: DecisionInput): Promise<RequestView> {
      const request = await loadRequest(actor, id);
      const revoker = await actingUser(actor, input, 'revoker');
      if (paramsOf(request).allow_revoke === false) throw new ApiError('forbidden', `Flow "${request.flowName}" does not allow revoking access (allow_revoke = false).`);
      if (request.state !== 'active') throw stateConflict(request, 'revoked');
      if (revoker.id !== request.requesterId && revoker.role !== 'admin') {
        await checkDecider(request, revoker, await eventFor('revoke', request, { revoke: revoker }));
      }
      const reason = input.reason ?? null;
      const updated = await store.transition({
        orgId: request.orgId,
        requestId: request.id,
        from: ['active'],
        set: { state: 'deescalating', reason },
        events: [event('request.revoked', request, revoker.id, actor.tokenId, { from: 'active', to: 'deescalating', ...(reason !== null && { reason }) })],
        jobs: [{ kind: JOB_KINDS.deescalate, orgId: request.orgId, requestId: request.id, dedupeKey: `revoke:${request.id}`, payload: { cause: 'revoke' } }],
      });
      if (!updated) throw stateConflict((await store.get(request.orgId, request.id)) ?? request, 'revoked');
      deps.onJobsEnqueued?.();
      return viewOf(updated);
    },

    /** Job `expire_pending`: nobody decided in time. */
    async expirePending(job: ClaimedJob): Promise<void> {
      const request = job.requestId && job.orgId ? await store.get(job.orgId, job.requestId) : null;
      if (!request || request.state !== 'pending') return;
      await store.transition({
        orgId: request.orgId,
        requestId: request.id,
        from: ['pending'],
        set: { state: 'expired' },
        events: [event('request.expired', request, null, null, { from: 'pending', to: 'expired', pending_until: iso(request.pendingUntil) })],
      });
    },

    /** Job `escalate`: on_escalate, then the strategy grants access, then active until expiry. */
    async escalate(job: ClaimedJob): Promise<void> {
      const request = job.requestId && job.orgId ? await store.get(job.orgId, job.requestId) : null;
      if (!request || request.state !== 'approved') return;
      const ev = await eventFor('escalate', request);
      let redirect: Redirect;
      try {
        const out = await hooks.run(sourceOf(request), 'on_escalate', ev, request.orgId);
        redirect = out.exported ? redirectOf(out.value) : null;
      } catch (err) {
        await store.record(request.orgId, request.id, [event('request.hook_failed', request, null, null, { hook: 'on_escalate', error: errorText(err) })], { lastError: errorText(err) });
        throw err;
      }
      if (redirect && redirect.to !== 'approve') {
        await store.transition({
          orgId: request.orgId,
          requestId: request.id,
          from: ['approved'],
          set: { state: 'denied', reason: redirect.message },
          events: [event('request.denied', request, null, null, { from: 'approved', to: 'denied', reason: redirect.message, redirected_by: 'on_escalate' })],
        });
        return;
      }
      const body = await runStrategy(request, 'escalate', ev, job);
      if (body === 'failed') return;
      const activeUntil = new Date(now().getTime() + (request.durationSeconds ?? defaultDuration) * 1000);
      const schedule = paramsOf(request).schedule_deescalation !== false;
      const updated = await store.transition({
        orgId: request.orgId,
        requestId: request.id,
        from: ['approved'],
        set: { state: 'active', activeUntil, lastError: null },
        events: [event('request.escalated', request, null, null, { from: 'approved', to: 'active', active_until: activeUntil.toISOString(), step: 'escalate', output: body ?? null })],
        jobs: schedule ? [{ kind: JOB_KINDS.deescalate, orgId: request.orgId, requestId: request.id, runAt: activeUntil, dedupeKey: `deescalate:${request.id}`, payload: { cause: 'expiry' } }] : [],
      });
      if (updated) await runAfter(updated, 'after_escalate', () => eventFor('escalate', updated));
    },

    /** Retries of `escalate` ran out: the request failed (access was never granted). */
    async escalateGaveUp(job: ClaimedJob, error: Error): Promise<void> {
      const request = job.requestId && job.orgId ? await store.get(job.orgId, job.requestId) : null;
      if (!request) return;
      await store.transition({
        orgId: request.orgId,
        requestId: request.id,
        from: ['approved'],
        set: { state: 'failed', lastError: errorText(error) },
        events: [event('request.escalation_failed', request, null, null, { from: 'approved', to: 'failed', error: errorText(error), final: true })],
      });
    },

    /**
     * Job `deescalate` (expiry or revoke): on_deescalate, then the strategy takes access back. An
     * expiring grant stays `active` while the strategy runs; its `request.expired` event is written
     * with the outcome (`done` or `deescalation_failed`) in one statement, so the common case costs
     * two writes fewer. A revoked grant is already `deescalating`.
     */
    async deescalate(job: ClaimedJob): Promise<void> {
      const request = job.requestId && job.orgId ? await store.get(job.orgId, job.requestId) : null;
      if (!request || !DEESCALATION_STATES.includes(request.state)) return;
      const expiring = request.state === 'active';
      const expired = (to: RequestState) =>
        expiring ? [event('request.expired', request, null, null, { from: 'active', to, active_until: iso(request.activeUntil) })] : [];
      // Hooks and the strategy see the grant as being taken back, whichever way it got here.
      const ev = await eventFor('deescalate', expiring ? { ...request, state: 'deescalating' } : request);
      // on_deescalate may observe but not stop taking access back: a hook must not keep access alive.
      try {
        const out = await hooks.run(sourceOf(request), 'on_deescalate', ev, request.orgId);
        if (out.exported && redirectOf(out.value)) {
          await store.record(request.orgId, request.id, [event('request.hook_redirect_ignored', request, null, null, { hook: 'on_deescalate' })]);
        }
      } catch (err) {
        await store.record(request.orgId, request.id, [event('request.hook_failed', request, null, null, { hook: 'on_deescalate', error: errorText(err) })]);
      }
      const body = await runStrategy(request, 'deescalate', ev, job, expired('deescalation_failed'));
      if (body === 'failed') return;
      const deescalated = (from: RequestState) => event('request.deescalated', request, null, null, { from, to: 'done', step: 'deescalate', output: body ?? null });
      const done = { orgId: request.orgId, requestId: request.id, set: { state: 'done' as const, lastError: null } };
      // Still active (the usual case): expired and deescalated together. Otherwise (revoked meanwhile,
      // or a retry after a failure) only deescalated.
      const updated =
        (expiring ? await store.transition({ ...done, from: ['active'], events: [...expired('done'), deescalated('active')] }) : null) ??
        (await store.transition({ ...done, from: ['deescalating', 'deescalation_failed'], events: [deescalated(request.state === 'active' ? 'deescalating' : request.state)] }));
      if (updated) await runAfter(updated, 'after_deescalate', () => eventFor('deescalate', updated));
    },

    /** Retries of one `deescalate` job ran out: schedule another, later; a failed deescalation is never dropped. */
    async deescalateGaveUp(job: ClaimedJob, error: Error): Promise<void> {
      if (!job.requestId || !job.orgId) return;
      const request = await store.get(job.orgId, job.requestId);
      if (!request || !DEESCALATION_STATES.includes(request.state)) return;
      await store.record(request.orgId, request.id, [event('request.deescalation_rescheduled', request, null, null, { error: errorText(error), job_id: job.id })], { lastError: errorText(error) });
      await store.enqueue({
        kind: JOB_KINDS.deescalate,
        orgId: job.orgId,
        requestId: job.requestId,
        runAt: new Date(now().getTime() + 3600_000),
        dedupeKey: `deescalate:${job.requestId}:after:${job.id}`,
        payload: job.payload,
      });
    },
  };

  /**
   * Calls the strategy with a step-stable idempotency key. Failures are reported and recorded;
   * retryable ones are rethrown so the job is retried. Returns 'failed' when the step is over.
   */
  async function runStrategy(
    request: RequestRecord,
    action: 'escalate' | 'deescalate',
    ev: SymEvent,
    job: ClaimedJob,
    /** Events to write with a failed deescalation's state (an expiring grant's `request.expired`). */
    withFailure: NewRequestEvent[] = [],
  ): Promise<JsonValue | undefined | 'failed'> {
    // The registry reports failures of runner calls itself; report only what failed before reaching one.
    const fail = async (error: StrategyError, reported = false) => {
      if (!reported) await deps.reportFailure({
        orgId: request.orgId,
        environmentId: typeof request.flowSnapshot.environment_id === 'string' ? request.flowSnapshot.environment_id : null,
        requestId: request.id,
        error,
        context: { action, job_id: job.id, attempt: String(job.attempt) },
      });
      const data = { error: error.message, retryable: error.retryable, attempt: job.attempt };
      if (action === 'escalate') {
        if (!error.retryable) {
          await store.transition({
            orgId: request.orgId,
            requestId: request.id,
            from: ['approved'],
            set: { state: 'failed', lastError: error.message },
            events: [event('request.escalation_failed', request, null, null, { ...data, from: 'approved', to: 'failed', final: true })],
          });
          return 'failed' as const;
        }
        await store.record(request.orgId, request.id, [event('request.escalation_failed', request, null, null, data)], { lastError: error.message });
      } else {
        // Kept as state, visible in the API, and retried until it succeeds.
        await store.transition({
          orgId: request.orgId,
          requestId: request.id,
          from: ['active', 'deescalating', 'deescalation_failed'],
          set: { state: 'deescalation_failed', lastError: error.message },
          events: [...withFailure, event('request.deescalation_failed', request, null, null, { ...data, from: request.state, to: 'deescalation_failed' })],
        });
      }
      throw error;
    };

    const strategyId = strategyIdOf(request);
    const strategy = strategyId ? await store.findEntity(request.orgId, 'access-strategies', strategyId) : null;
    // A request made without a target (its strategy has none) runs with `target: null`.
    const target = await targetOf(request);
    if (!strategy || (request.targetId !== null && !target)) {
      return fail(new StrategyError(`the flow's ${strategy ? 'target' : 'strategy'} no longer exists`, action === 'deescalate'));
    }
    let runner;
    try {
      runner = strategies.runnerFor(strategy);
    } catch (err) {
      return fail(err instanceof StrategyError ? err : new StrategyError(errorText(err)));
    }
    try {
      const idempotencyKey = `${action}:${request.id}`;
      // Also on the event, so a custom strategy's code can pass it on to the API it calls.
      const invocation = { orgId: request.orgId, requestId: request.id, idempotencyKey, action, strategy, target, event: { ...ev, idempotency_key: idempotencyKey } };
      const outcome = action === 'escalate' ? await runner.escalate(invocation) : await runner.deescalate(invocation);
      return outcome.body;
    } catch (err) {
      return fail(err instanceof StrategyError ? err : new StrategyError(errorText(err)), true);
    }
  }
}

/** The lifecycle service. */
export type RequestService = ReturnType<typeof createRequestService>;
