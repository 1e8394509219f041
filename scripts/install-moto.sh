#!/usr/bin/env bash
# Installs moto (`moto[server]`, from PyPI, pinned) into a virtualenv under ~/.cache/opensym, once,
# and prints the path of its `moto_server` command. The control plane's AWS tests start it through
# control-plane/src/test-support/moto-server.ts (STS, SSO Admin, Identity Store, IAM, Secrets
# Manager, Lambda deployment, Firehose, Kinesis). Needs python3 with venv, as install-schemathesis.sh.
set -euo pipefail

VERSION=5.2.6
venv="${OPENSYM_CACHE_DIR:-$HOME/.cache/opensym}/moto-$VERSION"
log() { echo "[install-moto] $*" >&2; }

# The marker is written last, so an interrupted install is redone rather than trusted.
if [[ ! -f "$venv/.installed" ]]; then
  if ! command -v python3 >/dev/null 2>&1; then
    log "installing python3"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
  fi
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  # Debian splits venv (and its ensurepip) out of python3.
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    log "installing python3-venv"
    rm -rf "$venv"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  log "installing moto[server] $VERSION into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$VERSION"
  touch "$venv/.installed"
fi
echo "$venv/bin/moto_server"
