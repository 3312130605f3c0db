#!/usr/bin/env python3
"""SQL API benchmark (docs/performance/sessions1-3.md, "SQL API (issue 8)"; re-run in
docs/performance/session11-stale.md): a real MariaDB or PostgreSQL server
(tests/integration/sql_peers.py: loopback, MariaDB with innodb_flush_log_at_trx_commit=2,
PostgreSQL with fsync=off) with the standard tables; per round N rows inserted in one
transaction while a fresh bramka (init --demo, simnet receipts without delay) polls the
source (interval 1 s, batches of 500). Per round it prints
  - rows/s from the insert's commit to the last smsid written back,
  - the report write-back rate (rows whose dlr was written, per second, from the first
    report to the last),
  - the CPU seconds of the serve and of the database server in that interval (from
    /proc/PID/stat; rows per serve CPU-second), and the load average;
then the medians of ROUNDS (default 3) with every round beside them. The database server
is started once; its table is emptied between rounds. The poll of the table (one COUNT
query through the database's command-line client every 0.1 s) is this script's own cost.

MO mode (ENGINE `mysql-mo` or `postgres-mo`, session 13, docs/adr/0062): incoming messages
instead of outgoing rows. Per round N incoming messages are queued for the source straight in
the fresh bramka's store (its `sql_mo_outbox`, as QueueIncomingForSql leaves them; the serve
not yet started, the MO table emptied), then the serve starts and writes them into the
customer's `SerwerSMS_MO` in batches of 500 back to back; per round it prints MO rows/s from
the serve's start (its port open) to the last row, and from the first row to the last, the
CPU of the serve and of the database server over that interval (rows per serve CPU-second).

Usage: BRAMKA_BIN=<bin> [ROUNDS=3] python3 scripts/bench_sql.py [mysql|postgres|mysql-mo|postgres-mo] [N]
       [ROUNDS=3] python3 scripts/bench_sql.py ENGINE N BIN1 BIN2...: the binaries alternate
       round by round on one database server (the order reversed every round).
PGBOUNCER=N (postgres): the source goes through pgbouncer in pool_mode = transaction with N
server sessions handed out in turn (sql_peers.PgBouncer).
PERF_OUT=FILE records the serve of the first round (perf record --call-graph dwarf, PERF_FREQ
499) from the insert to the last report (the profiler costs some of that round's figures).
Stdlib only; loopback."""
import hashlib
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
import harness  # noqa: E402
from harness import BIN, Bramka, wait_until  # noqa: E402
from sql_peers import MariaDb, PgBouncer, Postgres  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def cpu_seconds(pid):
    """utime + stime (/proc/PID/stat fields 14 and 15), as scripts/bench_ab.py reads it."""
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICK


def tree_cpu_seconds(root):
    """CPU of a server process and its children: the root's own and reaped children's
    time (fields 14-17) plus every live child's (PostgreSQL runs a process per session)."""
    fields = stat_fields(root)
    total = sum(int(x) for x in fields[11:15])
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                f = stat_fields(entry)
            except OSError:
                continue
            if f[1] == str(root):
                total += int(f[11]) + int(f[12])
    return total / TICK


def db_pid(db):
    if isinstance(db, MariaDb):
        return db.proc.pid
    with open(os.path.join(db.data, "postmaster.pid")) as f:
        return int(f.readline())


