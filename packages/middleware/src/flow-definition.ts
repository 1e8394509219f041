import { unwrap, type SymClient } from '@opensym/api-client';

/** One request field of a flow, as the approval form shows it. */
export interface FlowField {
  name: string;
  label: string;
  type: 'string' | 'str_list' | 'int' | 'int_list' | 'bool' | 'duration' | 'slack_user' | 'slack_user_list';
  required: boolean;
  default: string | null;
  allowedValues: string[] | null;
  visible: boolean;
}

/** What the approval page needs to know about a flow. */
export interface FlowDefinition {
  id: string;
  name: string;
  label: string;
  /** Markdown-free header text the flow shows above its form (`params.additional_header_text`). */
  headerText: string | null;
  /** A flow with a strategy grants access (`active`); an approval-only one ends at `approved`. */
  hasStrategy: boolean;
  fields: FlowField[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] | null => (Array.isArray(v) ? v.map(String) : null);

/**
 * Reads a flow by name and its request fields the way the control plane derives them: its
 * `prompt_field` blocks (required unless `required = false`), else the fields of the `sym_form`
 * named by `form_id` (optional unless `required = true`). The token needs read access to
 * entities (a member or admin bot token).
 */
export async function loadFlowDefinition(client: SymClient, flow: string): Promise<FlowDefinition> {
  const page = await unwrap(client.raw.GET('/api/v1/entities/flows', { params: { query: { slug: flow, limit: 1 } } }));
  const entity = page.data[0] as Obj | undefined;
  if (!entity) throw new Error(`the control plane has no flow named ${JSON.stringify(flow)}`);
  const params = isObject(entity.params) ? entity.params : {};
  let fields: FlowField[];
  if (Array.isArray(params.prompt_field) && params.prompt_field.length > 0) {
    fields = params.prompt_field.filter(isObject).map((b) => ({
      name: String(b.name),
      label: typeof b.label === 'string' && b.label !== '' ? b.label : String(b.name),
      type: b.type as FlowField['type'],
      required: b.required !== false,
      default: typeof b.default === 'string' ? b.default : null,
      allowedValues: strings(b.allowed_values),
      visible: b.visible !== false,
    }));
  } else if (typeof params.form_id === 'string') {
    const form = (await unwrap(client.raw.GET('/api/v1/entities/forms/{id}', { params: { path: { id: params.form_id } } }))) as Obj;
    const map = isObject(form.field) ? form.field : {};
    fields = Object.entries(map)
      .filter((entry): entry is [string, Obj] => isObject(entry[1]))
      .map(([name, f]) => ({
        name,
        label: typeof f.label === 'string' && f.label !== '' ? f.label : name,
        type: f.type as FlowField['type'],
        required: f.required === true,
        default: null,
        allowedValues: strings(f.allowed_values),
        visible: true,
      }));
  } else {
    fields = [];
  }
  return {
    id: String(entity.id),
    name: String(entity.name),
    label: typeof entity.label === 'string' && entity.label !== '' ? entity.label : String(entity.name),
    headerText: typeof params.additional_header_text === 'string' ? params.additional_header_text : null,
    hasStrategy: typeof params.strategy_id === 'string' && params.strategy_id !== '',
    fields,
  };
}
