#!/usr/bin/env bash
# Installs the pinned moto[server] into a virtualenv under $IRSA_CACHE_DIR, unless present.
# pip resolves through its own configured index; no index URL is written here.
# The venv also serves the seeding scripts: boto3 comes with moto, PyYAML with its server extra.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stamp="$IRSA_MOTO_VENV/.irsa-installed"
if [[ -f "$stamp" ]]; then
  exit 0
fi
command -v python3 >/dev/null || sandbox_die "python3 is needed for moto"
irsa_log "installing moto[server]==$IRSA_MOTO_VERSION into $IRSA_MOTO_VENV"
t=$(sandbox_now)
rm -rf "$IRSA_MOTO_VENV"
python3 -m venv "$IRSA_MOTO_VENV"
"$IRSA_MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$IRSA_MOTO_VERSION"
"$IRSA_MOTO_VENV/bin/python" -c 'import moto, boto3, yaml, flask' ||
  sandbox_die "moto venv is incomplete"
touch "$stamp"
irsa_log "moto installed in $(sandbox_elapsed "$t") s"
