#!/usr/bin/env bash
# A bounded libFuzzer campaign over every fuzz target of the `fuzz` preset (issue 12,
# docs/reliability.md §3): one target at a time, one process, SECONDS each (default 180),
# starting from the repository corpus (tests/fuzz/corpus/<target>, never written here:
# new inputs go to a work folder). Prints one line per target: time, execs, cov, ft,
# corpus size, crashes (their inputs stay in the work folder as crash-*/leak-*/oom-*).
#
#   cmake --preset fuzz && ninja -C build/fuzz -j2 $(ninja -C build/fuzz -t targets all | grep -o '^[a-z0-9_]*_fuzz:' | tr -d :)
#   tests/fuzz/campaign.sh [SECONDS] [TARGET...]
#
# Then keep what raised coverage, small: tests/fuzz/merge_new.sh (see there).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
secs="${1:-180}"; shift || true
work="${FUZZ_WORK:-/tmp/bramka-fuzz}"
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(ls "$root/tests/fuzz/corpus")
fi
mkdir -p "$work"
printf '%-24s %6s %12s %7s %7s %7s %s\n' target secs execs cov ft corpus crashes
for t in "${targets[@]}"; do
  bin="$(find "$root/build/fuzz/src" -type f -name "${t}_fuzz" | head -1)"
  if [ -z "$bin" ]; then echo "$t: not built"; continue; fi
  out="$work/$t"; mkdir -p "$out/corpus"
  log="$out/run.log"
  "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$out/" "$out/corpus" "$root/tests/fuzz/corpus/$t" \
    >"$log" 2>&1
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  cov="$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")"
  ft="$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")"
  corp="$(sed -n 's/.*corp: \([0-9]*\).*/\1/p' <<<"$last")"
  crashes="$(ls "$out" | grep -cE '^(crash|leak|oom|timeout)-')"
  printf '%-24s %6s %12s %7s %7s %7s %s\n' "$t" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$crashes"
done
