#!/usr/bin/env bash
# Installs one pinned PyPI package into its own virtualenv under ~/.cache/opensym, once, and prints
# the path of one of its commands. Used by install-schemathesis.sh and install-moto.sh.
# Usage: install-pypi-tool.sh NAME REQUIREMENT COMMAND   (e.g. moto-5.2.6 'moto[server]==5.2.6' moto_server)
# Needs python3 with venv; on a fresh Debian machine python3 and python3-venv are installed with apt-get.
set -euo pipefail

name=$1 requirement=$2 command=$3
venv="${OPENSYM_CACHE_DIR:-$HOME/.cache/opensym}/$name"
log() { echo "[install-pypi-tool] $*" >&2; }

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
  log "installing $requirement into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$requirement"
  touch "$venv/.installed"
fi
echo "$venv/bin/$command"
