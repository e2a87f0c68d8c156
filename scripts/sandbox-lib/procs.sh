# shellcheck shell=bash
# Starting and stopping the sandbox's processes by pid. Sourced after common.sh.
#
# Each process runs in its own session (setsid) so that closing the terminal or a Ctrl-C in the
# shell that ran `up` does not take it down half-way; `down` stops it. Its pid and its command
# line are saved, and a pid only counts as ours while /proc/<pid>/cmdline still matches (pids are
# reused).

PIDS_DIR="$IRSA_SANDBOX_DIR/pids"
LOGS_DIR="$IRSA_SANDBOX_DIR/logs"

# proc_start NAME CMD... : starts CMD in the background, logging to $LOGS_DIR/NAME.log.
proc_start() {
  local name=$1
  shift
  mkdir -p "$PIDS_DIR" "$LOGS_DIR"
  # setsid execs in place here: a background job of a script is never a process-group leader.
  # 9>&-: the lock fd of scripts/sandbox must not outlive it in the peers.
  setsid "$@" </dev/null >>"$LOGS_DIR/$name.log" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$PIDS_DIR/$name.pid"
  printf '%s' "$1" >"$PIDS_DIR/$name.cmd"
}

# proc_pid NAME : prints the pid if NAME runs (and is still the process we started).
proc_pid() {
  local name=$1 pid want
  [[ -f "$PIDS_DIR/$name.pid" ]] || return 1
  pid=$(<"$PIDS_DIR/$name.pid")
  want=$(<"$PIDS_DIR/$name.cmd")
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  [[ "$(tr '\0' '\n' </proc/"$pid"/cmdline | head -1)" == "$want" ]] || return 1
  echo "$pid"
}

proc_running() { proc_pid "$1" >/dev/null; }

# pid_alive PID : the process exists and is not a zombie (a zombie is dead, just not yet reaped
# by its parent, which is `up` itself when it stops what it started after a failure).
pid_alive() {
  [[ -e "/proc/$1" ]] && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

# proc_stop NAME : TERM, wait up to 10 s, then KILL; also any process left in its session.
proc_stop() {
  local name=$1 pid i
  if pid=$(proc_pid "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
    if pid_alive "$pid"; then
      irsa_log "$name (pid $pid) ignored TERM; killing"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    # Children it may have forked share its session id (= its pid, thanks to setsid).
    local left
    left=$(ps -eo pid=,sid= | awk -v s="$pid" '$2 == s { print $1 }')
    if [[ -n "$left" ]]; then
      # shellcheck disable=SC2086
      kill -KILL $left 2>/dev/null || true
    fi
    STOPPED_PIDS+=("$pid")
    irsa_log "stopped $name (pid $pid)"
  fi
  rm -f "$PIDS_DIR/$name.pid" "$PIDS_DIR/$name.cmd"
}

STOPPED_PIDS=()

# Gives init a moment (at most 3 s in all) to reap what proc_stop ended: a dead process stays in
# the process table as a zombie until its new parent reaps it, and `pgrep` would still list it.
procs_await_reaped() {
  local i p left
  for ((i = 0; i < 30; i++)); do
    left=0
    for p in "${STOPPED_PIDS[@]}"; do [[ -e "/proc/$p" ]] && left=1; done
    ((left)) || return 0
    sleep 0.1
  done
}

# port_busy PORT : true when something accepts connections on 127.0.0.1:PORT.
port_busy() { (exec 3<>"/dev/tcp/$IRSA_SANDBOX_HOST/$1") 2>/dev/null; }

# port_require_free NAME PORT VAR : fails with a clear message if PORT is taken.
port_require_free() {
  local name=$1 port=$2 var=$3
  if port_busy "$port"; then
    local who=""
    command -v ss >/dev/null && who=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -1)
    sandbox_die "port $port (for $name) on $IRSA_SANDBOX_HOST is taken by another process${who:+: $who}. Stop it, or pick another port with $var=<port>."
  fi
}

# wait_until SECONDS DESCRIPTION CMD... : polls CMD every 0.2 s.
wait_until() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.2
  done
}
