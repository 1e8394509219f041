/**
 * The flow parameters the lifecycle reads, typed and parsed once from the flow snapshot a request
 * carries (the flow as it was when the request was made), so no module digs in raw JSON.
 */
import type { JsonValue } from '@opensym/schemas';

/** A flow's settings as the lifecycle uses them (defaults applied). */
export interface FlowParams {
  /** The flow's hook source (`implementation`); empty when it has none. */
  source: string;
  environmentId: string | null;
  /** The `access-strategies` entity that grants access; null for approval-only flows. */
  strategyId: string | null;
  /** `allow_revoke` (default true). */
  allowRevoke: boolean;
  /** `allow_guest_interaction` (default false). */
  allowGuestInteraction: boolean;
  /** `schedule_deescalation` (default true): expiry takes access back. */
  scheduleDeescalation: boolean;
  /** `allowed_sources`; null when the flow does not restrict them. */
  allowedSources: readonly string[] | null;
  /** `form_id`: where the fields come from when there are no prompt fields. */
  formId: string | null;
  /** The raw `params` object (the field parsers read `prompt_field` blocks from it). */
  raw: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Parses the parameters of a flow's data (an entity's `data`, or a request's `flowSnapshot`). */
export function parseFlowParams(data: Record<string, unknown>): FlowParams {
  const raw = isObject(data.params) ? data.params : {};
  return {
    source: typeof data.implementation === 'string' ? data.implementation : '',
    environmentId: text(data.environment_id),
    strategyId: text(raw.strategy_id),
    allowRevoke: raw.allow_revoke !== false,
    allowGuestInteraction: raw.allow_guest_interaction === true,
    scheduleDeescalation: raw.schedule_deescalation !== false,
    allowedSources: Array.isArray(raw.allowed_sources) ? raw.allowed_sources.filter((s): s is string => typeof s === 'string') : null,
    formId: text(raw.form_id),
    raw,
  };
}

// Snapshots are immutable once read; one parse per snapshot object.
const parsed = new WeakMap<object, FlowParams>();

/** The parameters of the flow snapshot a request runs on. */
export function flowParamsOf(request: { flowSnapshot: Record<string, JsonValue> }): FlowParams {
  let params = parsed.get(request.flowSnapshot);
  if (!params) {
    params = parseFlowParams(request.flowSnapshot);
    parsed.set(request.flowSnapshot, params);
  }
  return params;
}
