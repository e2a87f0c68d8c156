# shellcheck shell=bash
# Shared settings of the sandbox: pinned versions, ports, paths, small helpers.
# Sourced by scripts/sandbox and every scripts/sandbox-lib/*.sh; defines, never runs anything.

SANDBOX_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SANDBOX_REPO="$(cd "$SANDBOX_LIB/../.." && pwd)"

# toolchain.sh (owned by the lead) gives IRSA_CACHE_DIR and irsa_log; it runs nothing when sourced.
# shellcheck source=../lib/toolchain.sh
source "$SANDBOX_REPO/scripts/lib/toolchain.sh"

# --- pinned versions --------------------------------------------------------------------------
# k8s 1.37.2 is the newest release on the Go module proxy whose go.mod says `go 1.26.0`, which the
# local go1.26.8 (GOTOOLCHAIN=local) builds. etcd's version is not pinned here: build-k8s.sh reads
# it from that release's own go.mod (the go.etcd.io/etcd/client/v3 it is built and tested with).
IRSA_K8S_VERSION="${IRSA_K8S_VERSION:-1.37.2}"
IRSA_MOTO_VERSION="${IRSA_MOTO_VERSION:-5.2.5}"
# fakecloud: the AWS peer that enforces IAM policies, used only by the manager-policy test
# (AGPL, run as a separate process, never shipped); see install-fakecloud.sh.
IRSA_FAKECLOUD_VERSION="${IRSA_FAKECLOUD_VERSION:-0.51.0}"
# aws-iam-authenticator: the EKS webhook token authenticator behind the `authProvider: aws`
# suite (eks-auth.sh). v0.7.18 is the newest release on the Go module proxy; its go.mod says
# `go 1.26.3`, which the local go1.26.8 builds.
IRSA_AUTHENTICATOR_VERSION="${IRSA_AUTHENTICATOR_VERSION:-v0.7.18}"

IRSA_K8S_BIN_DIR="$IRSA_CACHE_DIR/k8s-v$IRSA_K8S_VERSION"
IRSA_MOTO_VENV="$IRSA_CACHE_DIR/moto-venv-$IRSA_MOTO_VERSION"
IRSA_FAKECLOUD_DIR="$IRSA_CACHE_DIR/fakecloud-$IRSA_FAKECLOUD_VERSION"
IRSA_AUTHENTICATOR_DIR="$IRSA_CACHE_DIR/aws-iam-authenticator-$IRSA_AUTHENTICATOR_VERSION"

# --- runtime state and ports (all overridable) ------------------------------------------------
IRSA_SANDBOX_DIR="${IRSA_SANDBOX_DIR:-$SANDBOX_REPO/.sandbox}"
IRSA_SANDBOX_MOTO_PORT="${IRSA_SANDBOX_MOTO_PORT:-4566}"
IRSA_SANDBOX_FAKECLOUD_PORT="${IRSA_SANDBOX_FAKECLOUD_PORT:-4567}"
IRSA_SANDBOX_K8S_PORT="${IRSA_SANDBOX_K8S_PORT:-6443}"
IRSA_SANDBOX_ETCD_CLIENT_PORT="${IRSA_SANDBOX_ETCD_CLIENT_PORT:-23790}"
IRSA_SANDBOX_ETCD_PEER_PORT="${IRSA_SANDBOX_ETCD_PEER_PORT:-23800}"
# Every listener binds here and nowhere else.
IRSA_SANDBOX_HOST=127.0.0.1

# --- the seeded world (names the product and the tests rely on) --------------------------------
IRSA_SANDBOX_REGION=us-east-1
IRSA_SANDBOX_BACKSTAGE_ACCOUNT_ID=123456789012 # moto's default account = Backstage's "main"
IRSA_SANDBOX_CLUSTER_ACCOUNT_ID=111111111111
IRSA_SANDBOX_TARGET_ACCOUNT_ID=222222222222
IRSA_SANDBOX_MANAGER_ROLE_NAME=backstage-irsa-manager
IRSA_SANDBOX_EKS_CLUSTER_NAME=sandbox
# Dummy keys: moto maps unknown keys to its default account, 123456789012.
IRSA_SANDBOX_AWS_ACCESS_KEY_ID=AKIASANDBOXMAINACCT1
IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY=sandbox-secret-not-a-real-key
IRSA_SANDBOX_K8S_NAMESPACE=backstage-irsa-system
IRSA_SANDBOX_K8S_SA=backstage-irsa
# Lifetime of the backstage-irsa token handed to a dev session; the apiserver's
# --service-account-max-token-expiration is set to match.
IRSA_SANDBOX_TOKEN_SECONDS="${IRSA_SANDBOX_TOKEN_SECONDS:-86400}"

# Existing cluster instead of the built kube-apiserver (see docs/sandbox.md).
IRSA_SANDBOX_EXTERNAL_KUBECONFIG="${IRSA_SANDBOX_EXTERNAL_KUBECONFIG:-}"
IRSA_SANDBOX_KUBECONFIG_CONTEXT="${IRSA_SANDBOX_KUBECONFIG_CONTEXT:-}"

sandbox_external_mode() { [[ -n "$IRSA_SANDBOX_EXTERNAL_KUBECONFIG$IRSA_SANDBOX_KUBECONFIG_CONTEXT" ]]; }

sandbox_die() { irsa_log "sandbox: $*"; exit 1; }

# Seconds since the epoch with millisecond precision, for timings in logs.
sandbox_now() { date +%s.%N | cut -c1-14; }
sandbox_elapsed() { awk -v a="$1" -v b="$(sandbox_now)" 'BEGIN { printf "%.1f", b - a }'; }
