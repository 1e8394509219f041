/** `sym_integration`: a connection to a third-party system that hooks and strategies call. */
import type { ResourceSpec } from '../model';
import { idAttribute, labelAttribute, nameAttribute, settingsAttribute, typeAttribute, typeSettingsRule } from './common-attributes';

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
  'knowbe4',
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
 * Integration types Sym accepts that nothing in this version can use yet: refused until something
 * does. None today: `knowbe4` (like `jira` or `opsgenie`) has no native use, but as any integration
 * it holds the credentials (`secret_ids_json`) and hosts (`allowed_hosts`) a custom strategy calls
 * KnowBe4's API with.
 */
export const integrationTypesNotSupportedYet: readonly (typeof integrationTypes)[number][] = [];

/** Spec of the `sym_integration` resource. */
export const integrationResource: ResourceSpec = {
  typeName: 'sym_integration',
  kind: 'integrations',
  description: 'An integration describes how to reach an external system (a Slack workspace, a PagerDuty account, an AWS account, a custom API) and which secrets to use.',
  version: 0,
  identity: { by: 'type_name' },
  attributes: {
    id: idAttribute,
    type: { ...typeAttribute(integrationTypes, 'Kind of external system.'), notSupportedYet: integrationTypesNotSupportedYet },
    name: nameAttribute('Name of the integration, unique per organization and type (case-insensitive).'),
    external_id: {
      type: 'string',
      presence: 'required',
      description: 'Identifier of the account in the external system, such as a Slack workspace ID or an AWS account ID.',
      minLength: 1,
    },
    label: labelAttribute('integration'),
    settings: settingsAttribute(
      "Type-specific settings, for example `secret_ids_json` (a JSON list of `sym_secret` IDs; a custom strategy reads them as `settings.secrets`), `allowed_hosts` (comma-separated `host`, `*.host` or `host:port` patterns a custom strategy's HTTP calls may reach; none when unset), `role_arn` and `region` for `aws_lambda` strategies, `api_token_secret` for `pagerduty`, or for `slack`: `bot_token_secret` and `signing_secret_secret` (`sym_secret` IDs of your own Slack app's bot token and signing secret; both or neither: naming neither, as Sym configs do, uses the control plane's own app, and the API refuses it with a 422 when the operator configured none), and `app_token_secret` (a `sym_secret` ID of an app-level token) to receive Slack over Socket Mode instead of HTTP.",
    ),
  },
  // The credentials the native strategies (and hook helpers) read; without them the integration could never be used.
  crossFieldRules: [
    typeSettingsRule(
      'okta',
      ['api_token_secret'],
      '`okta` integrations need `settings.api_token_secret`: the id of the `sym_secret` holding an Okta API token (and `external_id` is the Okta domain).',
    ),
    typeSettingsRule(
      'github',
      ['api_token_secret'],
      '`github` integrations need `settings.api_token_secret`: the id of the `sym_secret` holding a GitHub token (and `external_id` is the organization).',
    ),
    typeSettingsRule(
      'google',
      ['credentials_secret'],
      '`google` integrations need `settings.credentials_secret`: the id of the `sym_secret` holding a service account JSON key (optionally `admin_email` for domain-wide delegation).',
    ),
    typeSettingsRule(
      'onelogin',
      ['client_id', 'client_secret'],
      '`onelogin` integrations need `settings.client_id` (the API credential client id) and `settings.client_secret` (the id of the `sym_secret` holding its secret); `external_id` is the OneLogin domain.',
    ),
    typeSettingsRule(
      'aptible',
      ['username_secret', 'password_secret'],
      "`aptible` integrations need `settings.username_secret` and `settings.password_secret`: the ids of the `sym_secret`s holding the Aptible bot user's email and password (a user with Role Admin on the roles to grant; `external_id` is the Aptible organization id).",
    ),
    typeSettingsRule(
      'tailscale',
      ['api_token_secret'],
      '`tailscale` integrations need `settings.api_token_secret`: the id of the `sym_secret` holding a Tailscale API access token that may write the policy file (and `external_id` is the tailnet).',
    ),
  ],
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
