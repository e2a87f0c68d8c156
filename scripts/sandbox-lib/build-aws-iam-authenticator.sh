#!/usr/bin/env bash
# Builds aws-iam-authenticator (the EKS webhook token authenticator) from the Go module proxy into
# $IRSA_AUTHENTICATOR_DIR, unless present. Used by eks-auth.sh (the `authProvider: aws` suite).
#
# Why a wrapper module and not `go install ...@version`: the release's go.mod has a replace
# directive (google.golang.org/protobuf), and `go install pkg@version` refuses modules with one.
# The wrapper requires the release and copies each versioned replace of the go.mod the proxy
# serves for it (never hard-coded), so the build graph is the release's own. Nothing of the
# authenticator lands in the repo: wrapper, module cache and binary live under $IRSA_CACHE_DIR
# and the Go module cache.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

V="$IRSA_AUTHENTICATOR_VERSION"
OUT="$IRSA_AUTHENTICATOR_DIR"
if [[ -x "$OUT/aws-iam-authenticator" ]]; then
  irsa_log "aws-iam-authenticator $V present in $OUT"
  exit 0
fi
command -v go >/dev/null || sandbox_die "go is not on PATH: it is needed once to build aws-iam-authenticator"
command -v python3 >/dev/null || sandbox_die "python3 is needed to read go.mod JSON"

MOD=sigs.k8s.io/aws-iam-authenticator
WORK="$IRSA_CACHE_DIR/build/aws-iam-authenticator-$V"
rm -rf "$WORK" && mkdir -p "$WORK" "$OUT"
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
started=$(sandbox_now)

served_gomod=$(cd "$WORK" && go mod download -json "$MOD@$V" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("GoMod") or sys.exit("go mod download: %s" % d.get("Error")))')
go mod edit -json "$served_gomod" >"$WORK/served-go.mod.json"
need_go=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print((d.get("Toolchain") or {}).get("Name","").removeprefix("go") or d["Go"])' "$WORK/served-go.mod.json")
have_go=$(go env GOVERSION | sed 's/^go//')
if [[ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | tail -1)" != "$have_go" ]]; then
  sandbox_die "aws-iam-authenticator $V needs Go $need_go, local Go is $have_go; set IRSA_AUTHENTICATOR_VERSION to an older release"
fi

cd "$WORK"
go mod init irsa.sandbox.local/aws-iam-authenticator-peer >/dev/null 2>&1
go mod edit -require="$MOD@$V" -tool="$MOD/cmd/aws-iam-authenticator"
# Every `X => Y vN` of the served go.mod (a local-path replace would have no version: none in
# the releases read, and it could not be honoured from the proxy anyway).
while read -r old new; do
  go mod edit -replace="$old=$new"
done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])).get("Replace") or []:
    if r["New"].get("Version"):
        print(r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else ""),
              r["New"]["Path"] + "@" + r["New"]["Version"])' "$WORK/served-go.mod.json")
irsa_log "resolving aws-iam-authenticator $V modules (go mod tidy)"
go mod tidy
irsa_log "compiling aws-iam-authenticator $V"
go build -trimpath -ldflags "-s -w -X $MOD/pkg.Version=$V" \
  -o "$OUT/aws-iam-authenticator.partial" "$MOD/cmd/aws-iam-authenticator"
mv "$OUT/aws-iam-authenticator.partial" "$OUT/aws-iam-authenticator"
printf 'aws-iam-authenticator %s\ngo %s\nbuilt %s in %s s\n' \
  "$V" "$have_go" "$(date -u +%FT%TZ)" "$(sandbox_elapsed "$started")" >"$OUT/VERSIONS"
irsa_log "aws-iam-authenticator $V built in $(sandbox_elapsed "$started") s into $OUT"
