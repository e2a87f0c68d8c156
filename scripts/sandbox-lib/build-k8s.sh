#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into $IRSA_K8S_BIN_DIR, unless present.
#
# Why wrapper modules: k8s.io/kubernetes requires its staging modules (k8s.io/api, client-go, ...)
# at the placeholder v0.0.0 and points them at ./staging with replace directives, which Go ignores
# in a dependency. A generated wrapper module requires k8s.io/kubernetes@v1.X.Y and replaces each
# staging module with its published v0.X.Y. The staging list is read from the go.mod the proxy
# serves for that exact release, never hard-coded (it changes between minors). etcd gets its own
# wrapper so its dependency versions cannot move kube-apiserver's build graph.
# Nothing of Kubernetes or etcd lands in the repo: wrappers, module cache and binaries live under
# $IRSA_CACHE_DIR and the Go module cache.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

V="$IRSA_K8S_VERSION"
OUT="$IRSA_K8S_BIN_DIR"
if [[ -x "$OUT/kube-apiserver" && -x "$OUT/etcd" ]]; then
  irsa_log "k8s v$V binaries present in $OUT"
  exit 0
fi
command -v go >/dev/null || sandbox_die "go is not on PATH: it is needed once to build kube-apiserver and etcd"
command -v python3 >/dev/null || sandbox_die "python3 is needed to read go.mod JSON"

WORK="$IRSA_CACHE_DIR/build/k8s-v$V"
mkdir -p "$WORK" "$OUT"
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
started=$(sandbox_now)

# --- the Go requirement of this release vs the local toolchain ---------------------------------
GOMOD_JSON="$WORK/kubernetes-go.mod.json"
served_gomod=$(cd "$WORK" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$V" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("GoMod") or sys.exit("go mod download: %s" % d.get("Error")))')
go mod edit -json "$served_gomod" >"$GOMOD_JSON"
need_go=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print((d.get("Toolchain") or {}).get("Name","").removeprefix("go") or d["Go"])' "$GOMOD_JSON")
have_go=$(go env GOVERSION | sed 's/^go//')
if [[ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | tail -1)" != "$have_go" ]]; then
  sandbox_die "k8s v$V needs Go $need_go, local Go is $have_go (GOTOOLCHAIN=$(go env GOTOOLCHAIN)); set IRSA_K8S_VERSION to an older 1.3x release"
fi
irsa_log "k8s v$V needs Go $need_go; building with local Go $have_go"

# --- (a) kube-apiserver wrapper ------------------------------------------------------------------
staging_ver="v0.${V#1.}" # 1.37.2 -> v0.37.2
A="$WORK/kube-apiserver"
rm -rf "$A" && mkdir -p "$A" && cd "$A"
go mod init irsa.sandbox.local/kube-apiserver-peer >/dev/null 2>&1
go mod edit -require="k8s.io/kubernetes@v$V"
# Every `k8s.io/X => ./staging/src/k8s.io/X` of the served go.mod becomes `k8s.io/X => k8s.io/X v0.Y.Z`.
mapfile -t staging < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])).get("Replace") or []:
    if r["New"]["Path"].startswith("./staging/"):
        print(r["Old"]["Path"])' "$GOMOD_JSON")
((${#staging[@]} > 0)) || sandbox_die "no staging replaces found in $served_gomod"
for m in "${staging[@]}"; do go mod edit -replace="$m=$m@$staging_ver"; done
irsa_log "wrapper replaces ${#staging[@]} staging modules with $staging_ver"
# The tool directive keeps `go mod tidy` from dropping the require (nothing imports it otherwise).
go mod edit -tool=k8s.io/kubernetes/cmd/kube-apiserver
irsa_log "resolving kube-apiserver modules (go mod tidy)"
go mod tidy
minor=$(cut -d. -f2 <<<"$V")
irsa_log "compiling kube-apiserver v$V (the long part: ~7 min on 2 cores with empty Go caches)"
t=$(sandbox_now)
go build -trimpath -ldflags "-s -w \
  -X k8s.io/component-base/version.gitVersion=v$V \
  -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" \
  -o "$OUT/kube-apiserver.partial" k8s.io/kubernetes/cmd/kube-apiserver
mv "$OUT/kube-apiserver.partial" "$OUT/kube-apiserver"
irsa_log "kube-apiserver built in $(sandbox_elapsed "$t") s"

# --- (b) etcd wrapper, at the version this k8s release pins -------------------------------------
etcd_ver=$(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["Require"]:
    if r["Path"] == "go.etcd.io/etcd/client/v3":
        print(r["Version"])' "$GOMOD_JSON")
[[ -n "$etcd_ver" ]] || sandbox_die "k8s v$V go.mod pins no go.etcd.io/etcd/client/v3"
E="$WORK/etcd"
rm -rf "$E" && mkdir -p "$E" && cd "$E"
go mod init irsa.sandbox.local/etcd-peer >/dev/null 2>&1
go mod edit -require="go.etcd.io/etcd/server/v3@$etcd_ver" -tool=go.etcd.io/etcd/server/v3
go mod tidy
irsa_log "compiling etcd $etcd_ver"
t=$(sandbox_now)
go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.partial" go.etcd.io/etcd/server/v3
mv "$OUT/etcd.partial" "$OUT/etcd"
irsa_log "etcd built in $(sandbox_elapsed "$t") s"

printf 'kube-apiserver v%s\netcd %s\ngo %s\nbuilt %s in %s s\n' \
  "$V" "$etcd_ver" "$have_go" "$(date -u +%FT%TZ)" "$(sandbox_elapsed "$started")" >"$OUT/VERSIONS"
irsa_log "k8s peers ready in $OUT ($(sandbox_elapsed "$started") s)"
