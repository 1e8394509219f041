#!/usr/bin/env bash
# Installs schemathesis (from PyPI, pinned) into a virtualenv under ~/.cache/opensym, once, and
# prints the path of its `schemathesis` command. The API fuzz suite (control-plane/test/) runs it.
# Needs python3 with venv; on a fresh Debian machine python3-venv is installed with apt-get.
set -euo pipefail

VERSION=4.32.5
venv="${OPENSYM_CACHE_DIR:-$HOME/.cache/opensym}/schemathesis-$VERSION"
log() { echo "[install-schemathesis] $*" >&2; }

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
  log "installing schemathesis $VERSION into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
  touch "$venv/.installed"
fi
echo "$venv/bin/schemathesis"
