#!/usr/bin/env bash
# Builds the Terraform-compatible CLIs the e2e suite drives, from the Go module proxy, and caches
# them under ~/.cache/opensym/bin keyed by version, so a fresh machine pays the build once.
# Prints the directory holding the binaries on its last line.
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-v1.12.6}"
# OpenTofu replaces hashicorp/hcl with its own fork; the same pseudo-version is pinned by the tag.
TOFU_HCL_FORK="github.com/opentofu/hcl/v2@v2.20.2-0.20251021132045-587d123c2828"
TOFU_GO_LINE="${TOFU_GO_LINE:-1.26.6}"
TERRAFORM_VERSION="${TERRAFORM_VERSION:-v1.5.7}"
# terraform-provider-random v3.9.0: its module path has no /v3 suffix, so pin the commit.
RANDOM_COMMIT="f8d869dc98d90785f6c8f7131081fa5ef88f9d95"

CACHE="${OPENSYM_CLI_CACHE:-$HOME/.cache/opensym}"
BIN="$CACHE/bin"
mkdir -p "$BIN"
export GOFLAGS="${GOFLAGS:-} -trimpath"
export GOTOOLCHAIN=local

log() { echo "[install-clis] $*" >&2; }

build_tofu() {
  local out="$BIN/tofu-${TOFU_VERSION#v}"
  [ -x "$out" ] && return 0
  log "building OpenTofu $TOFU_VERSION (a few minutes, once per machine)"
  local work; work=$(mktemp -d)
  (
    cd "$work"
    go mod init local/tofubuild >/dev/null 2>&1
    go mod edit -go="$TOFU_GO_LINE"
    go mod edit -replace="github.com/hashicorp/hcl/v2=$TOFU_HCL_FORK"
    go get "github.com/opentofu/opentofu/cmd/tofu@$TOFU_VERSION" >&2
    go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$out.tmp" github.com/opentofu/opentofu/cmd/tofu
  )
  mv "$out.tmp" "$out"
  rm -rf "$work"
}

build_terraform() {
  local out="$BIN/terraform-${TERRAFORM_VERSION#v}"
  [ -x "$out" ] && return 0
  log "building Terraform $TERRAFORM_VERSION (a few minutes, once per machine)"
  local gobin; gobin=$(mktemp -d)
  if ! GOBIN="$gobin" go install "github.com/hashicorp/terraform@$TERRAFORM_VERSION" >&2; then
    log "retrying Terraform build without the linkname check"
    GOBIN="$gobin" go install -ldflags=-checklinkname=0 "github.com/hashicorp/terraform@$TERRAFORM_VERSION" >&2
  fi
  mv "$gobin/terraform" "$out"
  rm -rf "$gobin"
}

build_random() {
  local out="$BIN/terraform-provider-random-3.9.0"
  [ -x "$out" ] && return 0
  log "building terraform-provider-random 3.9.0"
  local gobin; gobin=$(mktemp -d)
  GOBIN="$gobin" go install "github.com/terraform-providers/terraform-provider-random@$RANDOM_COMMIT" >&2
  mv "$gobin/terraform-provider-random" "$out"
  rm -rf "$gobin"
}

# random is opt-in: the Go proxy no longer serves its pinned commit, and only the plan benchmark
# wants it (it falls back to its own Go baseline provider, see bench/README.md).
want="${*:-tofu terraform}"
for tool in $want; do
  "build_$tool"
  case $tool in
    tofu) ln -sf "$BIN/tofu-${TOFU_VERSION#v}" "$BIN/tofu" ;;
    terraform) ln -sf "$BIN/terraform-${TERRAFORM_VERSION#v}" "$BIN/terraform" ;;
  esac
done
echo "$BIN"
