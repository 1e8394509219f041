/** `sym_form` (2020 syntax): a reusable set of request fields. */
import type { BlockSpec, ResourceSpec } from '../model';
import { idAttribute, promptFieldTypes } from './common-attributes';

/** The `field "<name>"` block of `sym_form`; the label is the field name. */
export const formFieldBlock: BlockSpec = {
  nesting: 'map',
  description: 'A request field, labelled with its name (`field "user_id" { ... }`).',
  attributes: {
    type: { type: 'string', presence: 'required', description: 'Value type of the field.', oneOf: promptFieldTypes },
    required: {
      type: 'bool',
      presence: 'optional_computed',
      default: false,
      description: 'Whether the requester must fill the field.',
    },
    label: { type: 'string', presence: 'optional', description: 'Label shown on the form; defaults to the field name.' },
    allowed_values: {
      type: { list: 'string' },
      presence: 'optional',
      description: 'Values the requester may choose from, shown as a menu.',
    },
  },
};

/** Spec of the `sym_form` resource (API kind `forms`). */
export const formResource: ResourceSpec = {
  typeName: 'sym_form',
  kind: 'forms',
  description: 'A form is a named set of request fields that flows use through `params.form_id`.',
  version: 0,
  identity: { by: 'id' },
  attributes: {
    id: idAttribute,
  },
  blocks: { field: formFieldBlock },
  example: `resource "sym_form" "request_fields" {
  field "user_id" {
    type     = "string"
    required = true
  }

  field "reason" {
    type  = "string"
    label = "Why do you need to impersonate this user?"
  }
}
`,
  importExamples: ['00000000-0000-4000-8000-000000000000'],
};
