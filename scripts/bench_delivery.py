#!/usr/bin/env python3
"""Delivery-side figures, two binaries side by side (issue 11, ADR 0019;
docs/performance/sessions1-3.md, "Delivery side: batched writes").

For each run, alternating the binaries (A B A B ...): `bramka bench smpp --receipts` against
a FRESH `bramka serve` with simnet (scripts/bench_smpp.py's set-up: SMPP user `bench`, no
bind or TPS limits), and scripts/bench_smpp_hop.py (HTTP in -> SMPP connector -> `bramka
smsc` -> receipts stored). Prints the median of RUNS (default 3) per binary.

Usage: scripts/bench_delivery.py BEFORE_BIN AFTER_BIN [MORE_BIN...]
Env: RUNS (3), COUNT (receipts scenario messages, 5000), HOP ("20000 1000 100": N BATCH WINDOW).
"""
import json
import os
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import bench_smpp  # noqa: E402

RUNS = int(os.environ.get("RUNS", "3"))
COUNT = os.environ.get("COUNT", "5000")
HOP = os.environ.get("HOP", "20000 1000 100").split()


def receipts_run(binary):
    bench_smpp.BIN = binary
    d, cfg, proc = bench_smpp.serve()
    try:
        args = [binary, "bench", "smpp", *bench_smpp.SMPP_USER, "--binds", "8", "--window", "64",
                "--count", COUNT, "--receipts", "--receipt-timeout", "300", "--config", cfg,
                "--json"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=900)
        return json.loads(r.stdout)
    finally:
        bench_smpp.stop(d, proc)


def hop_run(binary):
    env = dict(os.environ, BRAMKA_BIN=binary)
    r = subprocess.run([sys.executable, os.path.join(here, "bench_smpp_hop.py"), *HOP],
                       capture_output=True, text=True, env=env, timeout=900)
    out = {}
    for line in r.stdout.splitlines():
        if line.startswith("accepted"):
            out["accepted_per_s"] = float(line.split(":")[-1].split()[0].replace(",", ""))
        if line.startswith("delivered"):
            out["delivered_s"] = float(line.split(" in ")[1].split("s:")[0])
            out["end_to_end_per_s"] = float(line.split(":")[-1].split()[0].replace(",", ""))
    if "end_to_end_per_s" not in out:
        out["error"] = (r.stdout + r.stderr)[-500:]
    return out


def main():
    bins = {"before": sys.argv[1], "after": sys.argv[2]}
    for i, extra in enumerate(sys.argv[3:]):
        bins[f"binary{i + 3}"] = extra
    print(f"== {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    results = {k: {"receipts": [], "hop": []} for k in bins}
    for i in range(RUNS):
        for name, binary in bins.items():
            r = receipts_run(binary)
            results[name]["receipts"].append(r)
            print(f"run {i + 1} {name} receipts: {r.get('receipts_per_s', 0):,.0f} receipts/s, "
                  f"{r.get('accepted_per_s', 0):,.0f} accepted/s, receipts {r.get('receipts')} of "
                  f"{r.get('accepted')}, last {r.get('last_receipt_s', 0):.2f} s "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)
            h = hop_run(binary)
            results[name]["hop"].append(h)
            print(f"run {i + 1} {name} hop: {json.dumps(h)} (load {os.getloadavg()[0]:.1f})",
                  flush=True)
    for name in bins:
        rec = [r.get("receipts_per_s", 0) for r in results[name]["receipts"]]
        acc = [r.get("accepted_per_s", 0) for r in results[name]["receipts"]]
        hop = [h.get("end_to_end_per_s", 0) for h in results[name]["hop"]]
        print(f"-- {name}: receipts/s median {statistics.median(rec):,.0f} ({rec}); "
              f"submit accepted/s median {statistics.median(acc):,.0f}; "
              f"hop end to end msg/s median {statistics.median(hop):,.0f} ({hop})")


if __name__ == "__main__":
    main()
