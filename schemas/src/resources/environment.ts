/** `sym_environment`: groups flows with the integrations, runtime and loggers they use. */
import type { ResourceSpec } from '../model';
import { emptyAsUnset, idAttribute, labelAttribute, nameAttribute, referenceAttribute } from './common-attributes';

/** Spec of the `sym_environment` resource. */
export const environmentResource: ResourceSpec = {
  typeName: 'sym_environment',
  kind: 'environments',
  description: 'An environment ties flows to the runtime, error logger, log destinations and integrations (Slack, PagerDuty, ...) they run with.',
  version: 0,
  identity: { by: 'name' },
  attributes: {
    id: idAttribute,
    name: nameAttribute('Name of the environment, unique in the organization (case-insensitive).'),
    label: labelAttribute('environment'),
    runtime_id: referenceAttribute('runtimes', 'optional', 'ID of the `sym_runtime` that flows in this environment run in.'),
    error_logger_id: referenceAttribute('error-loggers', 'optional', 'ID of the `sym_error_logger` that receives hook and strategy errors.'),
    log_destination_ids: {
      type: { list: 'string' },
      ...emptyAsUnset,
      description: 'IDs of `sym_log_destination` resources that receive the audit log of this environment.',
      references: 'log-destinations',
    },
    integrations: {
      type: { map: 'string' },
      ...emptyAsUnset,
      description: 'Integrations available to hooks, keyed by role such as `slack_id` or `pagerduty_id`; values are `sym_integration` IDs.',
      references: 'integrations',
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

resource "sym_runtime" "this" {
  name = "main-runtime"
}

resource "sym_environment" "this" {
  name       = "main"
  label      = "Main"
  runtime_id = sym_runtime.this.id

  integrations = {
    slack_id = sym_integration.slack.id
  }
}
`,
  importExamples: ['main'],
};
