#!/usr/bin/env python3
"""Memory and start-up with a large backlog (issue 11: 1,000,000 queued messages, RSS
<= 300 MB, start-up <= 2 s; docs/performance/sessions1-3.md "Backlog"; the latest run in
docs/performance.md).

A fresh `bramka init --demo` (simnet, SQLite, answers after fdatasync); N messages accepted
through the API in requests of BATCH recipients (messages/send_sms, scheduled for
2030-01-01 so they stay queued); then the RSS of the running serve, a clean stop, and
RUNS restarts: time from exec until /healthz answers 200, and RSS 2 s after that.

Usage: BRAMKA_BIN=build/release/src/app/bramka scripts/bench_backlog.py [N] [BATCH] [RUNS]
Stdlib only; loopback, port 0.
"""
import os
import statistics
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
from harness import Bramka  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 3


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    b = Bramka()
    try:
        with open(b.config) as f:
            text = f.read().replace('log_level = "info"', 'log_level = "warn"')
        with open(b.config, "w") as f:
            f.write(text)
        b.admin("account", "topup", "demo", "--eco", str(N * 2))
        b.start()
        t0 = time.monotonic()
        for start in range(0, N, BATCH):
            count = min(BATCH, N - start)
            phones = [f"+48500{(start + i) % 1_000_000:06d}" for i in range(count)]
            t = time.monotonic()
            r = b.api("messages/send_sms", {"phone": phones, "text": "backlog",
                                            "date": "2030-01-01T12:00:00+01:00"})
            assert r.get("success") and r.get("queued") == count, str(r)[:300]
            print(f"   {start + count:,} accepted ({time.monotonic() - t:.2f} s for this request)",
                  flush=True)
        accept_s = time.monotonic() - t0
        loaded_rss = rss_mb(b.proc.pid)
        b.stop()
        db = os.path.join(b.dir, "data")
        size = sum(os.path.getsize(os.path.join(db, f)) for f in os.listdir(db)
                   if os.path.isfile(os.path.join(db, f)))
        starts, rsss = [], []
        for _ in range(RUNS):
            t = time.monotonic()
            b.start(timeout=120)  # until listeners.json and /healthz 200, polled every 20 ms
            starts.append(time.monotonic() - t)
            time.sleep(2)  # let start-up work that runs after /healthz settle
            rsss.append(rss_mb(b.proc.pid))
            b.stop()
        print(f"== {N:,} scheduled messages accepted in {accept_s:.1f} s "
              f"({N / accept_s:,.0f} msg/s, {BATCH:,} per request); data dir {size / 1e6:.0f} MB")
        print(f"   RSS of the serve that accepted them: {loaded_rss:.0f} MB")
        print(f"   restart with the backlog: /healthz after {', '.join(f'{s:.2f}' for s in starts)} s "
              f"(median {statistics.median(starts):.2f} s); RSS {', '.join(f'{r:.0f}' for r in rsss)} MB "
              f"(median {statistics.median(rsss):.0f} MB)")
    finally:
        if b.proc and b.proc.poll() is None:
            b.stop()
        b.cleanup()


if __name__ == "__main__":
    main()
