#!/usr/bin/env python3
"""`messages/reports` after bulk sends, binaries alternating (ADR 0054; docs/performance.md).

Per round and binary: a fresh `bramka init --demo` + serve (SQLite, simnet delivering),
BULK requests of RECIPIENTS recipients each through `bramka bench http` (each request's
messages share one queued millisecond), then wrk with bench/wrk_reports.lua (the 50 newest
per request, with the paging total) for SECS seconds. Prints req/s, p50/p99, the serve's
CPU per request and the load; medians per binary at the end, with the bulk requests' own
latency (the accept path's share, e.g. of a trigger; ADR 0061).

DATE_FROM=1 asks for the messages since one second before the bulk requests began (spec
§4.6 date_from, Europe/Warsaw time as the serve reads it): the report "since a moment
ago", whose range starts inside the bulk's hour.

SETTLE=1 waits until simnet has delivered every message and the serve is idle before wrk
(without it, wrk's window overlaps the delivery of the bulk's messages, whose CPU is then
counted as the reports' too).

Usage: [ROUNDS=3] [SECS=5] [CONNS=8] [BULK=3] [RECIPIENTS=100000] [SETTLE=0] [DATE_FROM=0] scripts/bench_reports.py BIN [MORE...]
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from bench_ab import cpu_seconds  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "3"))
SECS = int(os.environ.get("SECS", "5"))
CONNS = int(os.environ.get("CONNS", "8"))
BULK = int(os.environ.get("BULK", "3"))
RECIPIENTS = int(os.environ.get("RECIPIENTS", "100000"))
SETTLE = os.environ.get("SETTLE", "0") == "1"
DATE_FROM = os.environ.get("DATE_FROM", "0") == "1"


def settle(pid, port, token):
    """Until no message is pending and the serve used < 2 % of a core over 0.5 s."""
    deadline = time.monotonic() + 300
    body = json.dumps({"status": "pending", "limit": 1}).encode()
    while time.monotonic() < deadline:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/messages/reports", data=body,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            pending = json.load(r).get("items", [])
        if not pending:
            c0 = cpu_seconds(pid)
            time.sleep(0.5)
            if cpu_seconds(pid) - c0 < 0.01:
                return
        else:
            time.sleep(1)
    raise SystemExit("messages still pending after 300 s")


def one_round(binary):
    d = tempfile.mkdtemp(prefix="bramka-reports-")
    proc = None
    try:
        out = subprocess.run([binary, "init", d, "--demo", "--http-port", "0", "--https-port", "0",
                              "--smpp-port", "0", "--smpp-tls-port", "0"],
                             check=True, capture_output=True, text=True).stdout
        token = re.search(r"^token: (\S+)", out, re.M).group(1)
        cfg = os.path.join(d, "bramka.toml")
        subprocess.run([binary, "admin", "--config", cfg, "account", "topup", "demo", "--eco",
                        "100000000"], check=True, capture_output=True)
        with open(cfg) as f:
            text = f.read().replace('log_level = "info"', 'log_level = "warn"')
        with open(cfg, "w") as f:
            f.write(text)
        log = open(os.path.join(d, "serve.log"), "wb")
        proc = subprocess.Popen([binary, "serve", "--config", cfg], stdout=log,
                                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        port = None
        while port is None:
            if time.monotonic() > deadline:
                raise SystemExit("serve did not become healthy")
            try:
                with open(os.path.join(d, "data", "listeners.json")) as f:
                    p = json.load(f)["http"]
                with urllib.request.urlopen(f"http://127.0.0.1:{p}/healthz", timeout=2) as r:
                    port = p if r.status == 200 else None
            except (OSError, ValueError, KeyError):
                time.sleep(0.05)
        began = time.time() - 1
        bulk = subprocess.run([binary, "bench", "http", "--config", cfg, "--recipients",
                               str(RECIPIENTS), "--count", str(BULK), "--connections", "1",
                               "--json"], check=True, capture_output=True, text=True, timeout=600)
        bulk_ms = json.loads(bulk.stdout.strip().splitlines()[-1])["latency"]["p50_ms"]
        if SETTLE:
            settle(proc.pid, port, token)
        env = {**os.environ, "BRAMKA_TOKEN": token}
        if DATE_FROM:
            from datetime import datetime
            from zoneinfo import ZoneInfo
            since = datetime.fromtimestamp(began, ZoneInfo("Europe/Warsaw"))
            env["REPORTS_BODY"] = json.dumps({"page": 1, "limit": 50, "order": "desc",
                                              "date_from": since.strftime("%Y-%m-%d %H:%M:%S")})
        load = os.getloadavg()[0]
        cpu0 = cpu_seconds(proc.pid)
        line = subprocess.run(["wrk", "-t1", f"-c{CONNS}", f"-d{SECS}s", "-s",
                               os.path.join(here, "..", "bench", "wrk_reports.lua"),
                               f"http://127.0.0.1:{port}"], env=env,
                              check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        cpu = cpu_seconds(proc.pid) - cpu0
        requests = int(re.search(r"requests (\d+)", line).group(1))
        errors = int(re.search(r"non-success answers (\d+)", line).group(1))
        if errors:
            raise SystemExit(f"{binary}: {errors} reports answers were not a page of messages")
        rate = float(re.search(r"req/s (\d+)", line).group(1))
        print(f"   {binary}: {line}; serve {cpu:.2f} CPU-s "
              f"({cpu * 1000 / max(requests, 1):.1f} ms CPU/request), bulk request p50 "
              f"{bulk_ms:.0f} ms, load {load:.1f}", flush=True)
        return rate, cpu * 1000 / max(requests, 1), bulk_ms
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=60)
        shutil.rmtree(d, ignore_errors=True)


def main():
    bins = sys.argv[1:]
    if not bins:
        raise SystemExit(__doc__)
    print(f"== {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}: reports after {BULK} x {RECIPIENTS:,} recipients, "
          f"wrk -c{CONNS} {SECS}s, {ROUNDS} rounds{', settled' if SETTLE else ''}{', date_from' if DATE_FROM else ''}", flush=True)
    runs = {b: [] for b in bins}
    for r in range(ROUNDS):
        for b in (bins if r % 2 == 0 else bins[::-1]):
            runs[b].append(one_round(b))
    for b in bins:
        rates = [x[0] for x in runs[b]]
        cpus = [x[1] for x in runs[b]]
        bulks = [x[2] for x in runs[b]]
        print(f"-- {b}: median {statistics.median(rates):,.0f} req/s "
              f"({' / '.join(f'{x:,.0f}' for x in rates)}); "
              f"{statistics.median(cpus):.1f} ms serve CPU per request "
              f"({' / '.join(f'{x:.1f}' for x in cpus)}); bulk request p50 "
              f"{statistics.median(bulks):.0f} ms ({' / '.join(f'{x:.0f}' for x in bulks)})")


if __name__ == "__main__":
    main()
