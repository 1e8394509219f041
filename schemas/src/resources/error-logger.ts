/** `sym_error_logger`: where hook and strategy errors are reported. */
import type { ResourceSpec } from '../model';
import { idAttribute, referenceAttribute } from './common-attributes';

/** Spec of the `sym_error_logger` resource. */
export const errorLoggerResource: ResourceSpec = {
  typeName: 'sym_error_logger',
  kind: 'error-loggers',
  description: 'An error logger sends errors raised by hooks and strategies to a destination, typically a Slack channel.',
  version: 0,
  // No name: Sym derives its slug from the destination (`#sym-errors` imports as `sym-errors`).
  identity: { by: 'slug', slugFrom: ['destination'] },
  attributes: {
    id: idAttribute,
    integration_id: referenceAttribute('integrations', 'required', 'ID of the `sym_integration` (e.g. Slack) errors are sent through.'),
    destination: {
      type: 'string',
      presence: 'required',
      description: 'Where errors go within the integration, for example a Slack channel such as `#sym-errors`.',
      minLength: 1,
    },
  },
  example: `resource "sym_integration" "slack" {
  type        = "slack"
  name        = "main-slack"
  external_id = "T0123456789"
}

resource "sym_error_logger" "slack" {
  integration_id = sym_integration.slack.id
  destination    = "#sym-errors"
}
`,
  importExamples: ['sym-errors', '00000000-0000-4000-8000-000000000000'],
};