def one_round(db, engine, n, table, first, url):
    b = Bramka()
    try:
        with open(b.config) as f:
            text = f.read().replace('log_level = "info"', 'log_level = "warn"')
        text = text.replace("receipt_delay_ms = 500", "receipt_delay_ms = 0")
        with open(b.config, "w") as f:
            f.write(text)
        b.admin("account", "topup", "demo", "--eco", str(n * 2))
        if first:
            b.admin("sql", "create-tables", "--url", url)
        else:
            db.run(f"DELETE FROM {table}")
        b.admin("sql", "add", "demo", "--url", url, "--interval", "1")
        b.start()
        chunk = 5000
        rows_sql = []
        for start in range(0, n, chunk):
            vals = ", ".join(f"('+48502{i:06d}', '', 'bench {i}')" for i in range(start, min(n, start + chunk)))
            rows_sql.append(f"INSERT INTO {table} (number, sender, message) VALUES {vals};")
        script = ("START TRANSACTION; " if engine == "mysql" else "BEGIN; ") + " ".join(rows_sql) + " COMMIT;"
        load = os.getloadavg()[0]
        db.script(script)
        t0 = time.monotonic()
        cpu0 = (cpu_seconds(b.proc.pid), tree_cpu_seconds(db_pid(db)))
        perf = None
        if os.environ.get("PERF_OUT") and first:
            perf = subprocess.Popen(["perf", "record", "-F", os.environ.get("PERF_FREQ", "499"),
                                     "--call-graph", "dwarf,16384", "-o", os.environ["PERF_OUT"],
                                     "-p", str(b.proc.pid)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        state = {"first_report": None, "smsid_done": None}

        def poll():
            row = db.rows(f"SELECT SUM(CASE WHEN smsid IS NOT NULL THEN 1 ELSE 0 END), "
                          f"SUM(CASE WHEN dlr <> '0' THEN 1 ELSE 0 END) FROM {table}")[0]
            smsids, reports = (int(x or 0) for x in row)
            now = time.monotonic()
            if state["first_report"] is None and reports > 0:
                state["first_report"] = now
            if state["smsid_done"] is None and smsids == n:
                state["smsid_done"] = now
            return smsids == n and reports == n

        wait_until(poll, 600, 0.1, "every smsid and report")
        t2 = time.monotonic()
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait(timeout=300)
        serve_cpu = cpu_seconds(b.proc.pid) - cpu0[0]
        db_cpu = tree_cpu_seconds(db_pid(db)) - cpu0[1]
        r = {"smsid_s": state["smsid_done"] - t0, "first_report_s": state["first_report"] - t0,
             "last_report_s": t2 - t0, "serve_cpu_s": serve_cpu, "db_cpu_s": db_cpu, "load": load}
        r["rows_per_s"] = n / r["smsid_s"]
        r["reports_per_s"] = n / max(r["last_report_s"] - r["first_report_s"], 1e-9)
        r["per_cpu"] = n / max(serve_cpu, 0.01)
        b.stop()
        return r
    finally:
        b.cleanup()


def one_round_mo(db, engine, n, first, url):
    """N incoming messages queued in bramka's store before the serve starts; the time and
    CPU until the last one is in the customer's MO table."""
    table = "`SerwerSMS_MO`" if engine == "mysql" else '"SerwerSMS_MO"'
    b = Bramka()
    try:
        with open(b.config) as f:
            text = f.read().replace('log_level = "info"', 'log_level = "warn"')
        with open(b.config, "w") as f:
            f.write(text)
        if first:
            b.admin("sql", "create-tables", "--url", url)
        else:
            db.run(f"DELETE FROM {table}")
        b.admin("sql", "add", "demo", "--url", url, "--interval", "1")
        con = sqlite3.connect(os.path.join(b.dir, "data", "bramka.db"))
        try:
            source_id, account_id = con.execute("SELECT id, account_id FROM sql_sources").fetchone()
            now_ms = int(time.time() * 1000)
            con.executemany(
                "INSERT INTO sql_mo_outbox (source_id, account_id, message_id, phone_from, phone_to, "
                "text, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((source_id, account_id, f"{i:010x}", f"+48503{i:06d}", "+48700000001",
                  f"odpowiedź {i}", now_ms + i) for i in range(n)))
            con.commit()
        finally:
            con.close()
        load = os.getloadavg()[0]
        b.start()
        t0 = time.monotonic()
        cpu0 = (cpu_seconds(b.proc.pid), tree_cpu_seconds(db_pid(db)))
        state = {"first": None}

        def poll():
            count = int(db.value(f"SELECT COUNT(*) FROM {table}") or 0)
            if state["first"] is None and count > 0:
                state["first"] = time.monotonic()
            return count >= n

        wait_until(poll, 600, 0.05, "every MO row")
        t2 = time.monotonic()
        serve_cpu = cpu_seconds(b.proc.pid) - cpu0[0]
        db_cpu = tree_cpu_seconds(db_pid(db)) - cpu0[1]
        rows = int(db.value(f"SELECT COUNT(*) FROM {table}"))
        if rows != n:
            raise AssertionError(f"{rows} MO rows for {n} incoming messages")
        r = {"smsid_s": t2 - t0, "first_report_s": state["first"] - t0, "last_report_s": t2 - t0,
             "serve_cpu_s": serve_cpu, "db_cpu_s": db_cpu, "load": load}
        r["rows_per_s"] = n / r["smsid_s"]
        r["reports_per_s"] = n / max(t2 - state["first"], 1e-9)
        r["per_cpu"] = n / max(serve_cpu, 0.01)
        b.stop()
        return r
    finally:
        b.cleanup()


