/** `sym_flow`: an access workflow: who may request what, who approves, and what happens. */
import type { BlockSpec, ResourceSpec } from '../model';
import {
  emptyAsUnset,
  idAttribute,
  implementationAttribute,
  implementationHashAttribute,
  labelAttribute,
  nameAttribute,
  promptFieldTypes,
  referenceAttribute,
  varsAttribute,
} from './common-attributes';

/** Where requests may come from (`params.allowed_sources`). */
export const requestSources = ['slack', 'api'] as const;

/** The repeatable `prompt_field` block inside `params`: one field of the request form. */
export const promptFieldBlock: BlockSpec = {
  nesting: 'list',
  description: 'A field of the request form. Fields appear in the order given.',
  attributes: {
    name: {
      type: 'string',
      presence: 'required',
      description: 'Field name, used as the key in `request.fields` inside hooks.',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
    },
    type: {
      type: 'string',
      presence: 'required',
      description: 'Value type of the field.',
      oneOf: promptFieldTypes,
    },
    label: { type: 'string', ...emptyAsUnset, description: 'Label shown on the form; defaults to the field name.' },
    required: { type: 'bool', presence: 'optional_computed', default: true, description: 'Whether the requester must fill the field.' },
    default: { type: 'string', ...emptyAsUnset, description: 'Value pre-filled on the form, written as a string.' },
    visible: { type: 'bool', presence: 'optional_computed', default: true, description: 'Whether the field is shown; hidden fields are filled by hooks or defaults.' },
    allowed_values: {
      type: { list: 'string' },
      ...emptyAsUnset,
      description: 'Values the requester may choose from, shown as a menu.',
    },
    prefetch: {
      type: 'bool',
      presence: 'optional_computed',
      default: false,
      description: 'Whether the allowed values are fetched by the `prefetch` hook when the form opens.',
    },
    on_change: { type: 'string', ...emptyAsUnset, description: 'Name of the hook called when the field value changes.' },
  },
};

/** The `params` block of `sym_flow`. */
export const flowParamsBlock: BlockSpec = {
  // The API holds one object; Terraform sees a list of at most one, as in Sym's provider
  // (schema version 1), so `params[0].strategy_id` references carry over.
  nesting: 'single',
  terraformNesting: 'list',
  description: 'How requests for the flow are made and granted.',
  attributes: {
    strategy_id: referenceAttribute('access-strategies', 'optional', 'ID of the strategy that grants the access. Leave it out for an approval-only flow.'),
    form_id: referenceAttribute('forms', 'optional', 'ID of a `sym_form` whose fields are the request fields when no `prompt_field` block is given.'),
    allow_revoke: {
      type: 'bool',
      presence: 'optional_computed',
      default: true,
      description: 'Whether approvers may revoke granted access before it expires.',
    },
    schedule_deescalation: {
      type: 'bool',
      presence: 'optional_computed',
      default: true,
      description: 'Whether access is revoked automatically when the requested duration ends.',
    },
    include_decision_message: {
      type: 'bool',
      presence: 'optional_computed',
      default: false,
      description: 'Whether approvers are asked for a message explaining their decision.',
    },
    allowed_sources: {
      type: { list: 'string' },
      presence: 'optional',
      description: 'Where requests may be made from. Null allows every source; an empty list allows none.',
      elementOneOf: requestSources,
    },
    additional_header_text: {
      type: 'string',
      ...emptyAsUnset,
      description: 'Slack markdown shown at the top of the request form.',
    },
    allow_guest_interaction: {
      type: 'bool',
      presence: 'optional_computed',
      default: false,
      description: 'Whether Slack guest users may request and approve.',
    },
  },
  blocks: { prompt_field: promptFieldBlock },
};

/** Spec of the `sym_flow` resource. */
export const flowResource: ResourceSpec = {
  typeName: 'sym_flow',
  kind: 'flows',
  description: 'A flow is one access workflow: the request form, the hooks that route and decide requests, and the strategy that grants access.',
  // 1: `params` is a list block of at most one (Sym's version 1); 0 held it as one object.
  version: 1,
  identity: { by: 'name' },
  attributes: {
    id: idAttribute,
    name: nameAttribute('Name of the flow, unique in the organization (case-insensitive).'),
    label: labelAttribute('flow'),
    implementation: implementationAttribute('required', 'flow', 'JavaScript module exporting the hooks (`on_request`, `get_approvers`, ...), or a path to a file holding it.'),
    implementation_hash: implementationHashAttribute,
    environment_id: referenceAttribute('environments', 'required', 'ID of the `sym_environment` the flow runs in.'),
    vars: varsAttribute('hook'),
  },
  blocks: { params: flowParamsBlock },
  crossFieldRules: [
    {
      id: 'revoke_or_schedule',
      message: 'At least one of allow_revoke and schedule_deescalation must be true, or granted access could never be taken back.',
      path: ['params', 'allow_revoke'],
      scope: ['params'],
      check: { kind: 'at_least_one_true', attributes: ['allow_revoke', 'schedule_deescalation'] },
    },
  ],
  example: `resource "sym_runtime" "this" {
  name = "main-runtime"
}

resource "sym_environment" "this" {
  name       = "main"
  runtime_id = sym_runtime.this.id
}

resource "sym_flow" "approval" {
  name           = "approval"
  label          = "Approval only"
  environment_id = sym_environment.this.id

  implementation = <<-EOT
    import { slack } from "sym/sdk";

    export function get_approvers(event) {
      return slack.channel("#access-requests");
    }
  EOT

  vars = {
    channel = "#access-requests"
  }

  params {
    allowed_sources        = ["slack", "api"]
    additional_header_text = "Requests are logged."

    prompt_field {
      name     = "reason"
      label    = "Why do you need access?"
      type     = "string"
      required = true
    }

    prompt_field {
      name           = "duration"
      type           = "duration"
      allowed_values = ["30m", "1h", "1d"]
    }
  }
}
`,
  importExamples: ['approval'],
};
