/**
 * The request modal: a flow's fields rendered as Block Kit inputs by type (`string`, `int`,
 * `bool`, `duration`, `str_list`, `int_list`, `slack_user`, `slack_user_list`; `allowed_values` as a
 * select; `required`, `default`, `label`), the strategy's targets as a select, the flow picker, and
 * reading a `view_submission` back into `flow_inputs` for the API's own validation.
 */
import type { FieldError } from '../../errors/api-error';
import type { SlackBlock } from '../../integrations/slack/slack-client';
import type { RequestForm } from '../requests/request-service';

/** Callback ids of the modals. */
export const CALLBACKS = { request: 'sym_request', pickFlow: 'sym_pick_flow', denyReason: 'sym_deny_reason' } as const;

const TARGET = 'target';
const blockIdOf = (name: string) => `field:${name}`;
const plain = (text: string, max: number) => ({ type: 'plain_text', text: text.length > max ? `${text.slice(0, max - 1)}…` : text });
const option = (value: string, label = value) => ({ text: plain(label, 75), value: value.slice(0, 150) });

type Spec = RequestForm['fields'][number];

function elementFor(spec: Spec): SlackBlock {
  const base = { action_id: 'value' };
  const def = spec.default ?? undefined;
  const list = spec.type.endsWith('_list');
  if (spec.allowedValues && spec.allowedValues.length > 0) {
    const options = spec.allowedValues.slice(0, 100).map((v) => option(v));
    const initial = def !== undefined ? options.find((o) => o.value === def) : undefined;
    return { type: list ? 'multi_static_select' : 'static_select', ...base, options, ...(initial && (list ? { initial_options: [initial] } : { initial_option: initial })) };
  }
  switch (spec.type) {
    case 'bool': {
      const options = [option('true', 'Yes'), option('false', 'No')];
      const initial = options.find((o) => o.value === def);
      return { type: 'static_select', ...base, options, ...(initial && { initial_option: initial }) };
    }
    case 'int':
      return { type: 'number_input', ...base, is_decimal_allowed: false, ...(def !== undefined && { initial_value: def }) };
    case 'slack_user':
      return { type: 'users_select', ...base };
    case 'slack_user_list':
      return { type: 'multi_users_select', ...base };
    case 'str_list':
    case 'int_list':
      return { type: 'plain_text_input', ...base, multiline: true, placeholder: plain('One per line', 150), ...(def !== undefined && { initial_value: def }) };
    case 'duration':
      return { type: 'plain_text_input', ...base, placeholder: plain('30m, 1h, 1d', 150), ...(def !== undefined && { initial_value: def }) };
    default:
      return { type: 'plain_text_input', ...base, ...(def !== undefined && { initial_value: def }) };
  }
}

