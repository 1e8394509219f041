# User impersonation ("god mode") behind a Slack approval, as in the user-impersonation seed: a
# form for the request fields and a Lambda strategy that performs the impersonation grant.
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

# --- from the seed, unchanged ---
resource "sym_form" "request_fields" {
  field "user_id" {
    type = "string"
    required = true
  }
}

resource "sym_strategies" "escalation_strategies" {
  lambda_strategy {
    id = "my-lambda"
    label = "User Impersonation"
    code = file("my_lambda_code.js")
  }
}
# --- end of seed ---

# Impersonation grants are shipped to a Kinesis Firehose stream for the audit trail. The
# environment refers to it, and a referenced entity cannot be deleted, so replace it by creating
# the new destination first.
resource "sym_log_destination" "audit" {
  type = "kinesis_firehose"

  settings = {
    stream_name = "sym-impersonation-audit"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# The Slack bot token and signing secret are read from the control plane's environment.
resource "sym_secrets" "slack" {
  type = "env"
  name = "impersonation-slack-env"
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
  name        = "impersonation-slack"
  external_id = "T0123456789"

  settings = {
    bot_token_secret      = sym_secret.slack_bot_token.id
    signing_secret_secret = sym_secret.slack_signing_secret.id
  }
}

resource "sym_environment" "this" {
  name                = "impersonation"
  label               = "User impersonation"
  log_destination_ids = [sym_log_destination.audit.id]

  integrations = {
    slack_id = sym_integration.slack.id
  }
}

resource "sym_flow" "impersonate" {
  name  = "impersonate"
  label = "Impersonate a user"

  implementation = file("${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    strategy_id            = sym_strategies.escalation_strategies.strategy_ids["my-lambda"]
    form_id                = sym_form.request_fields.id
    allowed_sources        = ["slack", "api"]
    additional_header_text = "Impersonation is logged and expires on its own."
  }
}
