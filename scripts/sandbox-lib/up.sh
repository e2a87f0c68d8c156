# shellcheck shell=bash
# `scripts/sandbox up`: build what is missing, start the peers, wait, seed, write env.sh.
# Sourced by scripts/sandbox after common.sh, procs.sh, pki.sh and k8s.sh.

MOTO_URL="http://$IRSA_SANDBOX_HOST:$IRSA_SANDBOX_MOTO_PORT"
STATE_DIR="$IRSA_SANDBOX_DIR/state"
# One JSON line per AWS request moto serves (moto_launcher.py); the apiserver's audit log is
# K8S_AUDIT_LOG (k8s.sh). Both start empty with each `up`.
AWS_REQUEST_LOG="$LOGS_DIR/aws-requests.log"

# fakecloud: the second opinion behind shim 3 (STS AssumeRoleWithWebIdentity; docs/sandbox.md).
# Started when installed; required when IRSA_SANDBOX_REQUIRED=1 (scripts/test). Without it
# (scripts/dev on a fresh machine) moto's permissive STS answers, and the moto log says so.
SANDBOX_FC_URL="http://$IRSA_SANDBOX_HOST:$IRSA_SANDBOX_FAKECLOUD_PORT"

fakecloud_bin() { echo "${IRSA_FAKECLOUD_BIN:-$IRSA_FAKECLOUD_DIR/bin/fakecloud}"; }

# Decides whether this `up` runs fakecloud; writes the answer to $STS_FILE.
fakecloud_decide() {
  if [[ "${IRSA_SANDBOX_STS:-}" == permissive && "${IRSA_SANDBOX_REQUIRED:-}" != 1 ]]; then
    irsa_log "WARNING: IRSA_SANDBOX_STS=permissive: STS in this sandbox accepts ANY web identity token"
    echo permissive >"$STS_FILE"
  elif [[ -x "$(fakecloud_bin)" ]]; then
    echo fakecloud >"$STS_FILE"
  elif [[ "${IRSA_SANDBOX_REQUIRED:-}" == 1 ]]; then
    sandbox_die "fakecloud $IRSA_FAKECLOUD_VERSION is not installed at $(fakecloud_bin), and IRSA_SANDBOX_REQUIRED=1 needs STS checks: run scripts/sandbox-lib/install-fakecloud.sh (or set IRSA_FAKECLOUD_BIN)"
  else
    irsa_log "WARNING: fakecloud is not installed ($(fakecloud_bin)): STS in this sandbox accepts ANY web identity token; run scripts/sandbox-lib/install-fakecloud.sh for STS checks"
    echo permissive >"$STS_FILE"
  fi
}

fakecloud_start() {
  # State in memory; flags only (no FAKECLOUD_* from the caller's environment: hence no
  # variable of ours may start with FAKECLOUD_).
  unset "${!FAKECLOUD_@}"
  NO_COLOR=1 proc_start fakecloud "$(fakecloud_bin)" \
    --addr "$IRSA_SANDBOX_HOST:$IRSA_SANDBOX_FAKECLOUD_PORT" \
    --account-id 000000000099 --region us-east-1 --log-level warn
}

fakecloud_ready() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$SANDBOX_FC_URL/_fakecloud/health" 2>/dev/null)" == 200 ]]
}

moto_start() {
  export MOTO_IAM_LOAD_MANAGED_POLICIES=true # AWS-managed policy ARNs can be attached
  export IRSA_SANDBOX_EKS_OVERRIDES="$STATE_DIR/eks-overrides.json"
  export IRSA_SANDBOX_AWS_REQUEST_LOG="$AWS_REQUEST_LOG"
  export IRSA_SANDBOX_CA_FILE="$IRSA_SANDBOX_DIR/pki/ca.crt"
  if [[ "$(cat "$STS_FILE")" == fakecloud ]]; then
    export IRSA_SANDBOX_FAKECLOUD_URL="$SANDBOX_FC_URL"
  else
    unset IRSA_SANDBOX_FAKECLOUD_URL
  fi
  proc_start moto "$IRSA_MOTO_VENV/bin/python" "$SANDBOX_LIB/moto_launcher.py" "$IRSA_SANDBOX_MOTO_PORT"
}

moto_ready() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$MOTO_URL/moto-api/" 2>/dev/null)" == 200 ]]
}

