# A custom access strategy, from the custom-access-strategies seed: a custom integration holding an
# API key secret, a custom target, a strategy implemented in custom_strategy.js, and a flow.
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
  environment_name = "custom-strategy"
}

# Where the API key lives: AWS Secrets Manager. The secret below refers to this source and a
# referenced entity cannot be deleted, so a replacement creates the new source first.
resource "sym_secrets" "this" {
  type  = "aws_secrets_manager"
  name  = local.environment_name
  label = "Custom strategy secrets"

  lifecycle {
    create_before_destroy = true
  }
}

resource "sym_environment" "this" {
  name  = local.environment_name
  label = "Custom strategy"
}

# This resource tells Sym how to access your API key secret in AWS Secrets Manager.
# Set the value with:
# aws secretsmanager put-secret-value --secret-id "sym/custom-strategy/api-key" --secret-string "YOUR-API-KEY"
resource "sym_secret" "api_key" {
  path      = "sym/custom-strategy/api-key"
  source_id = sym_secrets.this.id
}

# The custom Integration that your Strategy uses to grant and revoke access to the
# third party system as well as manage identities for that system in Sym.
resource "sym_integration" "custom" {
  type = "custom"
  name = "custom-integration"

  # The external ID is a unique identifier for your account in the third party system.
  # For example, your account ID.
  external_id = "my-account"

  settings = {
    secret_ids_json = jsonencode([sym_secret.api_key.id])
    # The only hosts custom_strategy.js may call (comma-separated host[:port] patterns).
    allowed_hosts = "some-api.invalid"
  }
}

# A custom Target represents a resource a user is requesting access to.
resource "sym_target" "custom" {
  type  = "custom"
  name  = "custom-target"
  label = "Custom Target"

  settings = {
    identifier = "some-resource"
  }
}

# The Strategy that your Flow uses to grant and revoke access to the third party system.
resource "sym_strategy" "custom" {
  type = "custom"

  name           = "custom-access"
  integration_id = sym_integration.custom.id
  targets        = [sym_target.custom.id]

  # This implementation file contains JavaScript code that defines escalation and deescalation behavior.
  implementation = "${path.module}/custom_strategy.js"
}

resource "sym_flow" "custom" {
  name  = "custom-access"
  label = "Custom Access"

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
  }
}
