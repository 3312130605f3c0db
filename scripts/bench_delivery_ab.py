#!/usr/bin/env python3
"""Before/after, side by side, through a real SMPP hop (docs/performance/session5.md,
"Session 5: the delivery side"): runs scripts/bench_smpp_hop.py with each binary in turn,
ROUNDS rounds (alternating, so both see the same machine), and prints every run and the
medians of accepted msg/s, end-to-end msg/s, the serve's msg/CPU-s and the simulator's CPU.
Both use one simulator binary (SMSC_BIN, default AFTER) so only the gateway differs;
SMSC_BIN=each: each side runs its own binary's simulator (the whole path as shipped).

Usage: scripts/bench_delivery_ab.py BEFORE_BIN AFTER_BIN [ROUNDS] [N] [BATCH] [WINDOW]
Rounds alternate the order (before first, then after first, ...).
Defaults: 3 rounds of 20000 messages, 1000 per request, window 100. Stdlib only."""
import os
import re
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
before, after = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
args = sys.argv[4:7] or ["20000", "1000", "100"]
smsc_bin = os.environ.get("SMSC_BIN", after)

PATTERNS = {
    "accepted": r"accepted \(durable\) in [\d.]+s: ([\d,]+) msg/s",
    "e2e": r"delivered \(receipt stored\) in [\d.]+s: ([\d,]+) msg/s",
    "serve_cpu": r"cpu: serve ([\d.]+)s",
    "per_cpu": r"\(([\d,]+) msg/CPU-s\), smsc",
    "smsc_cpu": r"smsc ([\d.]+)s \(",
    "load": r"load ([\d.]+)",
}


def run(binary):
    env = dict(os.environ, BRAMKA_BIN=binary, SMSC_BIN=binary if smsc_bin == "each" else smsc_bin)
    out = subprocess.run([sys.executable, os.path.join(here, "bench_smpp_hop.py"), *args],
                         env=env, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"{binary}: bench_smpp_hop.py failed:\n{out.stdout}\n{out.stderr}")
    r = {}
    for key, pattern in PATTERNS.items():
        m = re.search(pattern, out.stdout)
        r[key] = float(m.group(1).replace(",", "")) if m else float("nan")
    return r


results = {"before": [], "after": []}
print(f"== bench_smpp_hop.py {' '.join(args)}; before={before} after={after} smsc={smsc_bin}")
for i in range(rounds):
    # ABBA: the run that comes first in a round was faster whichever binary it was
    # (up to +40 % on the loaded machine), so the order alternates.
    order = (("before", before), ("after", after))
    for name, binary in (order if i % 2 == 0 else order[::-1]):
        r = run(binary)
        results[name].append(r)
        print(f"   round {i + 1} {name:6}: accepted {r['accepted']:,.0f}/s, end to end "
              f"{r['e2e']:,.0f} msg/s, serve {r['serve_cpu']:.2f} CPU-s ({r['per_cpu']:,.0f} "
              f"msg/CPU-s), smsc {r['smsc_cpu']:.2f} CPU-s, load {r['load']:.1f}", flush=True)
print(f"-- median of {rounds}: accepted/s, end to end msg/s, serve msg/CPU-s, smsc CPU-s")
for name, rs in results.items():
    med = {k: statistics.median(r[k] for r in rs) for k in PATTERNS}
    runs = " / ".join(f"{r['e2e']:,.0f}" for r in rs)
    print(f"   {name:6} {med['accepted']:10,.0f} {med['e2e']:10,.0f} ({runs}) "
          f"{med['per_cpu']:10,.0f} {med['smsc_cpu']:6.2f}  load {min(r['load'] for r in rs):.1f}"
          f"-{max(r['load'] for r in rs):.1f}")
