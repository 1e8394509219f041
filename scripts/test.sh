#!/usr/bin/env bash
# Runs the whole OpenSym test suite from a fresh machine: installs what is missing, builds, checks
# generated files, types, lint and formatting, runs every package's unit tests (the impersonation demo's in chromium), the schemathesis API fuzz suite, then the end-to-end suite against
# real OpenTofu/Terraform, embedded PGlite and a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

bash scripts/bootstrap.sh --test

results=$(mktemp -d)
step() { echo; echo "=== $* ===" >&2; }

step "build"
pnpm build

step "generated files are up to date"
pnpm --filter @opensym/schemas run generate --check
# The API client's types, generated from the committed openapi.json above.
pnpm --filter @opensym/api-client run generate --check

step "typecheck"
pnpm typecheck

# A gate like typecheck, not a test suite: ESLint errors stop the run here.
step "lint"
pnpm lint

step "format"
pnpm format:check

status=0
run_suite() { # name, command...
  local name=$1; shift
  step "$name"
  if ! "$@" 2>&1 | tee "$results/$name.log"; then status=1; fi
}
# The browser tests' screenshots are gitignored; listing them puts them in the CI log as artifacts.
list_artifacts() { # dir
  echo "browser test artifacts in $PWD/$1:"
  if [[ -d $1 ]]; then find "$1" -type f | sort | sed 's/^/  /'; else echo "  (none: the directory was not created)"; fi
}
for pkg in schemas provider control-plane bench examples/cdktf packages/api-client packages/cli packages/middleware examples/impersonation-demo; do
  run_suite "unit-${pkg//\//-}" pnpm --dir "$pkg" run test
done
list_artifacts examples/impersonation-demo/.tmp/browser-artifacts
# schemathesis over every API operation (`--checks all`) against a control plane on PGlite.
run_suite api-fuzz pnpm --dir control-plane run test:schemathesis
run_suite e2e pnpm test:e2e

# One closing line over every node:test run (TAP "# pass N" or spec "ℹ pass N").
sum() { grep -hoE "^(# |ℹ )$1 [0-9]+" "$results"/*.log | awk '{s+=$3} END {print s+0}'; }
passed=$(sum pass); failed=$(sum fail)
echo
echo "Total: $passed passed, $failed failed"
if [[ "$failed" != 0 ]]; then status=1; fi
if [[ "$passed" == 0 ]]; then echo "no test ran" >&2; status=1; fi
exit $status
