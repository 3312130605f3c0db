#!/usr/bin/env bash
# HTTP ingest benchmark against a release build (docs/performance/sessions1-3.md,
# "HTTP ingest (issue 2)"):
#  1. messages/send_sms, one recipient per request, keep-alive, wrk with C connections;
#  2. the same over HTTPS (TLS 1.3, the certificate of `bramka init`);
#  3. messages/reports (50 newest messages per request) over HTTP and over HTTPS;
#  4. one messages/send_sms request with 10,000 recipients, timed REPEAT times (median).
# Durable: each answer comes after the SQLite commit (synchronous=FULL).
# Usage: scripts/bench.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BRAMKA_BIN:-build/release/src/app/bramka}
secs=${1:-10}
conns=${2:-32}
repeat=${REPEAT:-7}
dir=$(mktemp -d /tmp/bramka-bench-XXXXXX)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT

token=$("$bin" init "$dir" --demo --http-port 0 --https-port 0 --smpp-port 0 | sed -n 's/^token: //p')
"$bin" admin --config "$dir/bramka.toml" account topup demo --eco 100000000 >/dev/null
sed -i 's/^log_level = .*/log_level = "warn"/' "$dir/bramka.toml"
"$bin" serve --config "$dir/bramka.toml" > "$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do [ -f "$dir/data/listeners.json" ] && break; sleep 0.05; done
port=$(python3 -c "import json;print(json.load(open('$dir/data/listeners.json'))['http'])")
tls_port=$(python3 -c "import json;print(json.load(open('$dir/data/listeners.json'))['https'])")
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done

echo "== $(date -u +%F) $(nproc) cores, $(uname -r); bramka $(git rev-parse --short HEAD 2>/dev/null)"
echo "== send_sms, 1 recipient/request, $conns connections, ${secs}s (wrk -t2)"
BRAMKA_TOKEN=$token wrk -t2 -c"$conns" -d"${secs}s" -s bench/wrk_send_sms.lua "http://127.0.0.1:$port" | tail -1
echo "== send_sms over HTTPS, 1 recipient/request, $conns connections, ${secs}s (wrk -t2)"
BRAMKA_TOKEN=$token wrk -t2 -c"$conns" -d"${secs}s" -s bench/wrk_send_sms.lua "https://127.0.0.1:$tls_port" | tail -1
echo "== reports (50 per page), $conns connections, ${secs}s, HTTP then HTTPS (wrk -t2)"
BRAMKA_TOKEN=$token wrk -t2 -c"$conns" -d"${secs}s" -s bench/wrk_reports.lua "http://127.0.0.1:$port" | tail -1
BRAMKA_TOKEN=$token wrk -t2 -c"$conns" -d"${secs}s" -s bench/wrk_reports.lua "https://127.0.0.1:$tls_port" | tail -1

echo "== send_sms with 10,000 recipients in one request, $repeat runs"
python3 - "$port" "$token" "$repeat" <<'PY'
import json, statistics, sys, time, urllib.request
port, token, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for r in range(repeat):
    phones = [f"6{r:02d}{i:06d}" for i in range(10000)]
    body = json.dumps({"phone": phones, "text": "bulk bench"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/messages/send_sms", body,
                                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as resp:
        answer = json.loads(resp.read())
    times.append(time.perf_counter() - t0)
    assert answer.get("queued") == 10000, answer
med = statistics.median(times)
print(f"median {med*1000:.0f} ms per request = {10000/med:.0f} accepted messages/s "
      f"(min {min(times)*1000:.0f} ms, max {max(times)*1000:.0f} ms)")
PY
