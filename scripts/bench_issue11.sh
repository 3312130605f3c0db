#!/usr/bin/env bash
# Every issue-11 target, BEFORE and AFTER side by side, in one run (docs/performance.md):
# the commands the "everything merged, on a quiet machine" sections quote, in their order.
# Run it on a quiet machine (no builds, no other benchmarks): ~10 minutes.
# Usage: scripts/bench_issue11.sh BEFORE_BIN AFTER_BIN [LOG]   (LOG: default /tmp/bench-issue11-<time>.log)
set -uo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: scripts/bench_issue11.sh BEFORE_BIN AFTER_BIN [LOG]}
after=${2:?usage: scripts/bench_issue11.sh BEFORE_BIN AFTER_BIN [LOG]}
log=${3:-/tmp/bench-issue11-$(date -u +%Y%m%dT%H%M%S).log}
step() {
  echo "=== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee -a "$log"
  "$@" 2>&1 | tee -a "$log"
}
echo "=== before=$before after=$after" | tee -a "$log"
step env BEFORE="$before" AFTER="$after" ROUNDS=3 SECS=10 python3 scripts/bench_ab.py \
  smpp8 smpp8_rate http http256 http100k
step env ROUNDS=3 SECS=10 RATE=20000 python3 scripts/bench_latency.py \
  "before=$before:0" "after=$after:0"
step python3 scripts/bench_delivery_ab.py "$before" "$after" 4
step python3 scripts/bench_delivery_ab.py "$before" "$after" 4 60000
step env BRAMKA_BIN="$after" python3 scripts/compare_kannel.py 20000 2 100 3 1000
step env BRAMKA_BIN="$after" python3 scripts/compare_kannel.py 10000 32 100 3
step env BRAMKA_BIN="$after" python3 scripts/bench_backlog.py 1000000 100000 3
step env BRAMKA_BIN="$after" RUNS=1 SECS=5 python3 scripts/bench_smpp.py binds10000
echo "=== done $(date -u +%FT%TZ); log: $log" | tee -a "$log"
