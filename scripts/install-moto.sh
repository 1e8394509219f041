#!/usr/bin/env bash
# Installs moto (`moto[server]`, from PyPI, pinned) into a virtualenv under ~/.cache/opensym, once,
# and prints the path of its `moto_server` command. The control plane's AWS tests start it through
# control-plane/src/test-support/moto-server.ts (STS, SSO Admin, Identity Store, IAM, Secrets
# Manager, Lambda deployment, Firehose, Kinesis).
set -euo pipefail
VERSION=5.2.6
exec bash "$(dirname "$0")/install-pypi-tool.sh" "moto-$VERSION" "moto[server]==$VERSION" moto_server
