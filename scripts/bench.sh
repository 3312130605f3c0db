#!/usr/bin/env bash
# HTTP ingest benchmark with wrk against one release build (docs/performance/sessions1-3.md,
# "HTTP ingest (issue 2)"; re-run in docs/performance/session11-stale.md). One fresh
# `bramka init --demo` + serve (simnet delivering the same messages on the same cores):
#  1. messages/send_sms, one recipient per request, keep-alive, wrk -t2 with C connections,
#     over HTTP and over HTTPS (TLS 1.3, the certificate of `bramka init`), alternating,
#     ROUNDS rounds (the store grows from round to round);
#  2. after the first round (the account then holds what one HTTP and one HTTPS run sent,
#     as in session 3), messages/reports (the 50 newest per request, with the paging total)
#     over HTTP and HTTPS, alternating, ROUNDS rounds; the account's message count is printed;
#  3. one messages/send_sms request with 10,000 recipients, timed REPEAT times (median).
# Every wrk run prints req/s, p50/p99, the serve's CPU seconds during the run (from
# /proc/PID/stat, as scripts/bench_ab.py reads it), requests per serve CPU-second and the
# load average; each section ends with the median of its rounds. Durable: each answer
# comes after the commit's fdatasync (ADR 0029).
# Usage: [BRAMKA_BIN=<bin>] [ROUNDS=3] [REPEAT=7] scripts/bench.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BRAMKA_BIN:-build/release/src/app/bramka}
secs=${1:-10}
conns=${2:-32}
rounds=${ROUNDS:-3}
repeat=${REPEAT:-7}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
dir=$(mktemp -d /tmp/bramka-bench-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$pid" ] && wait $pid 2>/dev/null; rm -rf "$dir"' EXIT

token=$("$bin" init "$dir" --demo --http-port 0 --https-port 0 --smpp-port 0 --smpp-tls-port 0 | sed -n 's/^token: //p')
"$bin" admin --config "$dir/bramka.toml" account topup demo --eco 100000000 >/dev/null
sed -i 's/^log_level = .*/log_level = "warn"/' "$dir/bramka.toml"
"$bin" serve --config "$dir/bramka.toml" > "$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do [ -f "$dir/data/listeners.json" ] && break; sleep 0.05; done
port=$(python3 -c "import json;print(json.load(open('$dir/data/listeners.json'))['http'])")
tls_port=$(python3 -c "import json;print(json.load(open('$dir/data/listeners.json'))['https'])")
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

tick=$(getconf CLK_TCK)
serve_cpu() {  # utime + stime of the serve, seconds (fields 14 and 15 of /proc/PID/stat)
  sed 's/.*) //' "/proc/$pid/stat" | awk -v t="$tick" '{printf "%.2f", ($12 + $13) / t}'
}
load() { cut -d' ' -f1 /proc/loadavg; }
results="$dir/results"
# run_wrk LABEL URL LUA: one wrk run; prints its line and appends "LABEL req/s req/CPU-s".
run_wrk() {
  local label=$1 url=$2 lua=$3 before after line
  local l=$(load)
  before=$(serve_cpu)
  line=$(BRAMKA_TOKEN=$token wrk -t2 -c"$conns" -d"${secs}s" -s "$lua" "$url" | tail -1)
  after=$(serve_cpu)
  python3 - "$label" "$line" "$before" "$after" "$l" "$results" <<'PY'
import re, sys
label, line, before, after, load, results = sys.argv[1:]
cpu = float(after) - float(before)
requests = int(re.search(r"requests (\d+)", line).group(1))
rate = float(re.search(r"req/s (\d+)", line).group(1))
print(f"   {label}: {line}; serve {cpu:.2f} CPU-s ({requests / max(cpu, 0.01):,.0f} req/CPU-s), load {load}")
with open(results, "a") as f:
    f.write(f"{label} {rate} {requests / max(cpu, 0.01)}\n")
PY
}
# median LABEL: the median of LABEL's runs (req/s and req/CPU-s), every run beside it.
median() {
  python3 - "$1" "$results" <<'PY'
import statistics, sys
label, results = sys.argv[1:]
runs = [l.split()[1:] for l in open(results) if l.split()[0] == label]
rate = [float(r[0]) for r in runs]
cpu = [float(r[1]) for r in runs]
fmt = lambda xs: " / ".join(f"{x:,.0f}" for x in xs)
print(f"-- {label}: median {statistics.median(rate):,.0f} req/s ({fmt(rate)}); "
      f"{statistics.median(cpu):,.0f} req/CPU-s ({fmt(cpu)})")
PY
}
messages() {  # the account's messages (pages of reports with limit 1)
  curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"page":1,"limit":1}' "http://127.0.0.1:$port/messages/reports" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["paging"]["count"])'
}

sha=$(sha256sum "$bin" | cut -c1-12)
echo "== scripts/bench.sh $secs $conns: $(date -u '+%F %T') UTC, $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== binary $bin (sha256 $sha, built $(date -u -r "$bin" '+%F %H:%M') UTC); $rounds rounds"
send_round() {
  run_wrk send_http "http://127.0.0.1:$port" bench/wrk_send_sms.lua
  run_wrk send_https "https://127.0.0.1:$tls_port" bench/wrk_send_sms.lua
}
echo "== send_sms, 1 recipient/request, $conns connections, ${secs}s each (wrk -t2), HTTP and HTTPS alternating"
send_round
echo "== reports (50 newest per page), $conns connections, ${secs}s each, HTTP and HTTPS alternating; the account holds $(messages) messages"
for _ in $(seq 1 "$rounds"); do
  run_wrk reports_http "http://127.0.0.1:$port" bench/wrk_reports.lua
  run_wrk reports_https "https://127.0.0.1:$tls_port" bench/wrk_reports.lua
done
echo "== send_sms, rounds 2..$rounds"
for _ in $(seq 2 "$rounds"); do send_round; done
median send_http
median send_https
median reports_http
median reports_https

echo "== send_sms with 10,000 recipients in one request, $repeat runs (the account holds $(messages) messages)"
python3 - "$port" "$token" "$repeat" "$pid" <<'PY'
import json, os, statistics, sys, time, urllib.request
port, token, repeat, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def cpu():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
times, cpus = [], []
for r in range(repeat):
    phones = [f"6{r:02d}{i:06d}" for i in range(10000)]
    body = json.dumps({"phone": phones, "text": "bulk bench"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/messages/send_sms", body,
                                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    c0, t0 = cpu(), time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as resp:
        answer = json.loads(resp.read())
    times.append(time.perf_counter() - t0)
    cpus.append(cpu() - c0)
    assert answer.get("queued") == 10000, answer
med = statistics.median(times)
print(f"-- 10k: median {med*1000:.0f} ms per request = {10000/med:,.0f} accepted messages/s "
      f"({' / '.join(f'{t*1000:.0f}' for t in times)} ms); serve {sum(cpus):.2f} CPU-s for "
      f"{10000 * repeat:,} messages ({10000 * repeat / max(sum(cpus), 0.01):,.0f} msg/CPU-s; "
      f"includes simnet delivering the earlier ones); load {os.getloadavg()[0]:.1f}")
PY
