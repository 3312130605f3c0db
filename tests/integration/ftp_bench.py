#!/usr/bin/env python3
"""Benchmark (not a test): lines/s of SMS via FTP, from a file of LINES lines
(`NUMER;WIADOMOSC;INFORMACJA`, default 100,000 = 5.0 MB) dropped on a pyftpdlib server to
every line accepted and its result file written back (docs/performance/sessions1-3.md,
"SMS via FTP (issue 7)"; re-run in docs/performance/session11-stale.md).

  BRAMKA_BIN=<bin> [ROUNDS=3] /usr/bin/python3 tests/integration/ftp_bench.py [LINES]

Per round (a fresh server folder and `bramka init --demo` + serve each): the time from the
file's appearance to `<name>.result`, lines/s, the serve's CPU seconds in that interval
(from /proc/PID/stat, as scripts/bench_ab.py reads it; lines per serve CPU-second, which
includes simnet delivering the lines as they are accepted) and the load average; then the
medians of ROUNDS with every round beside them. The poller's tick is 100 ms and the source's
interval 1 s, so up to ~1 s of the time is waiting for the poll; the figure includes it.
"""
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Bramka, wait_until  # noqa: E402
import ftp_servers  # noqa: E402
from test_ftp_ingest import put, set_ftp_config  # noqa: E402


def cpu_seconds(pid):
    """utime + stime of a process (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_round(n):
    work = tempfile.mkdtemp(prefix="bramka-ftp-bench-")
    folder = os.path.join(work, "u")
    os.mkdir(folder)
    server = ftp_servers.PyFtpd({"u": ("pw", folder)})
    b = Bramka()
    try:
        set_ftp_config(b.config, tick_ms=100)
        b.admin("account", "topup", "demo", "--eco", str(2 * n), "--full", str(2 * n))
        b.admin("ftp", "add", "demo", "--url", f"ftp://u:pw@127.0.0.1:{server.port}/", "--interval", "1")
        b.start()
        data = "".join(f"51{i:07d};Benchmark message {i};INFORMACJA\n" for i in range(n)).encode()
        load = os.getloadavg()[0]
        cpu0 = cpu_seconds(b.proc.pid)
        t0 = time.monotonic()
        put(folder, "bench.txt", data)
        result = os.path.join(folder, "bench.txt.result")
        wait_until(lambda: os.path.exists(result), 600, interval=0.01, what="the result file")
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds(b.proc.pid) - cpu0
        with open(result) as f:
            lines = f.read().count(";OK;")
        assert lines == n, lines
        b.stop()
        return {"s": elapsed, "lines_per_s": n / elapsed, "serve_cpu_s": cpu,
                "per_cpu": n / max(cpu, 0.01), "load": load, "mb": len(data) / 1e6}
    finally:
        server.stop()
        b.cleanup()
        shutil.rmtree(work, ignore_errors=True)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rounds = int(os.environ.get("ROUNDS", "3"))
    with open(BIN, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()[:12]
    print(f"== ftp_bench.py {n}: {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, "
          f"{os.cpu_count()} cores, load {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {BIN} "
          f"(sha256 {sha}, built {time.strftime('%Y-%m-%d %H:%M', time.gmtime(os.stat(BIN).st_mtime))} "
          f"UTC); {rounds} rounds", flush=True)
    runs = []
    for i in range(rounds):
        r = one_round(n)
        runs.append(r)
        print(f"round {i + 1}: {n} lines ({r['mb']:.1f} MB) accepted in {r['s']:.2f} s: "
              f"{r['lines_per_s']:,.0f} lines/s; serve {r['serve_cpu_s']:.2f} CPU-s "
              f"({r['per_cpu']:,.0f} lines/CPU-s); load {r['load']:.1f}", flush=True)

    def med(key, fmt="{:,.0f}"):
        values = [r[key] for r in runs]
        return f"{fmt.format(statistics.median(values))} ({' / '.join(fmt.format(v) for v in values)})"
    print(f"-- {n} lines, medians of {rounds}: {med('lines_per_s')} lines/s ({med('s', '{:.2f}')} s); "
          f"{med('per_cpu')} lines/CPU-s; load {min(r['load'] for r in runs):.1f}-"
          f"{max(r['load'] for r in runs):.1f}")


if __name__ == "__main__":
    main()
