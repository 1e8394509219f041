#!/usr/bin/env bash
# Runs the OpenSym control plane on its embedded database (PGlite in ./.sym-data), from a fresh
# machine: installs what is missing, builds, then starts the server in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm build >&2
exec node control-plane/dist/server.js
