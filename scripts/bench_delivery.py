#!/usr/bin/env python3
"""Delivery-side figures, one binary or several side by side (issue 11, ADR 0019;
docs/performance/sessions1-3.md, "Delivery side: batched writes"; re-run in
docs/performance/session11-stale.md).

Per round and binary (the binaries alternate, and the order reverses every round: the run
that comes first was faster on this machine whichever binary it was):
  1. receipts: `bramka bench smpp --binds 8 --window 64 --count COUNT --receipts` against a
     FRESH `bramka serve` with simnet (receipt delay 500 ms; scripts/bench_smpp.py's set-up:
     SMPP user `bench`, no bind or TPS limits) -- receipts/s end to end, submit_sm
     accepted/s, and the serve's CPU during the bench (messages per serve CPU-second: the
     accept, simnet's delivery and the receipt to the client, all in the serve);
  2. hop: scripts/bench_smpp_hop.py N BATCH WINDOW (HTTP in -> SMPP connector -> `bramka
     smsc` -> receipts stored) -- accepted and end-to-end msg/s, the serve's msg/CPU-s.
Prints the median of ROUNDS per binary with every run beside it, and the load average.

Usage: scripts/bench_delivery.py BIN [MORE_BIN...]   (e.g. BEFORE AFTER)
Env: ROUNDS (3; RUNS is the old name), COUNT (receipts scenario messages, 5000),
     HOP ("20000 1000 100": N BATCH WINDOW). Stdlib only; loopback, port 0.
"""
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import bench_smpp  # noqa: E402
from bench_ab import cpu_seconds  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", os.environ.get("RUNS", "3")))
COUNT = os.environ.get("COUNT", "5000")
HOP = os.environ.get("HOP", "20000 1000 100").split()


def describe(binary):
    """Path, size, mtime and the first bytes of the sha256: which build was measured."""
    with open(binary, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    st = os.stat(binary)
    return (f"{binary} (sha256 {digest}, {st.st_size:,} B, built "
            f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime(st.st_mtime))} UTC)")


def receipts_run(binary):
    bench_smpp.BIN = binary
    d, cfg, proc = bench_smpp.serve()
    try:
        args = [binary, "bench", "smpp", *bench_smpp.SMPP_USER, "--binds", "8", "--window", "64",
                "--count", COUNT, "--receipts", "--receipt-timeout", "300", "--config", cfg,
                "--json"]
        load = os.getloadavg()[0]
        cpu0 = cpu_seconds(proc.pid)
        r = subprocess.run(args, capture_output=True, text=True, timeout=900)
        cpu = cpu_seconds(proc.pid) - cpu0
        if r.returncode != 0 and not r.stdout.strip():
            raise SystemExit(f"{binary}: bramka bench failed: {r.stderr}")
        out = json.loads(r.stdout)
        out["serve_cpu_s"] = cpu
        out["per_cpu"] = out.get("accepted", 0) / cpu if cpu > 0 else 0
        out["load"] = load
        return out
    finally:
        bench_smpp.stop(d, proc)


HOP_PATTERNS = {
    "accepted_per_s": r"accepted \(durable\) in [\d.]+s: ([\d,]+) msg/s",
    "delivered_s": r"delivered \(receipt stored\) in ([\d.]+)s",
    "end_to_end_per_s": r"delivered \(receipt stored\) in [\d.]+s: ([\d,]+) msg/s",
    "serve_cpu_s": r"cpu: serve ([\d.]+)s",
    "per_cpu": r"cpu: serve [\d.]+s \(([\d,]+) msg/CPU-s\)",
    "smsc_cpu_s": r"smsc ([\d.]+)s \(",
    "load": r"load ([\d.]+)",
}


def hop_run(binary):
    env = dict(os.environ, BRAMKA_BIN=binary)
    r = subprocess.run([sys.executable, os.path.join(here, "bench_smpp_hop.py"), *HOP],
                       capture_output=True, text=True, env=env, timeout=900)
    out = {}
    for key, pattern in HOP_PATTERNS.items():
        m = re.search(pattern, r.stdout)
        if m:
            out[key] = float(m.group(1).replace(",", ""))
    if "end_to_end_per_s" not in out:
        raise SystemExit(f"{binary}: bench_smpp_hop.py failed:\n{(r.stdout + r.stderr)[-2000:]}")
    return out


def median_line(values, fmt="{:,.0f}"):
    return f"{fmt.format(statistics.median(values))} ({' / '.join(fmt.format(v) for v in values)})"


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    bins = {}
    for i, binary in enumerate(sys.argv[1:]):
        name = ("before", "after")[i] if len(sys.argv) == 3 else f"bin{i + 1}"
        bins[name] = binary
    print(f"== bench_delivery.py {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, "
          f"{os.cpu_count()} cores, load {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{ROUNDS} rounds, receipts COUNT={COUNT}, hop {' '.join(HOP)}", flush=True)
    for name, binary in bins.items():
        print(f"   {name} = {describe(binary)}", flush=True)
    results = {k: {"receipts": [], "hop": []} for k in bins}
    order = list(bins.items())
    for i in range(ROUNDS):
        for name, binary in (order if i % 2 == 0 else order[::-1]):
            r = receipts_run(binary)
            results[name]["receipts"].append(r)
            print(f"round {i + 1} {name} receipts: {r.get('receipts_per_s', 0):,.0f} receipts/s, "
                  f"{r.get('accepted_per_s', 0):,.0f} accepted/s, receipts {r.get('receipts')} of "
                  f"{r.get('accepted')}, last {r.get('last_receipt_s', 0):.2f} s, serve "
                  f"{r['serve_cpu_s']:.2f} CPU-s ({r['per_cpu']:,.0f} msg/CPU-s), load "
                  f"{r['load']:.1f}", flush=True)
            h = hop_run(binary)
            results[name]["hop"].append(h)
            print(f"round {i + 1} {name} hop: accepted {h.get('accepted_per_s', 0):,.0f} msg/s, "
                  f"end to end {h['end_to_end_per_s']:,.0f} msg/s ({h.get('delivered_s', 0):.2f} s), "
                  f"serve {h.get('serve_cpu_s', 0):.2f} CPU-s ({h.get('per_cpu', 0):,.0f} msg/CPU-s), "
                  f"smsc {h.get('smsc_cpu_s', 0):.2f} CPU-s, load {h.get('load', 0):.1f}", flush=True)
    print(f"-- medians of {ROUNDS} (every run in brackets)")
    for name in bins:
        rec = results[name]["receipts"]
        hop = results[name]["hop"]
        loads = [r["load"] for r in rec] + [h.get("load", 0) for h in hop]
        print(f"   {name}: receipts/s {median_line([r.get('receipts_per_s', 0) for r in rec])}, "
              f"last receipt {median_line([r.get('last_receipt_s', 0) for r in rec], '{:.2f}')} s, "
              f"submit accepted/s {median_line([r.get('accepted_per_s', 0) for r in rec])}, "
              f"receipts run msg/CPU-s {median_line([r['per_cpu'] for r in rec])}")
        print(f"   {name}: hop end to end msg/s {median_line([h['end_to_end_per_s'] for h in hop])}, "
              f"accepted msg/s {median_line([h.get('accepted_per_s', 0) for h in hop])}, "
              f"hop msg/CPU-s {median_line([h.get('per_cpu', 0) for h in hop])}; "
              f"load {min(loads):.1f}-{max(loads):.1f}", flush=True)


if __name__ == "__main__":
    main()
