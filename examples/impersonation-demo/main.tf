# The flow behind the impersonation demo's "Impersonate" button: the user-impersonation seed's
# form and Lambda strategy, and a flow the demo app's middleware requests through the API.
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

# The app fixes user_id from the URL (/customers/42/impersonate); the support engineer gives the reason.
resource "sym_form" "request_fields" {
  field "user_id" {
    type     = "string"
    required = true
    label    = "Customer"
  }
  field "reason" {
    type     = "string"
    required = true
    label    = "Why do you need to impersonate this customer?"
  }
}

resource "sym_strategies" "escalation_strategies" {
  lambda_strategy {
    id    = "impersonation"
    label = "User Impersonation"
    code  = file("${path.module}/impersonation_lambda.js")
  }
}

# The Slack app's tokens, read from the control plane's environment (see the README's Slack section).
resource "sym_secrets" "slack" {
  type = "env"
  name = "impersonation-demo-slack-env"
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
  name        = "impersonation-demo-slack"
  external_id = "T0123456789"

  settings = {
    bot_token_secret      = sym_secret.slack_bot_token.id
    signing_secret_secret = sym_secret.slack_signing_secret.id
  }
}

resource "sym_environment" "this" {
  name  = "impersonation-demo"
  label = "Impersonation demo"

  integrations = {
    slack_id = sym_integration.slack.id
  }
}

resource "sym_flow" "impersonate" {
  name  = "impersonate"
  label = "Impersonate a customer"

  implementation = file("${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    strategy_id            = sym_strategies.escalation_strategies.strategy_ids["impersonation"]
    form_id                = sym_form.request_fields.id
    allowed_sources        = ["api"]
    additional_header_text = "Impersonation is logged and expires on its own."
  }
}
