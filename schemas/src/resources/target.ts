/** `sym_target`: something a user can request access to. */
import type { ResourceSpec } from '../model';
import { emptyAsUnset, idAttribute, labelAttribute, nameAttribute, settingsAttribute, typeAttribute, typeSettingsRule } from './common-attributes';

/** Target types accepted by `sym_target.type`. */
export const targetTypes = [
  'aptible_role',
  'aws_iam_group',
  'aws_lambda_function',
  'aws_sso_account_assignment',
  'aws_sso_group',
  'aws_sso_permission_set',
  'custom',
  'github_repo',
  'github_team',
  'google_group',
  'knowbe4_training_group',
  'okta_group',
  'onelogin_role',
  'permission_context',
  'tailscale_group',
] as const;

/**
 * Target types Sym accepts that no strategy of this version can grant yet: refused until they work.
 * `aws_sso_account_assignment`: the aws_sso strategy grants `aws_sso_permission_set` targets (a
 * permission set in an account) and `aws_sso_group` targets, not this type. `knowbe4_training_group`:
 * no `knowbe4` strategy can grant it (see `strategyTypesNotSupportedYet`).
 */
export const targetTypesNotSupportedYet: readonly (typeof targetTypes)[number][] = ['aws_sso_account_assignment', 'knowbe4_training_group'];

/** Spec of the `sym_target` resource (API kind `access-targets`). */
export const targetResource: ResourceSpec = {
  typeName: 'sym_target',
  kind: 'access-targets',
  description: 'An access target is one resource a requester can ask for, such as a group, a role or a customer account; strategies grant and revoke access to it.',
  version: 0,
  identity: { by: 'type_name' },
  attributes: {
    id: idAttribute,
    type: { ...typeAttribute(targetTypes, 'Kind of target; it must suit the strategy that uses it.'), notSupportedYet: targetTypesNotSupportedYet },
    name: nameAttribute('Name of the target, unique per organization and type (case-insensitive).'),
    label: labelAttribute('target'),
    settings: settingsAttribute(
      'Type-specific settings passed to the strategy, for example `identifier` for custom targets or `arn` for Lambda targets; `aws_sso_permission_set`: `permission_set_arn` and `account_id`; `aws_sso_group`: `group_id` (an Identity Store group id); `aws_iam_group`: `iam_group` (the group name).',
    ),
    field_bindings: {
      type: { list: 'string' },
      ...emptyAsUnset,
      description: 'Names of settings that are filled at request time from the request field of the same name.',
    },
  },
  // Settings the native strategies need, so a target that could never be granted is refused at plan time.
  crossFieldRules: [
    typeSettingsRule(
      'aws_sso_permission_set',
      ['permission_set_arn', 'account_id'],
      '`aws_sso_permission_set` targets need `settings.permission_set_arn` and `settings.account_id` (the AWS account the permission set is assigned in).',
    ),
    typeSettingsRule('aws_sso_group', ['group_id'], '`aws_sso_group` targets need `settings.group_id`: an Identity Store group id.'),
    typeSettingsRule('aws_iam_group', ['iam_group'], '`aws_iam_group` targets need `settings.iam_group`: the IAM group name.'),
    typeSettingsRule('okta_group', ['group_id'], '`okta_group` targets need `settings.group_id`: the Okta group id (00g...).'),
    typeSettingsRule(
      'github_repo',
      ['repo_name'],
      '`github_repo` targets need `settings.repo_name` (the repository, `name` or `owner/name`); `settings.permission`, when set, is one of pull, triage, push, maintain, admin.',
      {
        permission: ['pull', 'triage', 'push', 'maintain', 'admin'],
      },
    ),
    typeSettingsRule('github_team', ['team_slug'], '`github_team` targets need `settings.team_slug`; `settings.role`, when set, is member or maintainer.', { role: ['member', 'maintainer'] }),
    typeSettingsRule('google_group', ['group_email'], '`google_group` targets need `settings.group_email`; `settings.role`, when set, is MEMBER, MANAGER or OWNER.', {
      role: ['MEMBER', 'MANAGER', 'OWNER'],
    }),
    typeSettingsRule(
      'onelogin_role',
      ['role_id'],
      '`onelogin_role` targets need `settings.role_id` (the OneLogin role id); `settings.privilege_level` (usually bound from a prompt field), when set, is member or admin.',
      {
        privilege_level: ['member', 'admin'],
      },
    ),
    typeSettingsRule('aptible_role', ['role_id'], '`aptible_role` targets need `settings.role_id`: the Aptible role id (the UUID in the role page URL of the Aptible dashboard).'),
    typeSettingsRule('tailscale_group', ['group_name'], '`tailscale_group` targets need `settings.group_name`: a group of the tailnet policy file (`eng` or `group:eng`).'),
  ],
  example: `resource "sym_target" "customer_account" {
  type  = "custom"
  name  = "customer-account"
  label = "Customer account"

  settings = {
    identifier = "customer-account"
  }

  field_bindings = ["customer_id"]
}
`,
  importExamples: ['custom:customer-account'],
};
