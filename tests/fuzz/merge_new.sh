#!/usr/bin/env bash
# After tests/fuzz/campaign.sh: adds to tests/fuzz/corpus/<target> at most MAX (default
# 25) of the campaign's inputs that raise coverage over the repository corpus, smallest
# first (libFuzzer -merge=1 keeps only inputs with new features), and prints the
# repository corpus' cov/ft before and after (-runs=0).
#
#   tests/fuzz/merge_new.sh TARGET [MAX]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
t="$1"; max="${2:-25}"
work="${FUZZ_WORK:-/tmp/bramka-fuzz}/$t"
bin="$(find "$root/build/fuzz/src" -type f -name "${t}_fuzz" | head -1)"
repo="$root/tests/fuzz/corpus/$t"
cov() { "$bin" -runs=0 "$1" 2>&1 | grep -E 'INITED|DONE' | tail -1 | grep -o 'cov: [0-9]* ft: [0-9]*'; }
before="$(cov "$repo")"
merged="$work/merged"; rm -rf "$merged"; mkdir -p "$merged"
cp "$repo"/* "$merged"/
"$bin" -merge=1 "$merged" "$work/corpus" >"$work/merge.log" 2>&1
added=0
while read -r _ f; do
  ((added >= max)) && break
  [ -e "$repo/$(basename "$f")" ] && continue
  cp "$f" "$repo/campaign-$(basename "$f" | cut -c1-12)"
  added=$((added + 1))
done < <(for f in "$merged"/*; do [ -e "$repo/$(basename "$f")" ] || echo "$(stat -c %s "$f") $f"; done | sort -n)
echo "$t: $before -> $(cov "$repo") (+$added inputs)"