/** The modal for one flow; `metadata` travels back in `private_metadata`. */
export function requestModal(form: RequestForm, metadata: Record<string, string>): SlackBlock {
  const blocks: SlackBlock[] = [];
  if (form.headerText) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: form.headerText.slice(0, 3000) } });
  if (form.targets) {
    const options = form.targets.slice(0, 100).map((t) => option(t.id, t.label));
    // With a single target the API picks it when none is given: preselected and optional.
    const only = options.length === 1 ? options[0] : undefined;
    blocks.push({
      type: 'input',
      block_id: blockIdOf(TARGET),
      optional: Boolean(only),
      label: plain('Target', 2000),
      element: { type: 'static_select', action_id: 'value', options, ...(only && { initial_option: only }) },
    });
  }
  for (const spec of form.fields.slice(0, 95)) {
    // A default fills an empty field on the server side too, so such a field may be left empty.
    blocks.push({ type: 'input', block_id: blockIdOf(spec.name), optional: !spec.required || spec.default != null, label: plain(spec.label || spec.name, 2000), element: elementFor(spec) });
  }
  if (blocks.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'This flow asks for nothing more: submit to request it.' } });
  return {
    type: 'modal',
    callback_id: CALLBACKS.request,
    private_metadata: JSON.stringify({ ...metadata, flow: form.flow.id }),
    title: plain(form.flow.label, 24),
    submit: plain('Request', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** A modal to choose among several flows first. */
export function flowPickerModal(flows: { id: string; label: string }[], metadata: Record<string, string>): SlackBlock {
  return {
    type: 'modal',
    callback_id: CALLBACKS.pickFlow,
    private_metadata: JSON.stringify(metadata),
    title: plain('Request access', 24),
    submit: plain('Next', 24),
    close: plain('Cancel', 24),
    blocks: [{ type: 'input', block_id: 'flow', label: plain('Flow', 2000), element: { type: 'static_select', action_id: 'value', options: flows.slice(0, 100).map((f) => option(f.id, f.label)) } }],
  };
}

/** A modal that only says `text` (a submission refused for a reason no field holds). */
export function noticeModal(text: string): SlackBlock {
  return {
    type: 'modal',
    title: plain('Request access', 24),
    close: plain('Close', 24),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
  };
}

/** The modal asking for a denial's message. */
export function denyReasonModal(requestId: string, metadata: Record<string, string>): SlackBlock {
  return {
    type: 'modal',
    callback_id: CALLBACKS.denyReason,
    private_metadata: JSON.stringify({ ...metadata, request: requestId }),
    title: plain('Deny request', 24),
    submit: plain('Deny', 24),
    close: plain('Cancel', 24),
    blocks: [{ type: 'input', block_id: 'reason', optional: true, label: plain('Why? (shown to the requester)', 2000), element: { type: 'plain_text_input', action_id: 'value', multiline: true } }],
  };
}

type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_user?: string | null;
  selected_users?: string[];
};

/** The value of one input as Slack submitted it (null: left empty). */
function valueOf(state: StateValue, spec: Spec | undefined): unknown {
  if (state.selected_option !== undefined) return state.selected_option?.value ?? null;
  if (state.selected_options !== undefined) return state.selected_options.length > 0 ? state.selected_options.map((o) => o.value) : null;
  if (state.selected_user !== undefined) return state.selected_user ?? null;
  if (state.selected_users !== undefined) return state.selected_users.length > 0 ? state.selected_users : null;
  const text = state.value ?? null;
  if (text === null || text === '') return null;
  // Lists are typed one item per line.
  if (spec && (spec.type === 'str_list' || spec.type === 'int_list')) {
    const items = text
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length > 0 ? items : null;
  }
  return text;
}

/** A submission's `view.state.values` as `flow_inputs` (empty inputs left out, so defaults apply). */
export function inputsOf(form: Pick<RequestForm, 'fields'>, values: Record<string, Record<string, StateValue>>): Record<string, unknown> {
  const specs = new Map(form.fields.map((s) => [s.name, s]));
  const inputs: Record<string, unknown> = {};
  for (const [blockId, actions] of Object.entries(values ?? {})) {
    if (!blockId.startsWith('field:')) continue;
    const name = blockId.slice('field:'.length);
    const state = actions?.value;
    if (!state) continue;
    const value = valueOf(state, specs.get(name));
    if (value !== null) inputs[name] = value;
  }
  return inputs;
}

/** The text typed in a single-input modal (the deny reason, the picked flow). */
export function singleValue(values: Record<string, Record<string, StateValue>>, blockId: string): string | null {
  const state = values?.[blockId]?.value;
  if (!state) return null;
  const v = valueOf(state, undefined);
  return typeof v === 'string' ? v : null;
}

/** API field errors as `response_action: errors` (block id → message); errors without a field go on the first input. */
export function modalErrors(form: Pick<RequestForm, 'fields' | 'targets'>, errors: FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  const known = new Set([...form.fields.map((f) => f.name), ...(form.targets ? [TARGET] : [])]);
  const first = form.targets ? TARGET : form.fields[0]?.name;
  for (const e of errors) {
    const name = e.pointer.startsWith('/flow_inputs/') ? decodeURIComponent(e.pointer.slice('/flow_inputs/'.length)).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
    const at = name && known.has(name) ? name : first;
    if (!at) continue;
    const key = blockIdOf(at);
    out[key] = out[key] ? `${out[key]}; ${e.detail}` : e.detail;
  }
  return out;
}
