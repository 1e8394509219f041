# Okta group access, as in Sym's Okta access strategy example: requesters ask for temporary
# membership of an Okta group; after approval the control plane adds them to the group through the
# Okta API and removes them when the access expires or is revoked.
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
  environment_name = "okta"
}

# Where the Okta API token (and the Slack secrets below) are read from: the control plane's
# environment. Start the control plane with SYM_SECRET_OKTA_API_TOKEN set to an API token
# (Security > API > Tokens in the Okta Admin Console) of an administrator allowed to manage the
# groups' members.
resource "sym_secrets" "env" {
  type = "env"
  name = "${local.environment_name}-env"

  lifecycle {
    create_before_destroy = true
  }
}

# This resource tells OpenSym where to find your Okta API token.
resource "sym_secret" "okta_api_token" {
  path      = "SYM_SECRET_OKTA_API_TOKEN"
  source_id = sym_secrets.env.id
}

# The Slack workspace where requests are approved (impl.js: #sym-requests). Its bot token and
# signing secret are read from the control plane's environment (SYM_SECRET_SLACK_BOT_TOKEN and
# SYM_SECRET_SLACK_SIGNING_SECRET); replace T0123456789 with your workspace's team id.
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
  name        = "${local.environment_name}-slack"
  external_id = "T0123456789"

  settings = {
    bot_token_secret      = sym_secret.slack_bot_token.id
    signing_secret_secret = sym_secret.slack_signing_secret.id
  }
}

resource "sym_environment" "this" {
  name  = local.environment_name
  label = "Okta"

  integrations = {
    slack_id = sym_integration.slack.id
  }
}

# The Okta Integration that your Strategy uses to manage your Okta targets.
resource "sym_integration" "okta" {
  type = "okta"
  name = "${local.environment_name}-okta"

  # Your Okta domain.
  external_id = "dev-12345.okta.com"

  settings = {
    # `type=okta` integrations have a required setting `api_token_secret`,
    # which must point to a sym_secret holding your Okta API token.
    api_token_secret = sym_secret.okta_api_token.id
  }
}

# A target Okta group that your Strategy can manage access to.
resource "sym_target" "admins" {
  type  = "okta_group"
  name  = "${local.environment_name}-admin-access"
  label = "Admin Access"

  settings = {
    # `type=okta_group` targets have a required setting `group_id`: the id of the group the
    # requester is added to (Directory > Groups > the group: the id at the end of the URL).
    group_id = "00g12345xxx"
  }
}

resource "sym_target" "s3_write" {
  type  = "okta_group"
  name  = "${local.environment_name}-s3-access"
  label = "S3 Write Access"

  settings = {
    group_id = "00g67890xxx"
  }
}

# The Strategy your Flow uses to escalate to Okta groups.
resource "sym_strategy" "okta" {
  type           = "okta"
  name           = "${local.environment_name}-okta"
  integration_id = sym_integration.okta.id

  # The `okta_group` targets that users can request to be escalated to.
  targets = [sym_target.admins.id, sym_target.s3_write.id]
}

resource "sym_flow" "this" {
  name  = "okta"
  label = "Okta Group Request"

  implementation = file("${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    # By specifying a strategy, this Flow can grant and revoke access to the strategy's targets.
    strategy_id = sym_strategy.okta.id

    prompt_field {
      name     = "reason"
      label    = "Why do you need access?"
      type     = "string"
      required = true
    }

    prompt_field {
      name           = "duration"
      type           = "duration"
      allowed_values = ["30m", "1h"]
      required       = true
    }
  }
}
