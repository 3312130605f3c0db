#!/usr/bin/env python3
"""Side by side (docs/performance.md, Session 5): binaries alternating run by run, a fresh
serve per run (scripts/bench_smpp.py's set-up), throughput, p50/p99 and msg/CPU-s of the serve.
Usage: scripts/bench_ab.py SCENARIO ROUNDS name=bin [name=bin ...]   (SECS env, default 10)"""
import json, os, signal, shutil, statistics, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_smpp as bs

def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")

def one(binary, scen):
    bs.BIN = binary
    d, cfg, proc = bs.serve()
    try:
        c0 = cpu(proc.pid); l0 = os.getloadavg()[0]
        args = [binary, "bench", *bs.SCENARIOS[scen], "--config", cfg, "--json"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=900)
        c1 = cpu(proc.pid)
        j = json.loads(r.stdout)
        n = j.get("accepted", j.get("requests", 0))
        return {"rate": bs.rate(j), "p50": j["latency"]["p50_ms"], "p99": j["latency"]["p99_ms"],
                "cpu": c1 - c0, "per_cpu": n / max(c1 - c0, 1e-9), "load": (l0 + os.getloadavg()[0]) / 2,
                "n": n}
    finally:
        proc.send_signal(signal.SIGTERM)
        try: proc.wait(timeout=60)
        except subprocess.TimeoutExpired: proc.kill()
        shutil.rmtree(d, ignore_errors=True)

scen = sys.argv[1]; rounds = int(sys.argv[2])
bins = [a.split("=", 1) for a in sys.argv[3:]]
res = {name: [] for name, _ in bins}
print(f"== {scen} {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC load {os.getloadavg()[0]:.1f}", flush=True)
for i in range(rounds):
    for name, b in bins:
        r = one(b, scen); res[name].append(r)
        print(f"  {name} r{i}: {r['rate']:,.0f}/s p50 {r['p50']:.2f} p99 {r['p99']:.2f} ms cpu {r['cpu']:.2f}s "
              f"{r['per_cpu']:,.0f} msg/CPU-s load {r['load']:.1f}", flush=True)
def fmt(rs, k, f):
    return " / ".join(format(x[k], f) for x in rs)
for name, _ in bins:
    rs = res[name]
    med = sorted(rs, key=lambda x: x["rate"])[len(rs)//2]
    print(f"-- {name}: median {med['rate']:,.0f}/s (runs {fmt(rs,'rate',',.0f')}), "
          f"p50 {med['p50']:.2f} p99 {med['p99']:.2f} ms (p99 runs {fmt(rs,'p99','.1f')}); "
          f"msg/CPU-s median {statistics.median(x['per_cpu'] for x in rs):,.0f} "
          f"(runs {fmt(rs,'per_cpu',',.0f')}); load {statistics.median(x['load'] for x in rs):.1f}", flush=True)