def describe(binary):
    with open(binary, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()[:12]
    built = time.strftime('%Y-%m-%d %H:%M', time.gmtime(os.stat(binary).st_mtime))
    return f"{binary} (sha256 {sha}, built {built} UTC)"


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "mysql"
    mo = mode.endswith("-mo")
    engine = mode[:-3] if mo else mode
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    bins = sys.argv[3:] or [BIN]
    rounds = int(os.environ.get("ROUNDS", "3"))
    print(f"== bench_sql.py {mode} {n}: {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, "
          f"{os.cpu_count()} cores, load {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{rounds} rounds", flush=True)
    for i, binary in enumerate(bins):
        print(f"   bin{i + 1} = {describe(binary)}", flush=True)
    db = MariaDb() if engine == "mysql" else Postgres()
    url = db.url()
    bouncer = None
    if engine == "postgres" and os.environ.get("PGBOUNCER"):
        # The source through pgbouncer 1.18 in pool_mode = transaction, PGBOUNCER server
        # sessions handed out in turn (docs/adr/0055); its own CPU is not counted.
        bouncer = PgBouncer(db, servers=int(os.environ["PGBOUNCER"]))
        url = bouncer.url()
        print(f"   through pgbouncer, transaction pooling, {os.environ['PGBOUNCER']} server sessions",
              flush=True)
    table = "`SerwerSMS_MT`" if engine == "mysql" else '"SerwerSMS_MT"'
    runs = {b: [] for b in bins}
    try:
        for i in range(rounds):
            # Several binaries alternate, the order reversed every round (the first run of a
            # round was faster on this machine whichever binary it was).
            for binary in (bins if i % 2 == 0 else bins[::-1]):
                harness.BIN = binary
                if mo:
                    r = one_round_mo(db, engine, n, not any(runs.values()), url)
                    runs[binary].append(r)
                    print(f"round {i + 1} bin{bins.index(binary) + 1}: start -> last MO row "
                          f"{r['smsid_s']:.2f} s = {r['rows_per_s']:,.0f} MO rows/s; first MO row "
                          f"{r['first_report_s']:.2f} s, first -> last = {r['reports_per_s']:,.0f} "
                          f"MO rows/s; CPU: serve {r['serve_cpu_s']:.2f} s ({r['per_cpu']:,.0f} "
                          f"rows/CPU-s), {engine} server {r['db_cpu_s']:.2f} s; load "
                          f"{r['load']:.1f}", flush=True)
                    continue
                r = one_round(db, engine, n, table, not any(runs.values()), url)
                runs[binary].append(r)
                print(f"round {i + 1} bin{bins.index(binary) + 1}: insert -> last smsid "
                      f"{r['smsid_s']:.2f} s = {r['rows_per_s']:,.0f} rows/s; "
                      f"reports: first {r['first_report_s']:.2f} s, last {r['last_report_s']:.2f} s = "
                      f"{r['reports_per_s']:,.0f} reports/s; CPU until the last report: serve "
                      f"{r['serve_cpu_s']:.2f} s ({r['per_cpu']:,.0f} rows/CPU-s), {engine} server "
                      f"{r['db_cpu_s']:.2f} s; load {r['load']:.1f}", flush=True)
    finally:
        if bouncer:
            bouncer.cleanup()
        db.cleanup()

    for binary in bins:
        rs = runs[binary]

        def med(key, fmt="{:,.0f}"):
            values = [r[key] for r in rs]
            return f"{fmt.format(statistics.median(values))} ({' / '.join(fmt.format(v) for v in values)})"
        if mo:
            print(f"-- bin{bins.index(binary) + 1} {mode} {n} incoming, medians of {rounds}: "
                  f"{med('rows_per_s')} MO rows/s from the start ({med('smsid_s', '{:.2f}')} s); "
                  f"{med('reports_per_s')} MO rows/s first to last; serve {med('per_cpu')} "
                  f"rows/CPU-s; {engine} server {med('db_cpu_s', '{:.2f}')} CPU-s; load "
                  f"{min(r['load'] for r in rs):.1f}-{max(r['load'] for r in rs):.1f}")
            continue
        print(f"-- bin{bins.index(binary) + 1} {engine} {n} rows, medians of {rounds}: "
              f"{med('rows_per_s')} rows/s to the last smsid ({med('smsid_s', '{:.2f}')} s); "
              f"{med('reports_per_s')} reports/s; serve {med('per_cpu')} rows/CPU-s; {engine} "
              f"server {med('db_cpu_s', '{:.2f}')} CPU-s; load "
              f"{min(r['load'] for r in rs):.1f}-{max(r['load'] for r in rs):.1f}")


if __name__ == "__main__":
    main()
