#!/usr/bin/env python3
"""SMPP server and HTTP ingest figures with `bramka bench` (docs/performance.md, issues 4/11;
the first ones in docs/performance/sessions1-3.md, "SMPP server (issue 4)").

Each scenario gets a fresh `bramka init --demo` folder and `bramka serve` (simnet, SQLite
with every answer after an fdatasync'd commit, log level warn), an SMPP user `bench` without bind or TPS limits and
large balances; the scenario runs RUNS times (default 3) and the median run (by
throughput) is printed with the raw JSON of every run.

Usage: BRAMKA_BIN=build/release/src/app/bramka scripts/bench_smpp.py [SCENARIO...]
Scenarios: smpp1 smpp8 receipts binds1000 binds10000 http http_tls http100k smpp8_rate http_rate
(default: all; RATE=20000 for the *_rate ones).
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = os.environ.get("BRAMKA_BIN", "build/release/src/app/bramka")
RUNS = int(os.environ.get("RUNS", "3"))
SECS = os.environ.get("SECS", "10")

SMPP_USER = ["--system-id", "bench", "--password", "bench"]
SCENARIOS = {
    "smpp1": ["smpp", *SMPP_USER, "--binds", "1", "--window", "64", "--duration", SECS],
    "smpp8": ["smpp", *SMPP_USER, "--binds", "8", "--window", "64", "--duration", SECS],
    "receipts": ["smpp", *SMPP_USER, "--binds", "8", "--window", "64", "--count", "5000",
                 "--receipts", "--receipt-timeout", "300"],
    "binds1000": ["smpp", *SMPP_USER, "--binds", "1000", "--window", "1", "--duration", SECS],
    # issue 11: 10,000 concurrently bound sessions (one window each).
    "binds10000": ["smpp", *SMPP_USER, "--binds", "10000", "--window", "1", "--duration", SECS],
    "http": ["http", "--connections", "32", "--duration", SECS],
    "http_tls": ["http", "--tls", "--connections", "32", "--duration", SECS],
    # issue 11 (ADR 0020): one request of 100,000 recipients; p99 at a fixed offered rate.
    "http100k": ["http", "--connections", "1", "--recipients", "100000", "--count", "1"],
    "smpp8_rate": ["smpp", *SMPP_USER, "--binds", "8", "--window", "64", "--duration", SECS,
                   "--rate", os.environ.get("RATE", "20000")],
    "http_rate": ["http", "--connections", "64", "--duration", SECS,
                  "--rate", os.environ.get("RATE", "20000")],
}


def serve(edit_config=None):
    """Fresh `init --demo` + serve; `edit_config(text) -> text` may change bramka.toml first."""
    d = tempfile.mkdtemp(prefix="bramka-bench-")
    subprocess.run([BIN, "init", d, "--demo", "--http-port", "0", "--https-port", "0",
                    "--smpp-port", "0", "--smpp-tls-port", "0"], check=True, capture_output=True)
    cfg = os.path.join(d, "bramka.toml")
    admin = [BIN, "admin", "--config", cfg]
    subprocess.run(admin + ["account", "topup", "demo", "--eco", "100000000", "--full",
                            "100000000"], check=True, capture_output=True)
    subprocess.run(admin + ["smpp-user", "add", "demo", *SMPP_USER, "--max-binds", "0",
                            "--tps", "0"], check=True, capture_output=True)
    with open(cfg) as f:
        text = f.read()
    with open(cfg, "w") as f:
        text = text.replace('log_level = "info"', 'log_level = "warn"')
        f.write(edit_config(text) if edit_config else text)
    log = open(os.path.join(d, "serve.log"), "wb")
    proc = subprocess.Popen([BIN, "serve", "--config", cfg], stdout=log, stderr=subprocess.STDOUT)
    listeners = os.path.join(d, "data", "listeners.json")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with open(listeners) as f:
                port = json.load(f)["http"]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return d, cfg, proc
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    raise SystemExit("serve did not become healthy")


def stop(d, proc):
    """Stops a serve() and removes its folder."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(d, ignore_errors=True)


def rate(r):
    return r.get("accepted_per_s", r.get("requests_per_s", 0))


def main():
    names = sys.argv[1:] or list(SCENARIOS)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"== {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {commit}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for name in names:
        d, cfg, proc = serve()
        try:
            runs = []
            for _ in range(RUNS):
                args = [BIN, "bench", *SCENARIOS[name], "--config", cfg, "--json"]
                r = subprocess.run(args, capture_output=True, text=True, timeout=900)
                if r.returncode == 2:
                    raise SystemExit(f"{name}: {r.stderr}")
                runs.append(json.loads(r.stdout))
            med = sorted(runs, key=rate)[len(runs) // 2]
            lat = med["latency"]
            print(f"-- {name}: bramka bench {' '.join(SCENARIOS[name])}  (load {os.getloadavg()[0]:.1f})")
            print(f"   median of {RUNS}: {rate(med):,.0f}/s, p50 {lat['p50_ms']:.2f} ms, "
                  f"p90 {lat['p90_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms, max {lat['max_ms']:.2f} ms; "
                  f"runs {', '.join(f'{rate(x):,.0f}' for x in runs)}/s; "
                  f"p99 of runs {statistics.median(x['latency']['p99_ms'] for x in runs):.2f} ms")
            if "receipts" in med:
                print(f"   receipts {med['receipts']} of {med['accepted']}, "
                      f"{med['receipts_per_s']:,.0f}/s end to end, last receipt "
                      f"{med['last_receipt_s']:.2f} s after the first submit "
                      f"({med['after_last_submit_s']:.2f} s after the last submit_sm_resp)")
            if "bind_s" in med:
                print(f"   binds {med['bound']}/{med['binds']} in {med['bind_s']:.2f} s")
            for x in runs:
                print("   " + json.dumps(x))
        finally:
            stop(d, proc)


if __name__ == "__main__":
    main()
