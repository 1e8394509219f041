/**
 * Transition "request": validates a new request against its flow, runs `on_request`, and stores
 * it in its first state (pending, or approved/denied/ignored when `on_request` decided) with its
 * events and jobs in one write.
 */
import type { JsonValue } from '@opensym/schemas';
import { ApiError } from '../../errors/api-error';
import type { NewJob } from '../../jobs/job-queue';
import type { EntityRecord } from '../../shared/entity-record';
import { assertMayTakePart } from './acting-rights';
import { actingUser } from './acting-user';
import { parseFlowParams, type FlowParams } from './flow-params';
import { redirectOf, runAfter, type Redirect } from './flow-hooks';
import type { LifecycleContext, RequestActor, RequestInput } from './lifecycle-context';
import { newEvent } from './lifecycle-events';
import { escalateJob, expirePendingJob } from './lifecycle-jobs';
import { hookFailureText } from './hook-failure';
import { resolveNotifications } from './pending-notifications';
import { buildEvent } from './request-event';
import { DURATION_FIELD, TARGET_FIELD, durationCapSeconds, formFieldSpecs, promptFieldSpecs, validateFields, type FieldSpec } from './request-fields';
import type { NewRequestEvent, RequestRecord } from './request-store';
import { resolveTarget } from './request-target';
import { view, type RequestView } from './request-view';
import { eventFor } from './step-event';

/** Field specs of a flow: its prompt fields, else its form's fields. */
export async function fieldSpecsOf(ctx: Pick<LifecycleContext, 'store'>, orgId: string, params: FlowParams): Promise<FieldSpec[]> {
  const prompt = promptFieldSpecs(params.raw);
  if (prompt.length > 0 || params.formId === null) return prompt;
  const form = await ctx.store.findEntity(orgId, 'forms', params.formId);
  return form ? formFieldSpecs(form.data) : [];
}

/** `POST /events/request`: validates, runs on_request, stores the request in its first state. */
export async function createRequest(ctx: LifecycleContext, actor: RequestActor, input: RequestInput): Promise<RequestView> {
  const { store, hooks } = ctx;
  const requester = await actingUser(ctx, actor, input, 'requester');
  const flowRef = input.flow ?? input.flow_id ?? input.flow_name;
  const flowPointer = input.flow !== undefined ? '/flow' : input.flow_id !== undefined ? '/flow_id' : '/flow_name';
  if (!flowRef) throw new ApiError('validation_failed', 'Name the flow.', [{ pointer: '/flow', detail: 'flow, flow_id or flow_name is required' }]);
  const flow = await store.findFlow(actor.orgId, flowRef);
  if (!flow) throw new ApiError('validation_failed', `No flow "${flowRef}" in this organization.`, [{ pointer: flowPointer, detail: 'no such flow' }]);
  const params = parseFlowParams(flow.data);
  const source = actor.source ?? 'api';
  if (params.allowedSources && !params.allowedSources.includes(source)) {
    throw new ApiError('forbidden', `Flow "${flow.name}" does not accept requests from ${source === 'api' ? 'the API' : 'Slack'} (allowed_sources).`);
  }
  assertMayTakePart(params, flow.name ?? '', requester);

  const specs = await fieldSpecsOf(ctx, actor.orgId, params);
  const inputs = input.flow_inputs ?? {};
  const { strategyId } = params;
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
  if (errors.length > 0) throw new ApiError('validation_failed', "The request does not match the flow's fields.", errors);

  // Access lasts the requested duration, capped by the flow (the largest allowed duration).
  // It is kept in its own column; hooks see it again as `fields.duration`.
  const requested = typeof fields[DURATION_FIELD] === 'number' ? (fields[DURATION_FIELD] as number) : strategyId ? ctx.defaultDurationSeconds : null;
  const cap = durationCapSeconds(specs);
  const durationSeconds = requested !== null && cap !== undefined ? Math.min(requested, cap) : requested;
  delete fields[DURATION_FIELD];
  if (target) fields[TARGET_FIELD] = target.id;

  const at = ctx.now();
  const draft: RequestRecord = {
    id: ctx.newId(),
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
    const out = await hooks.run(params.source, 'on_request', ev, draft.orgId);
    if (out.exported) {
      output = out.value;
      redirect = redirectOf(out.value);
    }
  } catch (err) {
    throw new ApiError('hook_failed', hookFailureText('on_request hook', err));
  }

  // Only a request that waits for a decision sends an approval message.
  const notified =
    redirect === null
      ? await resolveNotifications(
          ctx,
          draft,
          buildEvent({ type: 'request', request: draft, requester, target, actors: { request: requester }, ...(output !== undefined && { outputs: { on_request: output } }) }),
        )
      : null;
  const created = newEvent('request.created', draft, requester.id, actor.tokenId, {
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
    events.push(newEvent('request.approved', draft, null, null, { from: 'pending', to: 'approved', ...byHook }));
    if (strategyId) jobs.push(escalateJob(draft));
  } else if (redirect?.to === 'deny' || redirect?.to === 'ignore') {
    draft.state = redirect.to === 'deny' ? 'denied' : 'ignored';
    draft.reason = redirect.message;
    events.push(newEvent(`request.${draft.state}`, draft, null, null, { from: 'pending', to: draft.state, reason: redirect.message, ...byHook }));
  } else {
    draft.pendingUntil = new Date(at.getTime() + ctx.pendingTtlSeconds * 1000);
    jobs.push(expirePendingJob(draft, draft.pendingUntil));
  }
  // The whole draft, times included (the store answers with the database's): in V8 (Node 20)
  // adding keys to a spread copy is a slow path (µs a call), overriding keys it has is not.
  const stored = await store.create(draft, events, jobs);
  if (jobs.length > 0) ctx.onJobsEnqueued();
  await runAfter(ctx, stored, 'after_request', () => eventFor(ctx, 'request', stored));
  if (stored.state === 'approved') await runAfter(ctx, stored, 'after_approve', () => eventFor(ctx, 'approve', stored));
  if (stored.state === 'denied') await runAfter(ctx, stored, 'after_deny', () => eventFor(ctx, 'deny', stored));
  return view(stored, requester, undefined, notified?.resolved ?? null);
}
