#!/usr/bin/env python3
"""SQL API benchmark (docs/performance/sessions1-3.md, "SQL API (issue 8)"): a real MariaDB
or PostgreSQL server
(tests/integration/sql_peers.py) with the standard tables, N rows inserted at once while
bramka polls the source (interval 1 s, batches of 500, simnet receipts without delay).
Prints rows/s from the insert's commit to the last smsid written back, and the report
write-back rate (rows whose dlr was written, per second, from the first report to the last).

Usage: BRAMKA_BIN=build/debug/src/app/bramka scripts/bench_sql.py [mysql|postgres] [N]
Stdlib only; loopback."""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
from harness import Bramka, wait_until  # noqa: E402
from sql_peers import MariaDb, Postgres  # noqa: E402

engine = sys.argv[1] if len(sys.argv) > 1 else "mysql"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
db = MariaDb() if engine == "mysql" else Postgres()
b = Bramka()
try:
    with open(b.config) as f:
        text = f.read().replace('log_level = "info"', 'log_level = "warn"')
    text = text.replace("receipt_delay_ms = 500", "receipt_delay_ms = 0")
    with open(b.config, "w") as f:
        f.write(text)
    b.admin("account", "topup", "demo", "--eco", str(n * 2))
    b.admin("sql", "create-tables", "--url", db.url())
    b.admin("sql", "add", "demo", "--url", db.url(), "--interval", "1")
    b.start()
    table = "`SerwerSMS_MT`" if engine == "mysql" else '"SerwerSMS_MT"'
    chunk = 5000
    rows_sql = []
    for start in range(0, n, chunk):
        vals = ", ".join(f"('+48502{i:06d}', '', 'bench {i}')" for i in range(start, min(n, start + chunk)))
        rows_sql.append(f"INSERT INTO {table} (number, sender, message) VALUES {vals};")
    script = ("START TRANSACTION; " if engine == "mysql" else "BEGIN; ") + " ".join(rows_sql) + " COMMIT;"
    db.script(script)
    t0 = time.monotonic()
    first_report = None

    def count(where):
        return int(db.value(f"SELECT COUNT(*) FROM {table} WHERE {where}"))

    def smsids_done():
        nonlocal_first()
        return count("smsid IS NOT NULL") == n

    def nonlocal_first():
        global first_report
        if first_report is None and count("dlr <> '0'") > 0:
            first_report = time.monotonic()

    wait_until(smsids_done, 600, 0.05, "every smsid")
    t1 = time.monotonic()

    def reports_done():
        nonlocal_first()
        return count("dlr <> '0'") == n
    wait_until(reports_done, 600, 0.05, "every report")
    t2 = time.monotonic()
    print(f"{engine}: {n} rows; insert -> last smsid {t1 - t0:.2f} s = {n / (t1 - t0):,.0f} rows/s; "
          f"reports: first {first_report - t0:.2f} s, last {t2 - t0:.2f} s = "
          f"{n / max(t2 - first_report, 1e-9):,.0f} reports/s")
finally:
    b.cleanup()
    db.cleanup()
