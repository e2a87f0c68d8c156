#!/usr/bin/env bash
# A second kube-apiserver that authenticates EKS tokens the way EKS does, for the
# `authProvider: aws` suite (packages/sandbox-test-utils/src/eksAuth.sandbox.test.ts starts and
# stops it). Needs a running sandbox (its etcd, PKI and built kube-apiserver) and leaves the
# sandbox's own apiserver, flags and state alone:
#
#   kube-apiserver   127.0.0.1:6543, the sandbox's etcd under its own --etcd-prefix, token
#                    webhook = aws-iam-authenticator, RBAC, audit log (Metadata level)
#   aws-iam-authenticator v0.7.18 `server` (unmodified, built by build-aws-iam-authenticator.sh),
#                    127.0.0.1:6544, cluster id = the sandbox's EKS cluster name, MountedFile
#                    mapping: IAM role $IRSA_EKS_AUTH_ROLE_ARN -> user $IRSA_EKS_AUTH_USERNAME,
#                    with HTTPS_PROXY -> sts_forwarder.py and SSL_CERT_FILE = the eks-auth CA
#   sts_forwarder.py 127.0.0.1:6545: the authenticator's HTTPS to sts.<region>.amazonaws.com,
#                    passed on to the STS at $IRSA_EKS_AUTH_STS_UPSTREAM (the test's own
#                    fakecloud with --verify-sigv4, which checks the signature and its expiry)
#
# and applies docs/rbac/backstage-irsa-rbac.yaml there plus a ClusterRoleBinding of its
# ClusterRole to $IRSA_EKS_AUTH_USERNAME (what an aws-auth mapping or access entry does on EKS).
# Why a forwarder and not a flag: docs/sandbox.md ("EKS authentication").
#
# Usage: eks-auth.sh up | down | env
#   up    needs IRSA_EKS_AUTH_STS_UPSTREAM=http://127.0.0.1:<port>; prints the env lines
#   down  stops what `up` started, by pid
# State, pids and logs: $IRSA_SANDBOX_DIR/eks-auth/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$SANDBOX_LIB/procs.sh"

EKS_DIR="$IRSA_SANDBOX_DIR/eks-auth"
PIDS_DIR="$EKS_DIR/pids"
LOGS_DIR="$EKS_DIR/logs"
SANDBOX_PKI="$IRSA_SANDBOX_DIR/pki"
EKS_PKI="$EKS_DIR/pki"
STATE="$EKS_DIR/state"

K8S_PORT="${IRSA_EKS_AUTH_K8S_PORT:-6543}"
WEBHOOK_PORT="${IRSA_EKS_AUTH_WEBHOOK_PORT:-6544}"
PROXY_PORT="${IRSA_EKS_AUTH_PROXY_PORT:-6545}"
K8S_URL="https://$IRSA_SANDBOX_HOST:$K8S_PORT"
ETCD_URL="http://$IRSA_SANDBOX_HOST:$IRSA_SANDBOX_ETCD_CLIENT_PORT"
CLUSTER_ID="$IRSA_SANDBOX_EKS_CLUSTER_NAME"
ROLE_ARN="${IRSA_EKS_AUTH_ROLE_ARN:-arn:aws:iam::$IRSA_SANDBOX_CLUSTER_ACCOUNT_ID:role/backstage-irsa-eks}"
USERNAME="${IRSA_EKS_AUTH_USERNAME:-backstage-irsa-eks}"
# The STS hosts a token may name for the sandbox's region (regional and global endpoint).
STS_HOSTS=("sts.$IRSA_SANDBOX_REGION.amazonaws.com" "sts.amazonaws.com")
COMPONENTS=(eks-kube-apiserver eks-authenticator eks-sts-forwarder)

print_env() {
  local v
  for v in \
    "IRSA_EKS_AUTH_K8S_URL=$K8S_URL" \
    "IRSA_EKS_AUTH_CA_FILE=$SANDBOX_PKI/ca.crt" \
    "IRSA_EKS_AUTH_CLUSTER_ID=$CLUSTER_ID" \
    "IRSA_EKS_AUTH_REGION=$IRSA_SANDBOX_REGION" \
    "IRSA_EKS_AUTH_ROLE_ARN=$ROLE_ARN" \
    "IRSA_EKS_AUTH_USERNAME=$USERNAME" \
    "IRSA_EKS_AUTH_AUDIT_LOG=$LOGS_DIR/kube-audit.log" \
    "IRSA_EKS_AUTH_LOGS_DIR=$LOGS_DIR"; do
    printf 'export %q\n' "$v"
  done
}

