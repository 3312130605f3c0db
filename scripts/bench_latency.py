#!/usr/bin/env python3
"""Where a submit_sm's latency goes (docs/performance/session6.md "Session 6: latency", ADR
0035).

Runs `bramka bench smpp --binds 8 --window 64 --rate RATE` (scripts/bench_smpp.py's
smpp8_rate set-up: fresh `init --demo` + serve per run, simnet on the same cores) for each
VARIANT in turn, ROUNDS times alternating, and after each run reads the serve's /metrics:
the writer's stages (bramka_store_write_stage_seconds: queued, batch, sync_wait, fsync,
handoff, total; also for the writes slower than 5 ms) and the SMPP server's
(bramka_smpp_submit_stage_seconds: to_store, answered). Percentiles come from the
histogram buckets (linear inside a bucket). Prints per run the client's p50/p99, the
stages' p50/p99, the slow writes' mean per stage, the serve's CPU and the load average.

A variant is `label=binary` or `label=binary:sync_wake_us` (the [store] key; binaries
without the metrics show only the client's figures).

SCENARIO=smpp8 runs the closed loop instead (what the waker costs at saturation).

Usage: ROUNDS=3 SECS=10 RATE=20000 scripts/bench_latency.py base=/tmp/bramka-s6base \\
           off=/tmp/bramka-latency-1:0 on=/tmp/bramka-latency-1:20
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_ab  # noqa: E402
import bench_smpp  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "3"))
SCENARIO = os.environ.get("SCENARIO", "smpp8_rate")  # or smpp8: the closed loop
LINE = re.compile(r'^(\w+)_bucket\{(.*)le="([^"]+)"\} (\S+)$')
STAGES = ["to_store", "queued", "batch", "sync_wait", "fsync", "handoff", "total", "answered"]
# Of the batch stage (ADR 0037): the batch's non-accept jobs and its COMMIT, per write.
PARTS = ["others", "commit"]


def histograms(text):
    """{(family, labels): [(le, cumulative count)]} from the Prometheus text."""
    out = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        le = float("inf") if m.group(3) == "+Inf" else float(m.group(3))
        out.setdefault((m.group(1), m.group(2).rstrip(",")), []).append((le, float(m.group(4))))
    return out


def quantile(buckets, q):
    total = buckets[-1][1]
    if total == 0:
        return None
    want, prev_le, prev_n = q * total, 0.0, 0.0
    for le, n in buckets:
        if n >= want:
            if le == float("inf"):
                return prev_le * 1000
            return 1000 * (prev_le + (le - prev_le) * (want - prev_n) / max(n - prev_n, 1e-9))
        prev_le, prev_n = le, n
    return prev_le * 1000


def stage_figures(text):
    h = histograms(text)
    sums = {}
    for line in text.splitlines():
        m = re.match(r'^(\w+)_(sum|count)\{(.*)\} (\S+)$', line)
        if m:
            sums[(m.group(1), m.group(3), m.group(2))] = float(m.group(4))
    figures = {}
    for stage in STAGES:
        fam = "bramka_smpp_submit_stage_seconds" if stage in ("to_store", "answered") else \
            "bramka_store_write_stage_seconds"
        labels = f'stage="{stage}"'
        if (fam, labels) not in h:
            continue
        b = h[(fam, labels)]
        slow = (fam, labels + ',slow="1"')
        slow_n = sums.get((fam, labels + ',slow="1"', "count"), 0)
        slow_mean = 1000 * sums.get((fam, labels + ',slow="1"', "sum"), 0) / slow_n if slow_n else None
        figures[stage] = {"p50": quantile(b, 0.5), "p90": quantile(b, 0.9), "p99": quantile(b, 0.99),
                          "n": b[-1][1], "slow_n": slow_n if slow in h else None,
                          "slow_mean": slow_mean}
    for part in PARTS:
        b = h.get(("bramka_store_write_batch_part_seconds", f'part="{part}"'))
        if b:
            figures["b." + part] = {"p50": quantile(b, 0.5), "p90": quantile(b, 0.9),
                                    "p99": quantile(b, 0.99), "n": b[-1][1], "slow_n": None,
                                    "slow_mean": None}
    # The writer's WAL checkpoints (ADR 0037; "slow_n" here is how many ran, "mean" their
    # mean: n x mean is the writer's time in checkpoints, ADR 0040), and since ADR 0044 the
    # rounds of the checkpointer beside the writer.
    for label, family in (("ckpt", "bramka_store_checkpoint_seconds"),
                          ("bgckpt", "bramka_store_background_checkpoint_seconds")):
        b = h.get((family, ""))
        if b and b[-1][1] > 0:
            m = re.search(rf'^{family}_sum (\S+)$', text, re.M)
            figures[label] = {"p50": quantile(b, 0.5), "p90": quantile(b, 0.9),
                              "p99": quantile(b, 0.99), "n": b[-1][1], "slow_n": b[-1][1],
                              "slow_mean": 1000 * float(m.group(1)) / b[-1][1] if m else None}
    return figures


def waker_cpu_seconds(pid):
    """CPU seconds of the serve's SyncWaker thread (named bramka-syncwake), 0 if none."""
    total = 0.0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().strip() != "bramka-syncwake":
                    continue
            total += bench_ab.cpu_seconds(f"{pid}/task/{tid}")
        except OSError:
            pass
    return total


