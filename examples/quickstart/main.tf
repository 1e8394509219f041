# Quickstart: one environment wired to Slack, two custom targets behind a custom strategy, and a
# flow that asks the requester why they need access.
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
  environment_name = "quickstart"
}

# The Slack bot token and signing secret are read from the control plane's environment.
resource "sym_secrets" "slack" {
  type = "env"
  name = "quickstart-slack-env"
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
  name        = "quickstart-slack"
  label       = "Quickstart Slack workspace"
  external_id = "T0123456789"

  settings = {
    bot_token_secret      = sym_secret.slack_bot_token.id
    signing_secret_secret = sym_secret.slack_signing_secret.id
  }
}

# Looked up by type + name, the way a configuration that does not own the integration would.
data "sym_integration" "slack" {
  type = "slack"
  name = sym_integration.slack.name
}

# The runtime assumes this AWS role to reach your account (Lambda strategies, Secrets Manager).
resource "sym_integration" "runtime_context" {
  type        = "permission_context"
  name        = "quickstart-runtime-context"
  external_id = "123456789012"

  settings = {
    role_arn = "arn:aws:iam::123456789012:role/opensym/runtime"
  }
}

resource "sym_runtime" "this" {
  name       = "quickstart-runtime"
  label      = "Quickstart runtime"
  context_id = sym_integration.runtime_context.id
}

# Hook and strategy errors are posted to this Slack channel.
resource "sym_error_logger" "slack" {
  integration_id = sym_integration.slack.id
  destination    = "#sym-errors"
}

# Audit events leave through an HTTP endpoint. The environment refers to this destination, and the
# control plane refuses to delete a referenced entity, so a replacement must create the new one
# before the old one goes.
resource "sym_log_destination" "audit" {
  type = "http"

  settings = {
    url = "https://logs.example.invalid/sym-audit"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "sym_environment" "this" {
  name                = local.environment_name
  label               = "Quickstart"
  runtime_id          = sym_runtime.this.id
  error_logger_id     = sym_error_logger.slack.id
  log_destination_ids = [sym_log_destination.audit.id]

  integrations = {
    slack_id = data.sym_integration.slack.id
  }
}

resource "sym_target" "staging" {
  type  = "custom"
  name  = "quickstart-staging"
  label = "Staging"

  settings = {
    identifier = "staging"
  }
}

resource "sym_target" "production" {
  type  = "custom"
  name  = "quickstart-production"
  label = "Production"

  settings = {
    identifier = "production"
  }
}

resource "sym_strategy" "custom" {
  type    = "custom"
  name    = "quickstart-access"
  label   = "Quickstart access"
  targets = [sym_target.staging.id, sym_target.production.id]

  # An inline implementation; see examples/custom-access-strategy for one kept in a file.
  implementation = <<-EOT
    import { AccessStrategy } from "sym/sdk/strategies";

    export class QuickstartStrategy extends AccessStrategy {
      fetch_remote_identity(user) {
        return user.email;
      }

      escalate(target_id, event) {
        // Nothing to call in the quickstart: approval alone is the grant.
      }

      deescalate(target_id, event) {}
    }
  EOT
}

resource "sym_flow" "this" {
  name  = "quickstart-access"
  label = "Quickstart Access"

  implementation = file("${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    strategy_id = sym_strategy.custom.id

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
      required       = false
      allowed_values = ["30m", "1h", "1d"]
    }
  }
}

output "flow_id" {
  value = sym_flow.this.id
}
