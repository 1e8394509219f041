#!/usr/bin/env bash
# Installs schemathesis (from PyPI, pinned) into a virtualenv under ~/.cache/opensym, once, and
# prints the path of its `schemathesis` command. The API fuzz suite (control-plane/test/) runs it.
set -euo pipefail
VERSION=4.32.5
exec bash "$(dirname "$0")/install-pypi-tool.sh" "schemathesis-$VERSION" "schemathesis==$VERSION" schemathesis
