# Just-in-time AWS IAM Identity Center (SSO) access, as in Sym's AWS SSO guide: the runtime role,
# the SSO connector's permission context, permission set and group targets, an aws_sso strategy
# and a flow. Replace the account ids, ARNs and group id with yours.
terraform {
  required_providers {
    sym = {
      source  = "opensym.dev/opensym/sym"
      version = "~> 3.0"
    }
  }
}

# Configured from the environment: SYM_API_URL, SYM_JWT and SYM_ORG.
provider "sym" {}

locals {
  environment_name = "aws-sso"
  # The IAM Identity Center instance (aws sso-admin list-instances).
  instance_arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
}

# The runtime connector: the role the control plane assumes (with this external id) before any
# AWS call of this environment. Its trust policy must allow the control plane's AWS principal.
resource "sym_integration" "runtime_context" {
  type        = "permission_context"
  name        = "${local.environment_name}-runtime"
  external_id = "123456789012"

  settings = {
    role_arn    = "arn:aws:iam::123456789012:role/sym/SymRuntimeConnector"
    external_id = "opensym-aws-sso"
  }
}

resource "sym_runtime" "this" {
  name       = local.environment_name
  label      = "AWS SSO runtime"
  context_id = sym_integration.runtime_context.id
}

# The Slack workspace where requests are approved (impl.js: #aws-access). Its bot token and
# signing secret are read from the control plane's environment.
resource "sym_secrets" "slack" {
  type = "env"
  name = "${local.environment_name}-slack-env"
}

resource "sym_secret" "slack_bot_token" {
  path      = "SYM_SECRET_SLACK_BOT_TOKEN"
  source_id = sym_secrets.slack.id
  label     = "Slack bot token"
}

resource "sym_secret" "slack_signing_secret" {
  path      = "SYM_SECRET_SLACK_SIGNING_SECRET"
  source_id = sym_secrets.slack.id
  label     = "Slack signing secret"
}

resource "sym_integration" "slack" {
  type        = "slack"
  name        = "${local.environment_name}-slack"
  external_id = "T0123456789"

  settings = {
    bot_token_secret      = sym_secret.slack_bot_token.id
    signing_secret_secret = sym_secret.slack_signing_secret.id
  }
}

resource "sym_environment" "this" {
  name       = local.environment_name
  label      = "AWS SSO"
  runtime_id = sym_runtime.this.id

  integrations = {
    slack_id = sym_integration.slack.id
  }
}

# The SSO connector: a role in the account that owns the Identity Center instance, assumed from
# the runtime role. It needs sso:ListInstances, sso:DescribePermissionSet,
# sso:ListAccountAssignments, sso:CreateAccountAssignment, sso:DeleteAccountAssignment,
# sso:DescribeAccountAssignment{Creation,Deletion}Status and identitystore:GetUserId,
# DescribeGroup, GetGroupMembershipId, CreateGroupMembership, DeleteGroupMembership.
resource "sym_integration" "sso_context" {
  type        = "permission_context"
  name        = "${local.environment_name}-sso"
  external_id = local.instance_arn

  settings = {
    role_arn     = "arn:aws:iam::210987654321:role/sym/SymSSOConnector"
    instance_arn = local.instance_arn
  }
}

# A permission set in one account: approving a request assigns it to the requester there.
resource "sym_target" "prod_admin" {
  type  = "aws_sso_permission_set"
  name  = "prod-admin"
  label = "Prod Admin"

  settings = {
    permission_set_arn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef"
    account_id         = "111111111111"
  }
}

# An Identity Store group: approving a request adds the requester to it.
resource "sym_target" "oncall_group" {
  type  = "aws_sso_group"
  name  = "oncall"
  label = "On-call group"

  settings = {
    group_id = "90676b1e4d-5c3a1f0e-2b7d-4e8a-9f6c-1a2b3c4d5e6f"
  }
}

resource "sym_strategy" "sso" {
  type           = "aws_sso"
  name           = "${local.environment_name}-strategy"
  integration_id = sym_integration.sso_context.id
  targets        = [sym_target.prod_admin.id, sym_target.oncall_group.id]

  settings = {
    instance_arn = local.instance_arn
  }
}

resource "sym_flow" "this" {
  name  = "aws-sso-access"
  label = "AWS SSO Access"

  implementation = file("${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    strategy_id = sym_strategy.sso.id

    prompt_field {
      name     = "reason"
      label    = "Why do you need access?"
      type     = "string"
      required = true
    }

    prompt_field {
      name           = "duration"
      label          = "For how long?"
      type           = "duration"
      required       = true
      allowed_values = ["30m", "1h", "4h"]
    }
  }
}
