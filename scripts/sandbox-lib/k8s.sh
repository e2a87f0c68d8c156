# shellcheck shell=bash
# Starting etcd and kube-apiserver (built by build-k8s.sh). Sourced after common.sh, procs.sh, pki.sh.
#
# Only etcd + kube-apiserver run: no controller-manager, scheduler or kubelet. Consequences the
# tests design around (docs/sandbox.md): namespaces never finish deleting, no `default`
# ServiceAccount appears in new namespaces, pods stay Pending, no garbage collection.

K8S_URL="https://$IRSA_SANDBOX_HOST:$IRSA_SANDBOX_K8S_PORT"
ETCD_URL="http://$IRSA_SANDBOX_HOST:$IRSA_SANDBOX_ETCD_CLIENT_PORT"
# One JSON line per API request (IRSA_SANDBOX_K8S_AUDIT_LOG): tests count the writes and
# TokenRequests that reached the apiserver from its own record (peerRequestLog.ts).
K8S_AUDIT_LOG="$LOGS_DIR/kube-audit.log"

etcd_start() {
  local data="$IRSA_SANDBOX_DIR/etcd"
  # A fresh store per `up`: moto keeps its state in memory only, so both sides start empty together.
  rm -rf "$data"
  local peer="http://$IRSA_SANDBOX_HOST:$IRSA_SANDBOX_ETCD_PEER_PORT"
  proc_start etcd "$IRSA_K8S_BIN_DIR/etcd" \
    --name sandbox --data-dir "$data" \
    --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "sandbox=$peer" --initial-cluster-state new \
    --unsafe-no-fsync --log-level warn
}

etcd_ready() { [[ "$(curl -sf --max-time 2 "$ETCD_URL/health" 2>/dev/null)" == *'"health":"true"'* ]]; }

# The ServiceAccount issuer, kept with the PKI so it is stable across runs:
# https://127.0.0.1/id/<hex>, shaped like an EKS issuer. It is not the apiserver's URL: IAM provider
# URLs carry no port (the product rejects issuers with one, as IAM does), and on EKS too the issuer
# host is not the API server. Like a real issuer it serves its discovery document and JWKS at the
# issuer URL itself, on port 443 (issuer_server.py, component `issuer`), so the product's discovery
# checks (F8, F9, F19) fetch them as they would on EKS. IRSA_SANDBOX_ISSUER overrides it; its path
# is served on 127.0.0.1:443 all the same, so an override whose host is not 127.0.0.1 makes those
# checks fail (F19), as an unreachable issuer does.
ISSUER_PORT=443
sandbox_issuer() {
  if [[ -n "${IRSA_SANDBOX_ISSUER:-}" ]]; then
    echo "${IRSA_SANDBOX_ISSUER%/}"
    return
  fi
  local id_file="$PKI_DIR/issuer-id"
  if [[ ! -s "$id_file" ]]; then
    openssl rand -hex 16 | tr 'a-f' 'A-F' >"$id_file"
  fi
  echo "https://$IRSA_SANDBOX_HOST/id/$(cat "$id_file")"
}

# The issuer host (see sandbox_issuer): discovery and JWKS fetched from the apiserver, served with
# the apiserver's certificate (IP 127.0.0.1, signed by the sandbox CA) on port 443.
issuer_start() {
  rm -f "$IRSA_SANDBOX_DIR/issuer-fault.json" # a fault left by an interrupted test
  proc_start issuer "$IRSA_MOTO_VENV/bin/python" "$SANDBOX_LIB/issuer_server.py" "$(sandbox_issuer)" "$K8S_URL" \
    "$PKI_DIR/ca.crt" "$PKI_DIR/apiserver-bundle.crt" "$PKI_DIR/apiserver.key" "$IRSA_SANDBOX_DIR/issuer-fault.json"
}