def io_pressure_us():
    """The host's cumulative I/O stall ("some" total, µs; None without PSI). Session 11
    (docs/performance/session11-p99.md): the disk's state, not the load average, decides a
    round's p99: every round whose fsync p99 was >= 2 ms had a client p99 over 10 ms."""
    try:
        with open("/proc/pressure/io") as f:
            return int(f.readline().split("total=")[1])
    except (OSError, IndexError, ValueError):
        return None


def one_run(binary, wake):
    edit = None
    if wake is not None:
        edit = lambda t: t.replace('[store]\n', f'[store]\nsync_wake_us = {wake}\n', 1)  # noqa: E731
    bench_smpp.BIN = binary
    d, cfg, proc = bench_smpp.serve(edit)
    try:
        load = os.getloadavg()[0]
        io0, t0 = io_pressure_us(), time.monotonic()
        cpu0 = bench_ab.cpu_seconds(proc.pid)
        waker0 = waker_cpu_seconds(proc.pid)
        args = [binary, "bench", *bench_smpp.SCENARIOS[SCENARIO], "--config", cfg, "--json"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=900)
        cpu1 = bench_ab.cpu_seconds(proc.pid)
        io1, t1 = io_pressure_us(), time.monotonic()
        waker1 = waker_cpu_seconds(proc.pid)
        out = json.loads(r.stdout)
        out["waker_cpu_s"] = waker1 - waker0
        with open(os.path.join(d, "data", "listeners.json")) as f:
            port = json.load(f)["http"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as m:
            out["stages"] = stage_figures(m.read().decode())
        out["serve_cpu_s"] = cpu1 - cpu0
        out["load"] = load
        # Share of the run's wall time in which some task waited for I/O (host-wide).
        out["io_some"] = None if io0 is None or io1 is None else (io1 - io0) / 1e6 / (t1 - t0)
        return out
    finally:
        bench_smpp.stop(d, proc)


def disk(r):
    """The host's I/O stall share over the run and the writer's fsync p99: "quiet" under 2 ms."""
    some = "-" if r.get("io_some") is None else f"{100 * r['io_some']:.0f} %"
    f = r["stages"].get("fsync", {}).get("p99")
    state = "-" if f is None else ("quiet" if f < 2 else "slow")
    return f"{some}, disk {state}"


def fmt(x):
    return "-" if x is None else f"{x:.2f}"


def main():
    variants = []
    for arg in sys.argv[1:]:
        label, spec = arg.split("=", 1)
        binary, _, wake = spec.partition(":")
        variants.append((label, binary, int(wake) if wake else None))
    print(f"== {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {ROUNDS} rounds, "
          f"bench {' '.join(bench_smpp.SCENARIOS[SCENARIO])}, load {os.getloadavg()[0]:.1f}",
          flush=True)
    results = {label: [] for label, _, _ in variants}
    for _ in range(ROUNDS):
        for label, binary, wake in variants:
            r = one_run(binary, wake)
            results[label].append(r)
            lat = r["latency"]
            print(f"-- {label}: {r['accepted_per_s']:,.0f}/s, client p50 {lat['p50_ms']:.2f} ms, "
                  f"p90 {lat['p90_ms']:.2f}, p99 {lat['p99_ms']:.2f}, max {lat['max_ms']:.1f}; "
                  f"{r['accepted'] / max(r['serve_cpu_s'], 1e-9):,.0f} msg/CPU-s (serve {r['serve_cpu_s']:.2f} "
                  f"CPU-s, of it the waker {r['waker_cpu_s']:.2f}); load {r['load']:.1f}, "
                  f"io stall {disk(r)}",
                  flush=True)
            for stage, f in r["stages"].items():
                print(f"     {stage:9} p50 {fmt(f['p50'])} p90 {fmt(f['p90'])} p99 {fmt(f['p99'])} ms"
                      f"   slow (>5 ms) writes: n={fmt(f['slow_n'])} mean {fmt(f['slow_mean'])} ms",
                      flush=True)
    print("== medians by client p99")
    for label, runs in results.items():
        p99 = sorted(x["latency"]["p99_ms"] for x in runs)
        p50 = sorted(x["latency"]["p50_ms"] for x in runs)
        print(f"   {label}: p50 {p50[len(p50) // 2]:.2f} ms, p99 {p99[len(p99) // 2]:.2f} ms "
              f"(runs {' / '.join(f'{x:.1f}' for x in p99)}); load "
              f"{min(x['load'] for x in runs):.1f}-{max(x['load'] for x in runs):.1f}; disk "
              f"{' / '.join(disk(x).split('disk ')[1] for x in runs)}")


if __name__ == "__main__":
    main()
