#!/usr/bin/env bash
# Runs the whole test suite N times in a row (default 3) while two busy loops load the
# CPU, as a busy CI machine would. Timing-sensitive tests must pass every run.
#   bash scripts/stress-test.sh [runs]        (build first: npm run build)
# Each run's vitest output goes to $STRESS_LOG_DIR (default: a temp dir); the script
# exits non-zero if any run failed. The busy loops stop with the script, whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
logs="${STRESS_LOG_DIR:-$(mktemp -d -t confd-stress-XXXXXX)}"
mkdir -p "$logs"

loops=()
for _ in 1 2; do
  node -e 'for (;;) {}' &
  loops+=("$!")
done
trap 'kill "${loops[@]}" 2>/dev/null' EXIT

failed=0
for run in $(seq 1 "$runs"); do
  start=$(date +%s)
  if npx vitest run > "$logs/run-$run.log" 2>&1; then status=passed; else status=FAILED; failed=$((failed + 1)); fi
  summary=$(grep -E '^ +Tests ' "$logs/run-$run.log" | tail -n 1 | sed 's/^ *//')
  echo "run $run/$runs: $status in $(( $(date +%s) - start )) s — ${summary:-no summary} (log: $logs/run-$run.log)"
  [ "$status" = FAILED ] && grep -E '^ (FAIL|×)' "$logs/run-$run.log" | head -n 20
done
echo "$((runs - failed))/$runs runs passed under two busy loops"
exit $(( failed > 0 ))
