#!/usr/bin/env bash
# The tools of the benchmark's manual path (issue #11): the AWS CLI and kubectl, what the IRSA
# guides tell a human to use. Idempotent; run it, or source it to get BENCH_AWS, BENCH_KUBECTL
# and BENCH_K8S_CLIENT (kubectl | curl) exported into the calling shell.
#
# - AWS CLI v1 from PyPI into the sandbox's moto virtualenv: that venv exists wherever the sandbox
#   runs, and awscli 1.46.x vendors its own botocore (its only new dependencies are colorama,
#   docutils, rsa, pyasn1), so installing it cannot move the botocore the running moto imports.
# - kubectl of the apiserver's own version (kubectl supports +-1 minor of its server; the same
#   version removes that question), built like kube-apiserver by build-k8s.sh: a wrapper module
#   whose staging replaces are read from the go.mod the proxy serves for that release.
# When kubectl cannot be built, BENCH_K8S_CLIENT=curl: the manual path then talks HTTPS to the
# apiserver directly (as docs/sandbox.md's "Talk to the cluster by hand" does) and says so.

bench_tools_sourced=0
[[ "${BASH_SOURCE[0]}" != "$0" ]] && bench_tools_sourced=1
# When run, fail fast. When sourced, the work below runs in subshells with these options, so the
# caller's shell keeps its own.
((bench_tools_sourced)) || set -euo pipefail

# shellcheck source=../sandbox-lib/common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../sandbox-lib" && pwd)/common.sh"

BENCH_AWSCLI_VERSION="${BENCH_AWSCLI_VERSION:-1.46.3}"

bench_install_awscli() (
  set -euo pipefail
  local stamp="$IRSA_MOTO_VENV/.bench-awscli-$BENCH_AWSCLI_VERSION"
  [[ -f "$stamp" && -x "$IRSA_MOTO_VENV/bin/aws" ]] && exit 0
  [[ -x "$IRSA_MOTO_VENV/bin/pip" ]] || sandbox_die "no moto venv at $IRSA_MOTO_VENV: run scripts/sandbox up first"
  irsa_log "installing awscli==$BENCH_AWSCLI_VERSION into $IRSA_MOTO_VENV"
  # pip resolves through its own configured index; no index URL is written here.
  "$IRSA_MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "awscli==$BENCH_AWSCLI_VERSION"
  "$IRSA_MOTO_VENV/bin/aws" --version >&2
  touch "$stamp"
)

bench_build_kubectl() (
  set -euo pipefail
  local V="$IRSA_K8S_VERSION" OUT="$IRSA_K8S_BIN_DIR"
  [[ -x "$OUT/kubectl" ]] && exit 0
  command -v go >/dev/null || sandbox_die "go is not on PATH: needed once to build kubectl"
  # Its own wrapper dir: kube-apiserver's wrapper stays as build-k8s.sh left it.
  local W="$IRSA_CACHE_DIR/build/k8s-v$V/kubectl"
  rm -rf "$W" && mkdir -p "$W" "$OUT" && cd "$W"
  export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
  local t served
  t=$(sandbox_now)
  served=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$V" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("GoMod") or sys.exit("go mod download: %s" % d.get("Error")))')
  go mod init irsa.sandbox.local/kubectl-bench >/dev/null 2>&1
  go mod edit -require="k8s.io/kubernetes@v$V"
  local m staging
  mapfile -t staging < <(go mod edit -json "$served" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    if r["New"]["Path"].startswith("./staging/"):
        print(r["Old"]["Path"])')
  ((${#staging[@]} > 0)) || sandbox_die "no staging replaces found in $served"
  for m in "${staging[@]}"; do go mod edit -replace="$m=$m@v0.${V#1.}"; done
  # The tool directive keeps `go mod tidy` from dropping the require (nothing imports it).
  go mod edit -tool=k8s.io/kubernetes/cmd/kubectl
  go mod tidy
  irsa_log "compiling kubectl v$V"
  go build -trimpath -ldflags "-s -w \
    -X k8s.io/component-base/version.gitVersion=v$V \
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(cut -d. -f2 <<<"$V")" \
    -o "$OUT/kubectl.partial" k8s.io/kubernetes/cmd/kubectl
  mv "$OUT/kubectl.partial" "$OUT/kubectl"
  printf 'kubectl v%s built %s in %s s\n' "$V" "$(date -u +%FT%TZ)" "$(sandbox_elapsed "$t")" >"$OUT/kubectl.VERSION"
  irsa_log "kubectl built in $(sandbox_elapsed "$t") s"
)

bench_install_awscli || { ((bench_tools_sourced)) && return 1; exit 1; }
BENCH_AWS="$IRSA_MOTO_VENV/bin/aws"
if bench_build_kubectl; then
  BENCH_KUBECTL="$IRSA_K8S_BIN_DIR/kubectl" BENCH_K8S_CLIENT=kubectl
else
  irsa_log "kubectl could not be built: the manual path falls back to curl against the apiserver"
  BENCH_KUBECTL="" BENCH_K8S_CLIENT=curl
fi
export BENCH_AWS BENCH_KUBECTL BENCH_K8S_CLIENT BENCH_AWSCLI_VERSION
printf 'BENCH_AWS=%s\nBENCH_KUBECTL=%s\nBENCH_K8S_CLIENT=%s\n' "$BENCH_AWS" "$BENCH_KUBECTL" "$BENCH_K8S_CLIENT"
