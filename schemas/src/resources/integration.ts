/** `sym_integration`: a connection to a third-party system that hooks and strategies call. */
import type { CrossFieldRule, ResourceSpec } from '../model';
import { idAttribute, labelAttribute, nameAttribute, settingsAttribute, typeAttribute } from './common-attributes';

/** Integration types accepted by `sym_integration.type`. */
export const integrationTypes = [
  'aptible',
  'aws',
  'aws_iam',
  'aws_lambda',
  'aws_sso',
  'custom',
  'datadog',
  'github',
  'google',
  'jira',
  'okta',
  'onelogin',
  'opsgenie',
  'pagerduty',
  'permission_context',
  'segment',
  'slack',
  'tailscale',
] as const;

/**
 * A `slack` integration names the `sym_secret`s holding its bot token and signing secret; checked at
 * plan time and by the API (422 at `/settings`). Socket Mode is chosen by also naming
 * `app_token_secret` (an app-level `xapp-` token), so no transport can be asked for without its token.
 */
const slackSettingsRule: CrossFieldRule = {
  id: 'slack_settings',
  message:
    'A Slack integration needs settings `bot_token_secret` and `signing_secret_secret` (IDs of the `sym_secret`s holding the bot token and the signing secret); add `app_token_secret` for Socket Mode.',
  path: ['settings'],
  check: { kind: 'map_keys_when', attribute: 'type', equals: 'slack', map: 'settings', keys: ['bot_token_secret', 'signing_secret_secret'] },
};

/** Spec of the `sym_integration` resource. */
export const integrationResource: ResourceSpec = {
  typeName: 'sym_integration',
  kind: 'integrations',
  description: 'An integration describes how to reach an external system (a Slack workspace, a PagerDuty account, an AWS account, a custom API) and which secrets to use.',
  version: 0,
  identity: { by: 'type_name' },
  attributes: {
    id: idAttribute,
    type: typeAttribute(integrationTypes, 'Kind of external system.'),
    name: nameAttribute('Name of the integration, unique per organization and type (case-insensitive).'),
    external_id: {
      type: 'string',
      presence: 'required',
      description: 'Identifier of the account in the external system, such as a Slack workspace ID or an AWS account ID.',
      minLength: 1,
    },
    label: labelAttribute('integration'),
    settings: settingsAttribute(
      "Type-specific settings, for example `secret_ids_json` (a JSON list of `sym_secret` IDs; a custom strategy reads them as `settings.secrets`), `allowed_hosts` (comma-separated `host`, `*.host` or `host:port` patterns a custom strategy's HTTP calls may reach; none when unset), `role_arn` and `region` for `aws_lambda` strategies, `api_token_secret` for `pagerduty`, or for `slack`: `bot_token_secret` and `signing_secret_secret` (required, `sym_secret` IDs), and `app_token_secret` (a `sym_secret` ID of an app-level token) to receive Slack over Socket Mode instead of HTTP.",
    ),
  },
  crossFieldRules: [slackSettingsRule],
  example: `resource "sym_secrets" "env" {
  type = "env"
  name = "process-env"
}

resource "sym_secret" "pagerduty_token" {
  path      = "SYM_SECRET_PAGERDUTY_API_TOKEN"
  source_id = sym_secrets.env.id
}

resource "sym_integration" "pagerduty" {
  type        = "pagerduty"
  name        = "on-call"
  external_id = "acme.pagerduty.com"
  label       = "PagerDuty"

  settings = {
    api_token_secret = sym_secret.pagerduty_token.id
  }
}
`,
  importExamples: ['pagerduty:on-call'],
};