# Waits for a component, failing fast when its process has died.
await() {
  local name=$1 secs=$2 check=$3
  local deadline=$((SECONDS + secs))
  until "$check"; do
    proc_running "$name" || sandbox_die "$name exited during start-up; see $LOGS_DIR/$name.log"
    ((SECONDS < deadline)) || sandbox_die "$name not ready after ${secs}s; see $LOGS_DIR/$name.log"
    sleep 0.2
  done
}

# On a failed `up`, show why and stop what was started: no half-up sandbox stays behind.
up_on_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  local c
  for c in etcd kube-apiserver issuer fakecloud moto; do
    if [[ -s "$LOGS_DIR/$c.log" ]]; then
      irsa_log "last lines of $LOGS_DIR/$c.log:"
      tail -n 15 "$LOGS_DIR/$c.log" >&2
    fi
  done
  irsa_log "sandbox up failed; stopping what it started"
  for c in issuer kube-apiserver etcd fakecloud moto; do proc_stop "$c"; done
  rm -f "$ENV_FILE"
  exit "$rc"
}

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

write_env() {
  local k8s="$STATE_DIR/k8s.json" aws="$STATE_DIR/aws.json" audit=""
  # An external cluster's audit log is its operators' business: the variable stays empty.
  if [[ "$(cat "$MODE_FILE")" == local ]]; then audit="$K8S_AUDIT_LOG"; fi
  local -a vars=(
    IRSA_SANDBOX_DIR="$IRSA_SANDBOX_DIR"
    IRSA_SANDBOX_MODE="$(cat "$MODE_FILE")"
    IRSA_SANDBOX_REGION="$IRSA_SANDBOX_REGION"
    IRSA_SANDBOX_AWS_ENDPOINT="$MOTO_URL"
    IRSA_SANDBOX_AWS_ACCESS_KEY_ID="$IRSA_SANDBOX_AWS_ACCESS_KEY_ID"
    IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY="$IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY"
    IRSA_SANDBOX_BACKSTAGE_ACCOUNT_ID="$IRSA_SANDBOX_BACKSTAGE_ACCOUNT_ID"
    IRSA_SANDBOX_CLUSTER_ACCOUNT_ID="$IRSA_SANDBOX_CLUSTER_ACCOUNT_ID"
    IRSA_SANDBOX_TARGET_ACCOUNT_ID="$IRSA_SANDBOX_TARGET_ACCOUNT_ID"
    IRSA_SANDBOX_MANAGER_ROLE_NAME="$IRSA_SANDBOX_MANAGER_ROLE_NAME"
    IRSA_SANDBOX_EKS_CLUSTER_NAME="$IRSA_SANDBOX_EKS_CLUSTER_NAME"
    IRSA_SANDBOX_EKS_CLUSTER_ARN="$(json_field "$aws" eksClusterArn)"
    IRSA_SANDBOX_K8S_URL="$(json_field "$k8s" server)"
    IRSA_SANDBOX_OIDC_ISSUER="$(json_field "$k8s" issuer)"
    IRSA_SANDBOX_K8S_CA_FILE="$(json_field "$k8s" caFile)"
    IRSA_SANDBOX_K8S_CA_DATA="$(json_field "$k8s" caData)"
    IRSA_SANDBOX_K8S_TOKEN="$(json_field "$k8s" backstageToken)"
    IRSA_SANDBOX_K8S_ADMIN_TOKEN="$(json_field "$k8s" adminToken)"
    IRSA_SANDBOX_KUBECONFIG="$(json_field "$k8s" adminKubeconfig)"
    IRSA_SANDBOX_BACKSTAGE_KUBECONFIG="$(json_field "$k8s" backstageKubeconfig)"
    IRSA_SANDBOX_K8S_AUDIT_LOG="$audit"
    IRSA_SANDBOX_AWS_REQUEST_LOG="$AWS_REQUEST_LOG"
    IRSA_SANDBOX_STS="$(cat "$STS_FILE")"
  )
  local kv
  (
    umask 077
    for kv in "${vars[@]}"; do printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"; done >"$ENV_FILE.partial"
  )
  mv "$ENV_FILE.partial" "$ENV_FILE"
}

