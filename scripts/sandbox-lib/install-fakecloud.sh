#!/usr/bin/env bash
# Installs the pinned fakecloud into $IRSA_FAKECLOUD_DIR/bin/fakecloud, unless present.
#
# fakecloud is the AWS peer that really enforces IAM identity policies, conditions included;
# moto does not. The manager-policy tests start their own process of it on a free loopback
# port; `scripts/sandbox up` runs one behind moto's STS (shim 3 in moto_launcher.py), required
# under IRSA_SANDBOX_REQUIRED=1 and optional otherwise (docs/sandbox.md). fakecloud is AGPL-3.0-or-later: it runs as a
# separate test process and is never linked into, bundled with or shipped with the product.
#
# Built from source with cargo (the crates registry cargo is configured with; no URL here),
# from the crate's own Cargo.lock (--locked). A cold build compiles about 660 crates: 39 min on
# a 2-core machine (docs/sandbox.md). The build directory is removed after success.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bin="$IRSA_FAKECLOUD_DIR/bin/fakecloud"
# IRSA_FAKECLOUD_BIN: a binary from elsewhere, which the tests then use instead.
if [[ -x "$bin" || ( -n "${IRSA_FAKECLOUD_BIN:-}" && -x "${IRSA_FAKECLOUD_BIN:-}" ) ]]; then
  exit 0
fi
command -v cargo >/dev/null ||
  sandbox_die "cargo (Rust) is needed to build fakecloud $IRSA_FAKECLOUD_VERSION; install rustup, or set IRSA_FAKECLOUD_BIN to a fakecloud binary"
irsa_log "building fakecloud $IRSA_FAKECLOUD_VERSION into $IRSA_FAKECLOUD_DIR (a cold build takes a while)"
t=$(sandbox_now)
partial="$IRSA_FAKECLOUD_DIR.partial"
target="$IRSA_CACHE_DIR/build/fakecloud-$IRSA_FAKECLOUD_VERSION"
rm -rf "$partial"
# A target dir in the cache (not cargo's temporary one) lets an interrupted build resume.
CARGO_TARGET_DIR="$target" cargo install fakecloud --version "$IRSA_FAKECLOUD_VERSION" \
  --locked --root "$partial"
"$partial/bin/fakecloud" --version | grep -q "$IRSA_FAKECLOUD_VERSION" ||
  sandbox_die "the built fakecloud does not report version $IRSA_FAKECLOUD_VERSION"
rm -rf "$IRSA_FAKECLOUD_DIR"
mv "$partial" "$IRSA_FAKECLOUD_DIR"
rm -rf "$target"
irsa_log "fakecloud installed in $(sandbox_elapsed "$t") s"
