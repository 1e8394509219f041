# GitHub repository access, as in Sym's GitHub access strategy example: requesters ask for
# temporary access to a private repository; after approval the control plane makes them a
# collaborator with the target's permission and removes them (and any pending invitation) when the
# access expires or is revoked. A second target grants membership of a team.
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
  environment_name = "github"
}

# Where the GitHub token (and the Slack secrets below) are read from: the control plane's
# environment. Start the control plane with SYM_SECRET_GITHUB_ACCESS_TOKEN set to a token of an
# organization owner: classic with the `repo` (and `admin:org`) scope, or fine-grained with
# Administration: write (and Members: write).
resource "sym_secrets" "env" {
  type = "env"
  name = "${local.environment_name}-env"

  lifecycle {
    create_before_destroy = true
  }
}

# This resource tells OpenSym where to find your GitHub access token.
resource "sym_secret" "github_access_token" {
  path      = "SYM_SECRET_GITHUB_ACCESS_TOKEN"
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
  label = "GitHub"

  integrations = {
    slack_id = sym_integration.slack.id
  }
}

# The GitHub Integration that your Strategy uses to manage your GitHub targets.
resource "sym_integration" "github" {
  type = "github"
  name = "${local.environment_name}-github"

  # The external ID is your GitHub organization name.
  external_id = "sym-test"

  settings = {
    # `type=github` integrations have a required setting `api_token_secret`,
    # which must point to a sym_secret holding your GitHub access token.
    api_token_secret = sym_secret.github_access_token.id
  }
}

# A target GitHub repository that your Strategy can manage access to.
resource "sym_target" "private_repo" {
  type  = "github_repo"
  name  = "${local.environment_name}-private-repo-access"
  label = "Private Repo"

  settings = {
    # `type=github_repo` targets have a required setting `repo_name`: the repository the
    # requester is added to. `permission` (pull, triage, push, maintain, admin) defaults to push.
    repo_name  = "private-repo"
    permission = "push"
  }
}

# A target GitHub team (an OpenSym addition): the requester becomes a member of the team.
resource "sym_target" "oncall_team" {
  type  = "github_team"
  name  = "${local.environment_name}-oncall-team"
  label = "On-call team"

  settings = {
    team_slug = "oncall"
    role      = "member"
  }
}

# The Strategy your Flow uses to escalate to GitHub repositories and teams.
resource "sym_strategy" "github" {
  type           = "github"
  name           = "${local.environment_name}-github"
  integration_id = sym_integration.github.id

  # The `github_repo` and `github_team` targets that users can request to be escalated to.
  targets = [sym_target.private_repo.id, sym_target.oncall_team.id]
}

resource "sym_flow" "this" {
  name  = "github"
  label = "GitHub Repo Access"

  implementation = file("${path.module}/impl.js")
  environment_id = sym_environment.this.id

  params {
    strategy_id = sym_strategy.github.id

    prompt_field {
      name     = "reason"
      label    = "Why do you need access?"
      type     = "string"
      required = true
    }

    prompt_field {
      name           = "duration"
      type           = "duration"
      allowed_values = ["1h", "1d", "10d"]
      required       = true
    }
  }
}