issuer_ready() {
  [[ "$(curl -s --max-time 2 --cacert "$PKI_DIR/ca.crt" "https://$IRSA_SANDBOX_HOST:$ISSUER_PORT/healthz" 2>/dev/null)" == ok ]]
}

# Port 443 is privileged: `up` needs root (as in CI) or CAP_NET_BIND_SERVICE for python3, and the
# port free; says so instead of failing later.
issuer_require_port() {
  if port_busy "$ISSUER_PORT"; then
    local who=""
    command -v ss >/dev/null && who=$(ss -ltnpH "sport = :$ISSUER_PORT" 2>/dev/null | head -1)
    sandbox_die "port $ISSUER_PORT (for the sandbox's OIDC issuer) on $IRSA_SANDBOX_HOST is taken${who:+: $who}. IAM provider URLs carry no port, so the issuer cannot move: stop that process (another sandbox? scripts/sandbox down with its IRSA_SANDBOX_DIR)."
  fi
  if ((EUID != 0)) && (($(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo 1024) > ISSUER_PORT)); then
    sandbox_die "the sandbox's OIDC issuer must listen on 127.0.0.1:443 (IAM provider URLs carry no port), which needs root here: run as root, or allow it with: sysctl net.ipv4.ip_unprivileged_port_start=443"
  fi
}

# Metadata level (who, verb, object, status; never bodies, so never a token) for every request,
# logged once when it completes: RequestReceived and ResponseStarted would double each line.
audit_policy() {
  cat <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted]
rules:
  - level: Metadata
EOF
}

apiserver_start() {
  local policy="$IRSA_SANDBOX_DIR/state/kube-audit-policy.yaml"
  mkdir -p "${policy%/*}"
  audit_policy >"$policy"
  # --advertise-address=127.0.0.1 needs --endpoint-reconciler-type=none: the `kubernetes` Service
  #   endpoint may not be loopback, and there may be no default route to advertise instead.
  # The issuer (see sandbox_issuer) is the `iss` of every token and IRSA_SANDBOX_OIDC_ISSUER;
  #   discovery names <issuer>/keys as jwks_uri, which issuer_server.py serves.
  # ServiceAccount admission is off: it would reject pods because no controller makes the
  #   `default` ServiceAccount.
  # Priority-and-fairness is off to save CPU on 2-core machines; it plays no part in IRSA.
  # Audit: blocking mode writes each event from the request's own handler as it completes (no
  #   batch buffer), so a line lands within milliseconds of the answer; readers still wait for
  #   a sentinel request of their own instead of relying on that. 1 GiB before rotation, so a
  #   reader holding a byte offset never sees the file start over within a run.
  proc_start kube-apiserver "$IRSA_K8S_BIN_DIR/kube-apiserver" \
    --etcd-servers="$ETCD_URL" \
    --bind-address="$IRSA_SANDBOX_HOST" --secure-port="$IRSA_SANDBOX_K8S_PORT" \
    --advertise-address="$IRSA_SANDBOX_HOST" --endpoint-reconciler-type=none \
    --tls-cert-file="$PKI_DIR/apiserver-bundle.crt" --tls-private-key-file="$PKI_DIR/apiserver.key" \
    --client-ca-file="$PKI_DIR/ca.crt" \
    --token-auth-file="$PKI_DIR/tokens.csv" \
    --authorization-mode=RBAC \
    --service-account-issuer="$(sandbox_issuer)" \
    --service-account-jwks-uri="$(sandbox_issuer)/keys" \
    --service-account-signing-key-file="$PKI_DIR/sa.key" \
    --service-account-key-file="$PKI_DIR/sa.pub" \
    --service-account-max-token-expiration="${IRSA_SANDBOX_TOKEN_SECONDS}s" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --disable-admission-plugins=ServiceAccount \
    --enable-priority-and-fairness=false \
    --audit-policy-file="$policy" --audit-log-path="$K8S_AUDIT_LOG" --audit-log-format=json \
    --audit-log-mode=blocking --audit-log-maxsize=1024 --audit-log-maxbackup=1 \
    --cert-dir="$IRSA_SANDBOX_DIR/apiserver-certs" \
    --profiling=false --v=1
}

apiserver_ready() {
  [[ "$(curl -s --max-time 2 --cacert "$PKI_DIR/ca.crt" "$K8S_URL/readyz" 2>/dev/null)" == ok ]]
}
