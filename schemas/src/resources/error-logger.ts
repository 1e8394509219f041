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
  example: `# The Slack bot token and signing secret are read from the control plane's environment.
resource "sym_secrets" "env" {
  type = "env"
  name = "process-env"
}

resource "sym_secret" "slack_bot_token" {
  path      = "SYM_SECRET_SLACK_BOT_TOKEN"
  source_id = sym_secrets.env.id
  label     = "Slack bot token"
}

resource "sym_secret" "slack_signing_secret" {
  path      = "SYM_SECRET_SLACK_SIGNING_SECRET"
  source_id = sym_secrets.env.id
  label     = "Slack signing secret"
}

resource "sym_integration" "slack" {
  type        = "slack"
  name        = "main-slack"
  external_id = "T0123456789"

  settings = {
    bot_token_secret      = sym_secret.slack_bot_token.id
    signing_secret_secret = sym_secret.slack_signing_secret.id
  }
}

resource "sym_error_logger" "slack" {
  integration_id = sym_integration.slack.id
  destination    = "#sym-errors"
}
`,
  importExamples: ['sym-errors', '00000000-0000-4000-8000-000000000000'],
};