cmd_up() {
  local t0 mode
  t0=$(sandbox_now)
  if all_up; then
    echo "sandbox is already up ($(cat "$MODE_FILE") mode)"
    print_endpoints
    return 0
  fi
  if any_running; then
    irsa_log "sandbox is partly up; restarting it"
    cmd_down
  fi
  mode=local
  sandbox_external_mode && mode=external

  port_require_free moto "$IRSA_SANDBOX_MOTO_PORT" IRSA_SANDBOX_MOTO_PORT
  port_require_free fakecloud "$IRSA_SANDBOX_FAKECLOUD_PORT" IRSA_SANDBOX_FAKECLOUD_PORT
  if [[ $mode == local ]]; then
    port_require_free kube-apiserver "$IRSA_SANDBOX_K8S_PORT" IRSA_SANDBOX_K8S_PORT
    port_require_free "etcd client" "$IRSA_SANDBOX_ETCD_CLIENT_PORT" IRSA_SANDBOX_ETCD_CLIENT_PORT
    port_require_free "etcd peer" "$IRSA_SANDBOX_ETCD_PEER_PORT" IRSA_SANDBOX_ETCD_PEER_PORT
    issuer_require_port
  fi
  command -v curl >/dev/null || sandbox_die "curl is needed for readiness checks"

  "$SANDBOX_LIB/install-moto.sh"
  [[ $mode == local ]] && "$SANDBOX_LIB/build-k8s.sh"

  mkdir -p "$IRSA_SANDBOX_DIR" "$STATE_DIR" "$LOGS_DIR"
  rm -f "$STATE_DIR"/* "$LOGS_DIR"/*.log
  echo "$mode" >"$MODE_FILE"
  trap up_on_exit EXIT
  fakecloud_decide

  local t
  t=$(sandbox_now)
  moto_start # first: its Python imports take the longest
  [[ "$(cat "$STS_FILE")" == fakecloud ]] && fakecloud_start
  if [[ $mode == local ]]; then
    pki_ensure
    etcd_start
    await etcd 30 etcd_ready
    apiserver_start
    issuer_start
  fi
  await moto 60 moto_ready
  if [[ "$(cat "$STS_FILE")" == fakecloud ]]; then await fakecloud 30 fakecloud_ready; fi
  if [[ $mode == local ]]; then
    await kube-apiserver 120 apiserver_ready
    await issuer 30 issuer_ready
  fi
  irsa_log "peers ready in $(sandbox_elapsed "$t") s"

  t=$(sandbox_now)
  local py="$IRSA_MOTO_VENV/bin/python"
  export IRSA_SANDBOX_DIR IRSA_SANDBOX_K8S_NAMESPACE IRSA_SANDBOX_K8S_SA IRSA_SANDBOX_TOKEN_SECONDS
  export IRSA_SANDBOX_REPO="$SANDBOX_REPO"
  if [[ $mode == local ]]; then
    "$py" "$SANDBOX_LIB/seed_k8s.py" local "$K8S_URL" "$PKI_DIR/ca.crt" "$(pki_admin_token)" \
      >"$STATE_DIR/k8s.json"
  else
    [[ -n "$IRSA_SANDBOX_EXTERNAL_KUBECONFIG" ]] || IRSA_SANDBOX_EXTERNAL_KUBECONFIG="${KUBECONFIG:-$HOME/.kube/config}"
    "$py" "$SANDBOX_LIB/seed_k8s.py" external "${IRSA_SANDBOX_EXTERNAL_KUBECONFIG%%:*}" \
      $IRSA_SANDBOX_KUBECONFIG_CONTEXT >"$STATE_DIR/k8s.json"
  fi
  chmod 600 "$STATE_DIR/k8s.json"
  export IRSA_SANDBOX_AWS_ENDPOINT="$MOTO_URL" K8S_STATE_JSON="$STATE_DIR/k8s.json"
  export IRSA_SANDBOX_REGION IRSA_SANDBOX_BACKSTAGE_ACCOUNT_ID IRSA_SANDBOX_CLUSTER_ACCOUNT_ID \
    IRSA_SANDBOX_TARGET_ACCOUNT_ID IRSA_SANDBOX_MANAGER_ROLE_NAME IRSA_SANDBOX_EKS_CLUSTER_NAME \
    IRSA_SANDBOX_AWS_ACCESS_KEY_ID IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY
  "$py" "$SANDBOX_LIB/seed_aws.py" >"$STATE_DIR/aws.json"
  irsa_log "seeded in $(sandbox_elapsed "$t") s"

  write_env
  trap - EXIT
  echo "sandbox is up ($mode mode) in $(sandbox_elapsed "$t0") s; endpoints:"
  print_endpoints
}
