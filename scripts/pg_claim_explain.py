#!/usr/bin/python3
"""PostgreSQL ClaimDue's plan with many messages in flight, two builds side by side
(docs/performance/session10-pg.md, docs/adr/0050).

Starts a PostgreSQL 15 as bench_pgstore.py does, lets each binary make its schema in a
database of its own (`bramka init --store`), fills both with the same QUEUED messages of
which LEASED are claimed and not yet sent (leased until far ahead, due first, as in flight
under load), VACUUM ANALYZE, then runs each build's ClaimDue statement (`BEFORE_SQL` /
`AFTER_SQL`: the text of postgres_store_messages.cc before and claim_sql.h after, route-hint
filter included) ROUNDS times alternating, as EXPLAIN (ANALYZE, BUFFERS) inside a
transaction that is rolled back, with LIMIT = the dispatcher's batch (512). Prints per
build and leased count the medians of: execution time, the claim index scan's time to its
last row and its buffers.
Usage: scripts/pg_claim_explain.py BEFORE_BIN AFTER_BIN [LEASED,...] (QUEUED=100000,
ROUNDS=5, LIMIT=512). Not a test: never run by `make test`."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
ARGS, sys.argv = sys.argv[1:], sys.argv[:1]  # bench_pgstore reads its own sys.argv
from bench_pgstore import PG_BIN, start_postgres, stop_postgres  # noqa: E402

QUEUED = int(os.environ.get("QUEUED", "100000"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
LIMIT = int(os.environ.get("LIMIT", "512"))
NOW = 10_000_000  # every message is due by then; leases run until NOW + 60 s
FILTER = ("(route_hint = '' OR NOT EXISTS (SELECT 1 FROM cluster_leases l "
          "WHERE l.name = 'connector:' || messages.route_hint AND l.owner <> $3 "
          "AND l.until_ms > (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT))")
BEFORE_SQL = ("UPDATE messages m SET status = 1, lease_owner = $3, lease_until_ms = $4, "
              "attempts = m.attempts + 1 FROM (SELECT seq FROM messages WHERE status IN (0, 1) "
              f"AND due_ms <= $1 AND lease_until_ms <= $1 AND {FILTER} ORDER BY due_ms, seq "
              "LIMIT $2 FOR UPDATE SKIP LOCKED) d WHERE m.seq = d.seq RETURNING m.seq")


def arm(terms):
    return ("SELECT seq, due_ms FROM (SELECT seq, due_ms FROM messages WHERE status IN (0, 1) "
            f"AND {terms} AND due_ms <= $1 AND {FILTER} ORDER BY due_ms, seq LIMIT $2 "
            "FOR UPDATE SKIP LOCKED) arm")


AFTER_SQL = ("UPDATE messages m SET status = 1, lease_owner = $3, lease_until_ms = $4, "
             "attempts = m.attempts + 1 FROM (" + arm("lease_until_ms = 0") + " UNION ALL " +
             arm("lease_until_ms > 0 AND lease_until_ms <= $1") +
             " ORDER BY due_ms, seq LIMIT $2) d WHERE m.seq = d.seq RETURNING m.seq")


def psql(pg_dir, port, db, sql):
    r = subprocess.run([f"{PG_BIN}/psql", "-h", pg_dir, "-p", str(port), "-U", "postgres", "-d",
                        db, "-qAt", "-v", "ON_ERROR_STOP=1"], input=sql, check=True,
                       capture_output=True, text=True)
    return r.stdout


def fill(pg_dir, port, db, leased):
    psql(pg_dir, port, db, f"""
TRUNCATE messages CASCADE;
INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, flash, speed,
  parts, cost_units, charged_units, status, unique_id, stat_id, source, dlr_url, queued_ms,
  due_ms, attempts, lease_owner, lease_until_ms)
SELECT g, 'id' || g, (SELECT MIN(id) FROM accounts), '+48500000000', 'Test', 0, 'hello', 0, 0,
  0, 1, 1, 1, 1, '', 0, 'http', '', g, g,
  CASE WHEN g <= {leased} THEN 1 ELSE 0 END, CASE WHEN g <= {leased} THEN 'b' ELSE '' END,
  CASE WHEN g <= {leased} THEN {NOW + 60000} ELSE 0 END
FROM generate_series(1, {QUEUED}) g;
VACUUM ANALYZE messages;
""")


def explain(pg_dir, port, db, sql):
    out = psql(pg_dir, port, db, f"""
PREPARE c(bigint, bigint, text, bigint) AS {sql};
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c({NOW}, {LIMIT}, 'a', {NOW + 60000});
ROLLBACK;
""")
    total = float(re.search(r"Execution Time: ([\d.]+) ms", out).group(1))
    lines = out.splitlines()
    i = next(k for k, line in enumerate(lines) if "using messages_claim" in line)
    scan_ms = float(re.search(r"actual time=[\d.]+\.\.([\d.]+)", lines[i]).group(1))
    buffers = 0
    for line in lines[i + 1:]:
        if "->" in line:
            break
        if "Buffers: shared" in line:
            buffers = sum(int(x) for x in re.findall(r"(?:hit|read)=(\d+)", line))
            break
    return total, scan_ms, buffers


def main():
    before_bin, after_bin = ARGS[0], ARGS[1]
    counts = [int(x) for x in (ARGS[2] if len(ARGS) > 2 else "0,10000,95000").split(",")]
    pg_dir, port = start_postgres()
    folders = []
    try:
        dbs = {}
        for name, binary, sql in (("before", before_bin, BEFORE_SQL), ("after", after_bin, AFTER_SQL)):
            db = f"claim_{name}"
            psql(pg_dir, port, "postgres", f"CREATE DATABASE {db} OWNER bramka")
            folder = tempfile.mkdtemp(prefix="bramka-pg-claim-explain-")
            folders.append(folder)
            subprocess.run([binary, "init", folder, "--http-port", "0", "--https-port", "0",
                            "--smpp-port", "0", "--smpp-tls-port", "0", "--demo", "--store",
                            f"postgres://bramka@127.0.0.1:{port}/{db}"], check=True,
                           capture_output=True, timeout=60)
            dbs[name] = (db, sql)
        print(f"== {QUEUED} queued, LIMIT {LIMIT}, {ROUNDS} alternating rounds, load "
              f"{os.getloadavg()[0]:.1f}")
        for leased in counts:
            for db, _ in dbs.values():
                fill(pg_dir, port, db, leased)
            runs = {name: [] for name in dbs}
            for _ in range(ROUNDS):
                for name, (db, sql) in dbs.items():
                    runs[name].append(explain(pg_dir, port, db, sql))
            for name, r in runs.items():
                med = [statistics.median(x[k] for x in r) for k in range(3)]
                print(f"leased {leased:>6}: {name:6} execution {med[0]:7.2f} ms, messages_claim "
                      f"scan {med[1]:6.2f} ms, {med[2]:4.0f} buffers   runs (ms): "
                      f"{[round(x[0], 2) for x in r]}")
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        stop_postgres(pg_dir)


if __name__ == "__main__":
    main()