down() {
  local c
  for c in "${COMPONENTS[@]}"; do proc_stop "$c"; done
  procs_await_reaped
}

# The eks-auth CA (trusted by the authenticator only, through SSL_CERT_FILE) and the
# forwarder's certificate for the STS hosts. Made anew at each `up`: nothing else trusts it.
make_pki() {
  rm -rf "$EKS_PKI" && mkdir -p "$EKS_PKI"
  (
    cd "$EKS_PKI"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout ca.key -out ca.crt \
      -subj "/CN=backstage-irsa-eks-auth-sts-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout sts.key -out sts.csr -subj "/CN=${STS_HOSTS[0]}" 2>/dev/null
    local san h
    san=$(for h in "${STS_HOSTS[@]}"; do printf 'DNS:%s,' "$h"; done)
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=${san%,}" >san.ext
    openssl x509 -req -in sts.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
      -extfile san.ext -out sts.crt 2>/dev/null
    cat sts.crt ca.crt >sts-chain.crt
    rm -f sts.csr san.ext ca.srl
    chmod 644 ca.crt sts.crt sts-chain.crt
  )
}

authenticator_config() {
  cat <<EOF
clusterID: $CLUSTER_ID
server:
  address: $IRSA_SANDBOX_HOST
  hostname: $IRSA_SANDBOX_HOST
  port: $WEBHOOK_PORT
  stateDir: $STATE/authenticator
  generateKubeconfig: $STATE/webhook-kubeconfig.yaml
  backendMode: [MountedFile]
  mapRoles:
    - roleARN: $ROLE_ARN
      username: $USERNAME
      groups: []
EOF
}

