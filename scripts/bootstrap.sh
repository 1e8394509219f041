#!/usr/bin/env bash
# Installs what a fresh machine lacks for OpenSym: pnpm 10, the workspace's packages, the sandbox's
# Python engine (scripts/install-python-wasm.sh), and (with --test) the PostgreSQL server, Debian's
# chromium for the browser tests, the Terraform/OpenTofu CLIs the end-to-end suite drives,
# schemathesis (PyPI) for the API fuzz suite and moto (PyPI) for the AWS tests.
# Idempotent: each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[bootstrap] $*" >&2; }

if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm -v)" != 10.* ]]; then
  log "installing pnpm 10"
  npm install -g pnpm@10 >/dev/null
fi

if [[ "${1:-}" == "--test" ]]; then
  if [[ ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
    log "installing PostgreSQL 15 server binaries"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  # The impersonation demo's browser tests drive it through playwright-core, which cannot
  # download a browser here (examples/impersonation-demo/test).
  if [[ ! -x /usr/bin/chromium ]]; then
    log "installing chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  log "ensuring OpenTofu and Terraform are built (cached under ~/.cache/opensym)"
  bash scripts/install-clis.sh tofu terraform >/dev/null
  log "ensuring schemathesis is installed (a virtualenv under ~/.cache/opensym)"
  bash scripts/install-schemathesis.sh >/dev/null
  log "ensuring moto is installed (a virtualenv under ~/.cache/opensym)"
  bash scripts/install-moto.sh >/dev/null
fi

# The sandbox's Python engine (a CPython .wasm from PyPI, checksummed), under ~/.cache/opensym.
log "ensuring the Python sandbox engine is installed"
bash scripts/install-python-wasm.sh >/dev/null

log "installing workspace packages"
pnpm install --frozen-lockfile --reporter=append-only >/dev/null
