#!/usr/bin/env python3
"""Benchmark (not a test): lines/s of SMS via FTP, from a 100,000-line file dropped on a
pyftpdlib server to every line accepted and its result file written back.

  BRAMKA_BIN=build/release/src/app/bramka python3 tests/integration/ftp_bench.py [LINES]

Prints the time from the file's appearance to `<name>.result` and lines/s. The poller's
tick is 100 ms and the source's interval 1 s, so up to ~1 s of the time is waiting for the
poll; the figure is reported with that included.
"""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Bramka, wait_until  # noqa: E402
import ftp_servers  # noqa: E402
from test_ftp_ingest import put, set_ftp_config  # noqa: E402


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
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
        t0 = time.monotonic()
        put(folder, "bench.txt", data)
        result = os.path.join(folder, "bench.txt.result")
        wait_until(lambda: os.path.exists(result), 600, interval=0.01, what="the result file")
        elapsed = time.monotonic() - t0
        lines = open(result).read().count(";OK;")
        assert lines == n, lines
        print(f"{n} lines ({len(data) / 1e6:.1f} MB) accepted in {elapsed:.2f} s: {n / elapsed:,.0f} lines/s")
        b.stop()
    finally:
        server.stop()
        b.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
