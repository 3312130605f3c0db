#!/usr/bin/env python3
"""Before/after figures of two `bramka` binaries, side by side (docs/performance.md, issue 11).

For each scenario of scripts/bench_smpp.py the two binaries alternate (before, after,
before, ...) for ROUNDS rounds; every run gets a fresh `bramka init --demo` + serve (the
set-up of bench_smpp.py: simnet delivering on the same cores, SQLite, every answer after
an fdatasync'd commit).
Per run it records the bench's JSON, the serve's CPU seconds during the bench (from
/proc/<pid>/stat) and the load generator's own CPU seconds (rusage of the bench process),
and prints per binary the median run by throughput, its latency, messages per CPU-second
of the serve ("msg/CPU-s"), the generator's CPU per message and the load averages.

Usage: BEFORE=<bramka> AFTER=<bramka> [ROUNDS=3] [SECS=10] scripts/bench_ab.py SCENARIO...
Extra scenarios: http128, http256 (send_sms with 128 / 256 connections).
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_smpp  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "3"))
SECS = bench_smpp.SECS
SCENARIOS = dict(bench_smpp.SCENARIOS)
SCENARIOS["http128"] = ["http", "--connections", "128", "--duration", SECS]
SCENARIOS["http256"] = ["http", "--connections", "256", "--duration", SECS]
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def messages(r):
    return r.get("accepted", r.get("messages", 0))


def one_run(binary, name):
    bench_smpp.BIN = binary
    d, cfg, proc = bench_smpp.serve()
    try:
        load = os.getloadavg()[0]
        cpu0 = cpu_seconds(proc.pid)
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        args = [binary, "bench", *SCENARIOS[name], "--config", cfg, "--json"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=900)
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu1 = cpu_seconds(proc.pid)
        if r.returncode == 2:
            raise SystemExit(f"{name}: {r.stderr}")
        out = json.loads(r.stdout)
        out["serve_cpu_s"] = cpu1 - cpu0
        out["bench_cpu_s"] = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        out["load"] = load
        return out
    finally:
        bench_smpp.stop(d, proc)


def summary(label, runs):
    rate = bench_smpp.rate
    med = sorted(runs, key=rate)[len(runs) // 2]
    lat = med["latency"]
    per_cpu = [messages(x) / x["serve_cpu_s"] for x in runs if x["serve_cpu_s"] > 0]
    gen_us = [1e6 * x["bench_cpu_s"] / messages(x) for x in runs if messages(x) > 0]
    line = (f"   {label}: median {rate(med):,.0f}/s ({' / '.join(f'{rate(x):,.0f}' for x in runs)}), "
            f"p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms")
    if "seconds" in med and med.get("requests") == 1:
        line += f", one request {1000 * med['seconds']:.0f} ms"
    line += (f"; {statistics.median(per_cpu):,.0f} msg/CPU-s (runs "
             f"{' / '.join(f'{x:,.0f}' for x in per_cpu)}); generator "
             f"{statistics.median(gen_us):.1f} µs CPU/msg; load "
             f"{min(x['load'] for x in runs):.1f}-{max(x['load'] for x in runs):.1f}")
    print(line, flush=True)


def main():
    before, after = os.environ["BEFORE"], os.environ["AFTER"]
    names = sys.argv[1:] or ["http", "http100k", "smpp8"]
    print(f"== {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, before={before}, "
          f"after={after}, {ROUNDS} rounds, SECS={SECS}, load {os.getloadavg()[0]:.1f}", flush=True)
    for name in names:
        results = {"before": [], "after": []}
        for _ in range(ROUNDS):
            for label, binary in (("before", before), ("after", after)):
                results[label].append(one_run(binary, name))
        print(f"-- {name}: bramka bench {' '.join(SCENARIOS[name])}", flush=True)
        for label in ("before", "after"):
            summary(label, results[label])
            for x in results[label]:
                print("      " + json.dumps(x), flush=True)


if __name__ == "__main__":
    main()
