/**
 * A flow's request form for clients that render one (Slack's request modal): its fields with
 * labels, its targets, and the check of submitted inputs, with the same rules `POST
 * /events/request` applies (`request-fields.ts`, `request-target.ts`), so a form shows the errors
 * the API would give before the request is made.
 */
import type { FieldError } from '../../errors/api-error';
import { fieldSpecsOf } from './create-request';
import { parseFlowParams } from './flow-params';
import type { LifecycleContext } from './lifecycle-context';
import { TARGET_FIELD, validateFields, type FieldSpec } from './request-fields';
import { resolveTarget, strategyTargetIds } from './request-target';

/** What a form shows for one flow. */
export interface RequestForm {
  flow: { id: string; name: string; label: string };
  fields: FieldSpec[];
  /** The strategy's targets to choose from; null for approval-only flows and strategies without targets. */
  targets: { id: string; name: string; label: string }[] | null;
  /** `params.additional_header_text`. */
  headerText: string | null;
  /** `params.allowed_sources` (null: every source). */
  allowedSources: readonly string[] | null;
  allowGuests: boolean;
}

/** The form of flow `flowRef` (id or name), or null when there is no such flow. */
export async function requestForm(ctx: Pick<LifecycleContext, 'store'>, orgId: string, flowRef: string): Promise<RequestForm | null> {
  const flow = await ctx.store.findFlow(orgId, flowRef);
  if (!flow) return null;
  const params = parseFlowParams(flow.data);
  const fields = await fieldSpecsOf(ctx, orgId, params);
  let targets: RequestForm['targets'] = null;
  if (params.strategyId) {
    const strategy = await ctx.store.findEntity(orgId, 'access-strategies', params.strategyId);
    const ids = strategy ? strategyTargetIds(strategy) : [];
    if (ids.length > 0) {
      const found = await Promise.all(ids.map((id) => ctx.store.findEntity(orgId, 'access-targets', id)));
      targets = found.flatMap((t) => (t ? [{ id: t.id, name: t.name ?? t.id, label: typeof t.data.label === 'string' && t.data.label ? t.data.label : (t.name ?? t.id) }] : []));
    }
  }
  const name = flow.name ?? flow.id;
  return {
    flow: { id: flow.id, name, label: typeof flow.data.label === 'string' && flow.data.label ? flow.data.label : name },
    fields,
    targets,
    headerText: typeof params.raw.additional_header_text === 'string' ? params.raw.additional_header_text : null,
    allowedSources: params.allowedSources,
    allowGuests: params.allowGuestInteraction,
  };
}

/** The field errors `POST /events/request` would give for `inputs` (pointers `/flow_inputs/<name>`). */
export async function checkRequestInputs(ctx: Pick<LifecycleContext, 'store'>, orgId: string, flowRef: string, inputs: Record<string, unknown>): Promise<FieldError[]> {
  const flow = await ctx.store.findFlow(orgId, flowRef);
  if (!flow) return [{ pointer: '/flow', detail: 'no such flow' }];
  const params = parseFlowParams(flow.data);
  const specs = await fieldSpecsOf(ctx, orgId, params);
  const { errors } = validateFields(specs, inputs, params.strategyId ? [TARGET_FIELD] : []);
  if (params.strategyId) {
    const strategy = await ctx.store.findEntity(orgId, 'access-strategies', params.strategyId);
    if (strategy) {
      const resolved = await resolveTarget(strategy, inputs[TARGET_FIELD], (kind, ref, byName) => ctx.store.findEntity(orgId, kind, ref, byName));
      if (resolved.error) errors.push(resolved.error);
    }
  }
  return errors;
}
