# Routing rules from the routing-rules seed: free-plan requests are approved automatically,
# assigned users approve themselves, everyone else goes to the on-call support managers.
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

# The PagerDuty API token is read from the runtime's environment.
resource "sym_secrets" "env" {
  type = "env"
  name = "routing-env"
}

resource "sym_secret" "pagerduty_api_token" {
  path      = "SYM_SECRET_PAGERDUTY_API_TOKEN"
  source_id = sym_secrets.env.id
  label     = "PagerDuty API token"
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
  name        = "routing-slack"
  external_id = "T0123456789"

  settings = {
    bot_token_secret      = sym_secret.slack_bot_token.id
    signing_secret_secret = sym_secret.slack_signing_secret.id
  }
}

resource "sym_integration" "pagerduty" {
  type        = "pagerduty"
  name        = "routing-pagerduty"
  label       = "PagerDuty"
  external_id = "example.pagerduty.com"

  settings = {
    api_token_secret = sym_secret.pagerduty_api_token.id
  }
}

# The Segment write key is read from the control plane's environment too.
resource "sym_secret" "segment_write_key" {
  path      = "SYM_SECRET_SEGMENT_WRITE_KEY"
  source_id = sym_secrets.env.id
  label     = "Segment write key"
}

# Request events go to Segment. The environment refers to this destination and a referenced
# entity cannot be deleted, so a replacement creates the new destination first.
resource "sym_log_destination" "events" {
  type = "segment"

  settings = {
    write_key_secret = sym_secret.segment_write_key.id
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "sym_environment" "this" {
  name                = "routing"
  log_destination_ids = [sym_log_destination.events.id]

  integrations = {
    slack_id     = sym_integration.slack.id
    pagerduty_id = sym_integration.pagerduty.id
  }
}

resource "sym_flow" "impersonate" {
  name  = "impersonate-customer"
  label = "Impersonate a customer"

  implementation = file("${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    prompt_field {
      name           = "customer_plan"
      label          = "Customer plan"
      type           = "string"
      required       = true
      allowed_values = ["free", "pro", "enterprise"]
    }

    prompt_field {
      name     = "is_assigned"
      label    = "Are you assigned to this account?"
      type     = "bool"
      required = true
    }
  }
}

# Organization-wide: only the support team is offered the impersonation flow.
resource "sym_flows_filter" "this" {
  implementation = "${path.module}/flows_filter.js"

  vars = {
    support_domain = "support.example.com"
  }
}
