#!/usr/bin/env python3
"""End-to-end benchmark through a real SMPP hop (docs/performance/sessions1-3.md, "End to
end through a real SMPP hop (issue 5)"):
HTTP API in -> bramka (SQLite, dispatcher) -> SmppConnector -> `bramka smsc` -> receipts
back -> delivered. Sends N messages in requests of BATCH recipients, then polls reports until
every message is delivered (bramka_messages{status="delivered"} in /metrics); prints
messages/s for acceptance and for the whole trip.

Usage: BRAMKA_BIN=build/release/src/app/bramka scripts/bench_smpp_hop.py [N] [BATCH] [WINDOW]
Also prints the CPU seconds the serve and the simulator used from the first request to the
last receipt stored (msg/CPU-s of the serve: robust to a loaded machine) and the load
average. The simulator runs --quiet (its per-event lines cost it and this script's reader
thread ~10 us of CPU per message; SMSC_EVENTS=1 turns them on); its counts come at its exit.
SMSC_WINDOW=N: its deliver_sm window. METRICS=NAME,NAME...: prints the serve's /metrics
lines that start with one of them after the last receipt (e.g. the SQLite writer's jobs,
bramka_store_write_stage_seconds_count{stage="total"}). PERF_OUT=FILE records the serve with `perf record -g`
(PERF_DWARF=1: --call-graph dwarf; PERF_FREQ) for the measured interval. Stdlib only;
loopback, port 0."""
import os
import signal
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(here, "..", "tests", "support"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 500
window = int(sys.argv[3]) if len(sys.argv) > 3 else 50

# SMSC_BIN: the simulator from another build (to compare gateways against one simulator).
# SMSC_WINDOW: the simulator's deliver_sm window (default 100; receipts are answered after
# their commit, so at most that many per commit round trip).
# SMSC_EVENTS=1: the simulator prints its event lines (as before session 5), read here.
smsc = Smsc(os.environ.get("SMSC_BIN", BIN), receipt_delay_ms=0,
            quiet=not os.environ.get("SMSC_EVENTS"),
            window=int(os.environ.get("SMSC_WINDOW", "0")) or None)


def cpu_s(pid):
    """utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


b = Bramka(extra_config=connector_toml("smsc-bench", smsc.port, window=window) + route_toml(["smsc-bench"]))
with open(b.config) as f:
    text = f.read().replace('log_level = "info"', 'log_level = "warn"')
with open(b.config, "w") as f:
    f.write(text)
b.admin("account", "topup", "demo", "--eco", str(n * 2))
b.start()
try:
    def bound():
        _, _, body = b.raw("/metrics", method="GET")
        return 'bramka_connector_bound{connector="smsc-bench"} 1' in body.decode()
    wait_until(bound, 15, 0.05, "the connector to bind")
    perf = None
    if os.environ.get("PERF_OUT"):
        graph = ["--call-graph", "dwarf"] if os.environ.get("PERF_DWARF") else ["-g"]
        perf = subprocess.Popen(["perf", "record", "-F", os.environ.get("PERF_FREQ", "499"), *graph,
                                 "-o", os.environ["PERF_OUT"],
                                 "-p", str(b.proc.pid)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # perf attaches (benchmark only; not a test)
    cpu0 = (cpu_s(b.proc.pid), cpu_s(smsc.proc.pid), cpu_s(os.getpid()))
    t0 = time.monotonic()
    ids = []
    for start in range(0, n, batch):
        phones = [f"+48500{(start + i):06d}" for i in range(min(batch, n - start))]
        r = b.api("messages/send_sms", {"phone": phones, "text": "bench", "details": True})
        ids += [item["id"] for item in r["items"]]
    t_accepted = time.monotonic() - t0

    def all_delivered():
        _, _, body = b.raw("/metrics", method="GET")
        for line in body.decode().splitlines():
            if line.startswith('bramka_messages{status="delivered"}'):
                return float(line.split()[-1]) >= n
        return False
    wait_until(all_delivered, 600, 0.05, f"{n} messages to be delivered")
    t_done = time.monotonic() - t0
    serve_cpu = cpu_s(b.proc.pid) - cpu0[0]
    smsc_cpu = cpu_s(smsc.proc.pid) - cpu0[1]
    self_cpu = cpu_s(os.getpid()) - cpu0[2]
    metric_lines = []
    if os.environ.get("METRICS"):
        _, _, body = b.raw("/metrics", method="GET")
        prefixes = tuple(os.environ["METRICS"].split(","))
        metric_lines = [ln for ln in body.decode().splitlines() if ln.startswith(prefixes)]
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait(timeout=120)
    print(f"== SMPP hop: {n} messages, {batch} per request, window {window}, tps unlimited, "
          f"smsc window {os.environ.get('SMSC_WINDOW', '100')}, load {os.getloadavg()[0]:.1f}")
    print(f"accepted (durable) in {t_accepted:.2f}s: {n / t_accepted:,.0f} msg/s")
    print(f"delivered (receipt stored) in {t_done:.2f}s: {n / t_done:,.0f} msg/s end to end")
    print(f"cpu: serve {serve_cpu:.2f}s ({n / max(serve_cpu, 0.01):,.0f} msg/CPU-s), "
          f"smsc {smsc_cpu:.2f}s ({n / max(smsc_cpu, 0.01):,.0f} msg/CPU-s), "
          f"this script {self_cpu:.2f}s")
    for line in metric_lines:
        print(f"metric {line}")
finally:
    b.stop()
    b.cleanup()
    smsc.stop()
if smsc.stats:  # a simulator older than its stats line has none
    print(f"smsc saw {smsc.count('submit')} submit_sm, sent {smsc.count('receipt')} receipts")