up() {
  [[ -n "${IRSA_EKS_AUTH_STS_UPSTREAM:-}" ]] || sandbox_die "eks-auth: set IRSA_EKS_AUTH_STS_UPSTREAM to the STS to verify tokens with (http://127.0.0.1:<port>)"
  local bin_api="$IRSA_K8S_BIN_DIR/kube-apiserver" bin_auth="$IRSA_AUTHENTICATOR_DIR/aws-iam-authenticator"
  [[ -x "$bin_api" ]] || sandbox_die "eks-auth: no kube-apiserver at $bin_api (scripts/sandbox up builds it)"
  [[ -x "$bin_auth" ]] || sandbox_die "eks-auth: no aws-iam-authenticator at $bin_auth: run scripts/sandbox-lib/build-aws-iam-authenticator.sh"
  [[ -s "$SANDBOX_PKI/ca.crt" && -s "$SANDBOX_PKI/tokens.csv" ]] || sandbox_die "eks-auth: the sandbox is not up (no PKI in $SANDBOX_PKI)"
  [[ "$(curl -sf --max-time 2 "$ETCD_URL/health" 2>/dev/null)" == *'"health":"true"'* ]] ||
    sandbox_die "eks-auth: the sandbox's etcd does not answer at $ETCD_URL (scripts/sandbox up)"
  down 2>/dev/null || true
  port_require_free eks-kube-apiserver "$K8S_PORT" IRSA_EKS_AUTH_K8S_PORT
  port_require_free eks-authenticator "$WEBHOOK_PORT" IRSA_EKS_AUTH_WEBHOOK_PORT
  port_require_free eks-sts-forwarder "$PROXY_PORT" IRSA_EKS_AUTH_PROXY_PORT
  rm -rf "$STATE" "$LOGS_DIR"
  mkdir -p "$STATE/authenticator" "$LOGS_DIR"
  make_pki

  # The moto venv's python (stdlib only here): a pyenv shim would exec another binary than
  # the one proc_start records.
  proc_start eks-sts-forwarder "$IRSA_MOTO_VENV/bin/python" "$SANDBOX_LIB/sts_forwarder.py" "$PROXY_PORT" \
    "$IRSA_EKS_AUTH_STS_UPSTREAM" "$EKS_PKI/sts-chain.crt" "$EKS_PKI/sts.key" "${STS_HOSTS[@]}"

  authenticator_config >"$STATE/authenticator.yaml"
  # A clean environment: no AWS keys or endpoint of the caller's (it needs none to verify),
  # no instance metadata lookups, and only the eks-auth CA trusted for its HTTPS. (Not
  # `env -i`: proc_start must see the binary itself as the process it started.)
  (
    while read -r v; do unset "$v"; done < <(compgen -e)
    export PATH="/usr/bin:/bin" HOME="$STATE/authenticator" \
      HTTPS_PROXY="http://$IRSA_SANDBOX_HOST:$PROXY_PORT" \
      SSL_CERT_FILE="$EKS_PKI/ca.crt" AWS_EC2_METADATA_DISABLED=true
    proc_start eks-authenticator "$bin_auth" server --config "$STATE/authenticator.yaml" --log-format json
  )
  wait_until 60 authenticator test -s "$STATE/webhook-kubeconfig.yaml" ||
    sandbox_die "eks-auth: aws-iam-authenticator wrote no webhook kubeconfig; see $LOGS_DIR/eks-authenticator.log"
  wait_until 60 authenticator bash -c "[[ \"\$(curl -sk --max-time 2 https://$IRSA_SANDBOX_HOST:$WEBHOOK_PORT/healthz)\" == ok ]]" ||
    sandbox_die "eks-auth: aws-iam-authenticator did not become healthy; see $LOGS_DIR/eks-authenticator.log"

  local policy="$STATE/kube-audit-policy.yaml"
  printf '%s\n' 'apiVersion: audit.k8s.io/v1' 'kind: Policy' \
    'omitStages: [RequestReceived, ResponseStarted]' 'rules:' '  - level: Metadata' >"$policy"
  # As the sandbox's apiserver (scripts/sandbox-lib/k8s.sh), plus the token webhook (with its
  # default cache of answers, as on EKS: each refused token of the tests is a new token); its
  # own etcd prefix, so nothing it stores meets the sandbox's objects.
  proc_start eks-kube-apiserver "$bin_api" \
    --etcd-servers="$ETCD_URL" --etcd-prefix=/irsa-eks-auth \
    --bind-address="$IRSA_SANDBOX_HOST" --secure-port="$K8S_PORT" \
    --advertise-address="$IRSA_SANDBOX_HOST" --endpoint-reconciler-type=none \
    --tls-cert-file="$SANDBOX_PKI/apiserver-bundle.crt" --tls-private-key-file="$SANDBOX_PKI/apiserver.key" \
    --client-ca-file="$SANDBOX_PKI/ca.crt" \
    --token-auth-file="$SANDBOX_PKI/tokens.csv" \
    --authentication-token-webhook-config-file="$STATE/webhook-kubeconfig.yaml" \
    --authentication-token-webhook-version=v1beta1 \
    --authorization-mode=RBAC \
    --service-account-issuer="https://$IRSA_SANDBOX_HOST/id/eks-auth" \
    --service-account-signing-key-file="$SANDBOX_PKI/sa.key" \
    --service-account-key-file="$SANDBOX_PKI/sa.pub" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --disable-admission-plugins=ServiceAccount \
    --enable-priority-and-fairness=false \
    --audit-policy-file="$policy" --audit-log-path="$LOGS_DIR/kube-audit.log" --audit-log-format=json \
    --audit-log-mode=blocking \
    --cert-dir="$STATE/apiserver-certs" \
    --profiling=false --v=1
  wait_until 120 kube-apiserver bash -c "[[ \"\$(curl -s --max-time 2 --cacert '$SANDBOX_PKI/ca.crt' '$K8S_URL/readyz')\" == ok ]]" ||
    sandbox_die "eks-auth: the kube-apiserver on $K8S_PORT did not become ready; see $LOGS_DIR/eks-kube-apiserver.log"

  # docs/rbac/backstage-irsa-rbac.yaml, and its ClusterRole bound to the mapped user.
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$SANDBOX_LIB" "$IRSA_MOTO_VENV/bin/python" - "$K8S_URL" "$SANDBOX_PKI/ca.crt" \
    "$(cut -d, -f1 "$SANDBOX_PKI/tokens.csv")" "$SANDBOX_REPO/docs/rbac/backstage-irsa-rbac.yaml" "$USERNAME" <<'PY'
import sys
import yaml
from kubeapi import KubeApi
from seed_k8s import apply

server, ca_file, token, rbac_file, username = sys.argv[1:]
api = KubeApi(server, open(ca_file).read(), token=token)
for obj in yaml.safe_load_all(open(rbac_file)):
    if obj:
        apply(api, obj)
apply(api, {
    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
    "metadata": {"name": "backstage-irsa-eks",
                 "labels": {"app.kubernetes.io/part-of": "backstage-irsa-sandbox"}},
    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "backstage-irsa"},
    "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": username}],
})
PY
  print_env >"$EKS_DIR/env.sh"
  irsa_log "eks-auth: kube-apiserver $K8S_URL with aws-iam-authenticator $IRSA_AUTHENTICATOR_VERSION (cluster id $CLUSTER_ID, $ROLE_ARN -> $USERNAME), STS via $IRSA_EKS_AUTH_STS_UPSTREAM"
  print_env
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) print_env ;;
  *)
    echo "usage: $0 up|down|env" >&2
    exit 2
    ;;
esac
