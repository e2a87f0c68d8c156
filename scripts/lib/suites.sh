# shellcheck shell=bash
# Suite bookkeeping for scripts/test: each suite's log goes to test-results/<name>.log;
# counts come from the runner's own report where it has one (Jest JSON, node:test TAP),
# otherwise the suite counts as one check. RESULTS must be set by the caller.

SUITE_ROWS=()
TOTAL_PASSED=0
TOTAL_FAILED=0

_record() { # name passed failed seconds
  SUITE_ROWS+=("$1 $2 $3 $4")
  TOTAL_PASSED=$((TOTAL_PASSED + $2))
  TOTAL_FAILED=$((TOTAL_FAILED + $3))
  irsa_log "suite $1: $2 passed, $3 failed (${4}s) — log: test-results/$1.log"
}

# run_suite NAME CMD...: one check, passed when CMD exits 0.
run_suite() {
  local name=$1 start rc
  shift
  start=$SECONDS
  irsa_log "suite $name: $*"
  "$@" >"$RESULTS/$name.log" 2>&1
  rc=$?
  if [[ $rc == 0 ]]; then _record "$name" 1 0 $((SECONDS - start)); else
    tail -n 40 "$RESULTS/$name.log" >&2
    _record "$name" 0 1 $((SECONDS - start))
  fi
  return $rc
}

# run_jest_suite NAME CMD...: counts every Jest test from its JSON report.
run_jest_suite() {
  local name=$1 start rc json passed failed
  shift
  start=$SECONDS
  json="$RESULTS/$name.json"
  irsa_log "suite $name: $*"
  "$@" --json --outputFile="$json" >"$RESULTS/$name.log" 2>&1
  rc=$?
  if [[ -s $json ]]; then
    passed=$(node -p "require('$json').numPassedTests")
    failed=$(node -p "const r=require('$json'); r.numFailedTests + r.numRuntimeErrorTestSuites")
  else
    passed=0 failed=0
  fi
  # A crashed or empty run must not read as green.
  if [[ $rc != 0 && $failed == 0 ]]; then failed=1; fi
  if [[ $passed == 0 && $failed == 0 ]]; then failed=1; fi
  [[ $rc != 0 ]] && tail -n 60 "$RESULTS/$name.log" >&2
  _record "$name" "$passed" "$failed" $((SECONDS - start))
}

# run_node_test_suite NAME CMD...: counts node:test results from its TAP summary.
run_node_test_suite() {
  local name=$1 start rc passed failed
  shift
  start=$SECONDS
  irsa_log "suite $name: $*"
  "$@" >"$RESULTS/$name.log" 2>&1
  rc=$?
  passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -n1)
  failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$RESULTS/$name.log" | tail -n1)
  passed=${passed:-0} failed=${failed:-0}
  if [[ $rc != 0 && $failed == 0 ]]; then failed=1; fi
  if [[ $passed == 0 && $failed == 0 ]]; then failed=1; fi
  [[ $rc != 0 ]] && tail -n 60 "$RESULTS/$name.log" >&2
  _record "$name" "$passed" "$failed" $((SECONDS - start))
}

# Writes test-results/summary.txt and .json, prints the closing line, sets the exit code.
finish_suites() {
  {
    printf '%-16s %8s %8s %8s\n' suite passed failed seconds
    local row
    for row in "${SUITE_ROWS[@]}"; do
      # shellcheck disable=SC2086
      printf '%-16s %8s %8s %8s\n' $row
    done
  } >"$RESULTS/summary.txt"
  printf '%s\n' "${SUITE_ROWS[@]}" | node -e '
    const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").filter(Boolean)
      .map(l => { const [suite, passed, failed, seconds] = l.split(" ");
        return { suite, passed: +passed, failed: +failed, seconds: +seconds }; });
    require("fs").writeFileSync(process.argv[1], JSON.stringify(rows, null, 2) + "\n");
  ' "$RESULTS/summary.json"
  cat "$RESULTS/summary.txt" >&2
  echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
  [[ $TOTAL_FAILED == 0 ]]
}
