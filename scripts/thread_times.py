#!/usr/bin/env python3
"""Per-thread CPU, run-queue wait and context switches of the serve and of the load
generator during one open-loop SMPP run (docs/performance/session11-p99.md).

Starts a fresh serve (scripts/bench_smpp.py's serve(): `init --demo`, simnet in the same
serve), runs `bench smpp` (smpp8_rate: 8 binds, window 64, RATE/s for SECS s), and samples
/proc/PID/task/*/{schedstat,status} of both processes over SAMPLE seconds of the run. Per
thread (the serve names its threads since session 11: bramka-io, bramka-writer,
bramka-sync, bramka-done, bramka-ckpt, bramka-dispatch, bramka-dbatch, bramka-record,
bramka-simnet, bramka-smppcli; the main thread is an I/O thread too): CPU %, the time it
was runnable but waiting for a CPU (ms per second, from schedstat), scheduling slices,
voluntary and involuntary switches per second.

Usage: RATE=20000 SECS=10 python3 scripts/thread_times.py BINARY [SAMPLE]
(run it under the benchmark lock: flock /tmp/bramka-bench.lock ...)
"""
import glob
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_smpp  # noqa: E402


def snap(pid):
    """{tid: (comm, cpu ns, run-queue wait ns, slices, voluntary, involuntary)}."""
    out = {}
    for t in glob.glob(f"/proc/{pid}/task/*"):
        tid = t.rsplit("/", 1)[1]
        try:
            with open(t + "/comm") as f:
                comm = f.read().strip()
            with open(t + "/schedstat") as f:
                run, wait, slices = map(int, f.read().split())
            fields = {}
            with open(t + "/status") as f:
                for line in f:
                    k, _, v = line.partition(":")
                    fields[k] = v.strip()
            out[tid] = (comm, run, wait, slices, int(fields["voluntary_ctxt_switches"]),
                        int(fields["nonvoluntary_ctxt_switches"]))
        except (OSError, KeyError, ValueError):
            pass
    return out


def report(name, a, b, dt):
    print(f"--- {name} over {dt:.1f} s: tid, thread, CPU %, run-queue wait ms/s, slices/s, "
          f"voluntary/s, involuntary/s")
    cpu_total = wait_total = 0.0
    for tid in sorted(b, key=lambda t: -(b[t][1] - a.get(t, b[t])[1])):
        if tid not in a:
            continue
        c, p = b[tid], a[tid]
        cpu = (c[1] - p[1]) / 1e9 / dt * 100
        wait = (c[2] - p[2]) / 1e6 / dt
        cpu_total += cpu
        wait_total += wait
        if cpu < 0.5 and wait < 0.5:
            continue
        print(f"{tid:>8} {c[0]:<16} {cpu:6.1f} {wait:8.1f} {(c[3] - p[3]) / dt:8.0f} "
              f"{(c[4] - p[4]) / dt:8.0f} {(c[5] - p[5]) / dt:7.0f}")
    print(f"total CPU {cpu_total:.1f} %, run-queue wait {wait_total:.1f} ms/s")


def main():
    binary = sys.argv[1]
    sample = float(sys.argv[2]) if len(sys.argv) > 2 else 6.0
    bench_smpp.BIN = binary
    d, cfg, proc = bench_smpp.serve(None)
    try:
        args = [binary, "bench", *bench_smpp.SCENARIOS["smpp8_rate"], "--config", cfg, "--json"]
        load = os.getloadavg()[0]
        gen = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)  # past the binds
        g0, s0, t0 = snap(gen.pid), snap(proc.pid), time.monotonic()
        time.sleep(sample)
        g1, s1, t1 = snap(gen.pid), snap(proc.pid), time.monotonic()
        out, _ = gen.communicate()
        lat = json.loads(out)["latency"]
        print(f"load {load:.1f}; client p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms")
        report("serve", s0, s1, t1 - t0)
        report("generator", g0, g1, t1 - t0)
    finally:
        bench_smpp.stop(d, proc)


if __name__ == "__main__":
    main()
