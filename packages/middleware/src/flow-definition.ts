import { unwrap, type components, type SymClient } from '@opensym/api-client';

type FlowEntity = components['schemas']['flows.entity'];
type FormEntity = components['schemas']['forms.entity'];
type PromptField = NonNullable<NonNullable<FlowEntity['params']>['prompt_field']>[number];

/** One request field of a flow, as the approval form shows it. */
export interface FlowField {
  name: string;
  label: string;
  /** The field's value type, as the API's `prompt_field.type` (and `sym_form` field type) enum. */
  type: PromptField['type'];
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

/**
 * Reads a flow by name and its request fields the way the control plane derives them: its
 * `prompt_field` blocks (required unless `required = false`), else the fields of the `sym_form`
 * named by `form_id` (optional unless `required = true`). The token needs read access to
 * entities (a member or admin bot token).
 */
export async function loadFlowDefinition(client: SymClient, flow: string): Promise<FlowDefinition> {
  const page = await unwrap(client.raw.GET('/api/v1/entities/flows', { params: { query: { slug: flow, limit: 1 } } }));
  const entity: FlowEntity | undefined = page.data[0];
  if (!entity) throw new Error(`the control plane has no flow named ${JSON.stringify(flow)}`);
  const params = entity.params;
  let fields: FlowField[];
  if (params?.prompt_field && params.prompt_field.length > 0) {
    fields = params.prompt_field.map((b) => ({
      name: b.name,
      label: b.label ? b.label : b.name,
      type: b.type,
      required: b.required !== false,
      default: b.default ?? null,
      allowedValues: b.allowed_values ?? null,
      visible: b.visible !== false,
    }));
  } else if (params?.form_id) {
    const form: FormEntity = await unwrap(client.raw.GET('/api/v1/entities/forms/{id}', { params: { path: { id: params.form_id } } }));
    fields = Object.entries(form.field ?? {}).map(([name, f]) => ({
      name,
      label: f.label ? f.label : name,
      type: f.type,
      required: f.required === true,
      default: null,
      allowedValues: f.allowed_values ?? null,
      visible: true,
    }));
  } else {
    fields = [];
  }
  return {
    id: entity.id ?? '',
    name: entity.name,
    label: entity.label ? entity.label : entity.name,
    headerText: params?.additional_header_text ?? null,
    hasStrategy: Boolean(params?.strategy_id),
    fields,
  };
}
