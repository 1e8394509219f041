/** `sym_strategy`: how access to targets is granted and revoked. */
import type { ResourceSpec } from '../model';
import { idAttribute, implementationAttribute, implementationHashAttribute, labelAttribute, nameAttribute, referenceAttribute, settingsAttribute, typeAttribute } from './common-attributes';

/** Strategy types accepted by `sym_strategy.type`. */
export const strategyTypes = ['aptible', 'aws_iam', 'aws_lambda', 'aws_sso', 'custom', 'github', 'google', 'google_group', 'knowbe4', 'okta', 'onelogin', 'tailscale'] as const;

/**
 * Strategy types Sym accepts that this version refuses (at plan time and with a 422) until they work.
 * `knowbe4`: KnowBe4's published APIs cannot grant anything: the Reporting API is read-only
 * (users, groups, group members, training), the User Event API only adds timeline events, and
 * group membership is written only by SCIM provisioning from an identity provider (one-way, it
 * overwrites console changes); Sym's provider and documentation describe no KnowBe4 strategy.
 */
export const strategyTypesNotSupportedYet: readonly (typeof strategyTypes)[number][] = ['knowbe4'];

/** Spec of the `sym_strategy` resource (API kind `access-strategies`). */
export const strategyResource: ResourceSpec = {
  typeName: 'sym_strategy',
  kind: 'access-strategies',
  description: 'An access strategy grants (escalates) and revokes (deescalates) access to its targets, either natively, through an AWS Lambda function, or with custom JavaScript run in the sandbox.',
  version: 0,
  identity: { by: 'type_name' },
  attributes: {
    id: idAttribute,
    type: { ...typeAttribute(strategyTypes, 'How access is granted.'), notSupportedYet: strategyTypesNotSupportedYet },
    name: nameAttribute('Name of the strategy, unique per organization and type (case-insensitive).'),
    targets: {
      type: { list: 'string' },
      presence: 'required',
      description: 'IDs of the `sym_target` resources a requester may choose from.',
      references: 'access-targets',
    },
    integration_id: referenceAttribute('integrations', 'optional', 'ID of the `sym_integration` the strategy acts through.'),
    label: labelAttribute('strategy'),
    settings: settingsAttribute(
      'Type-specific settings. For `aws_lambda`: `arn` of an existing function, or `code` (its source) to deploy, with optional `role_arn`, `runtime`, `region`, `function_name` and `timeout`. For `aws_sso`: `instance_arn` (the IAM Identity Center instance; or on the integration), optional `identity_store_id` and `region`. The targets must suit the type: `aws_sso` grants `aws_sso_permission_set` and `aws_sso_group` targets, `aws_iam` grants `aws_iam_group` targets, each through an optional `permission_context` integration whose `role_arn` is assumed.',
    ),
    implementation: implementationAttribute(
      'optional',
      'strategy',
      'For `custom` strategies: JavaScript source of a class implementing `fetch_remote_identity`, `escalate` and `deescalate`, or a path to a file holding it.',
    ),
    implementation_hash: implementationHashAttribute,
  },
  example: `resource "sym_integration" "custom" {
  type        = "custom"
  name        = "custom-integration"
  external_id = "my-account"
}

resource "sym_target" "custom" {
  type  = "custom"
  name  = "custom-target"
  label = "Custom Target"

  settings = {
    identifier = "some-resource"
  }
}

resource "sym_strategy" "custom" {
  type           = "custom"
  name           = "custom-access"
  integration_id = sym_integration.custom.id
  targets        = [sym_target.custom.id]

  implementation = <<-EOT
    import { AccessStrategy } from "sym/sdk/strategies";

    export class CustomStrategy extends AccessStrategy {
      fetch_remote_identity(user) {
        return user.email;
      }

      async escalate(target_id, event) {}

      async deescalate(target_id, event) {}
    }
  EOT
}
`,
  importExamples: ['custom:custom-access'],
};
