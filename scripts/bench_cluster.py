#!/usr/bin/python3
"""Throughput of 1, 2 and 3 `bramka serve` nodes on one PostgreSQL
(docs/performance/sessions1-3.md, "Cluster"; docs/adr/0023).

Starts a PostgreSQL 15 with its durable defaults (fsync, synchronous_commit on; a temp dir,
loopback TCP) and one `bramka smsc` (receipts after 50 ms). For each round and each node
count N: a fresh database, `bramka init --store` plus N-1 copies of the folder, [cluster]
enabled, simnet off, three [[connector]]s to the SMSC (window 100, no tps limit) routed
round robin; the nodes start and spread the binds; then `bramka bench http` runs against
every node at once for SECONDS (CONNECTIONS split over the nodes, send_sms with one
recipient per request) and the script waits until every accepted message is delivered.
Prints, per N, the medians over ROUNDS of:
  accept/s    requests answered per second, summed over the nodes;
  deliver/s   accepted messages / (bench start -> last one delivered): end to end, through
              the SMSC binds and back with the receipts;
  per CPU-s   the same messages per CPU-second of the nodes plus PostgreSQL (every process
              of the server; /proc) over that time: the figure to compare on a loaded machine.
With TPS=N every connector gets `tps = N` and the script also prints the SMSC's busiest
second and its mean submit rate: the cluster's limit is connectors x N whatever the number
of nodes (one bind per connector), where nodes binding every connector would send
nodes x connectors x N.
Usage: BRAMKA_BIN=build/release/src/app/bramka scripts/bench_cluster.py [SECONDS]
[CONNECTIONS]  (ROUNDS=3, NODES=1,2,3, TPS=0). Not a test: never run by `make test`."""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from test_cluster import clone, metric  # noqa: E402
sys.path.insert(0, HERE)
from bench_pgstore import (PG_BIN, cpu_seconds, pg_cpu_seconds, start_postgres,  # noqa: E402
                          stop_postgres)

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 10
CONNS = int(sys.argv[2]) if len(sys.argv) > 2 else 48
ROUNDS = int(os.environ.get("ROUNDS", "3"))
NODES = [int(n) for n in os.environ.get("NODES", "1,2,3").split(",")]
TPS = int(os.environ.get("TPS", "0"))
CONNECTORS = ("c1", "c2", "c3")


def psql(pg_dir, pg_port, sql, db="postgres"):
    r = subprocess.run([f"{PG_BIN}/psql", "-h", pg_dir, "-p", str(pg_port), "-U", "postgres",
                        "-d", db, "-qAt", "-c", sql], check=True, capture_output=True, text=True)
    return r.stdout.strip()


SUBMITS = []  # monotonic time of each submit the SMSC reported (TPS runs)


def start_smsc():
    quiet = [] if TPS else ["--quiet"]
    proc = subprocess.Popen([BIN, "smsc", "--port", "0", "--receipt-delay-ms", "50", *quiet],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = json.loads(proc.stdout.readline())["port"]

    def read():
        for line in proc.stdout:
            if '"event":"submit"' in line:
                SUBMITS.append(time.monotonic())
    if TPS:
        threading.Thread(target=read, daemon=True).start()
    return proc, port


def submit_rates(t0, t1):
    """(busiest second, mean per second) of the SMSC's submits between t0 and t1."""
    seconds = {}
    for t in SUBMITS:
        if t0 <= t < t1:
            seconds[int(t - t0)] = seconds.get(int(t - t0), 0) + 1
    if not seconds:
        return 0, 0
    return max(seconds.values()), sum(seconds.values()) / max(1, t1 - t0)


def make_nodes(n, url, smsc_port):
    extra = ""
    for c in CONNECTORS:
        extra += (f'\n[[connector]]\nname = "{c}"\nhost = "127.0.0.1"\nport = {smsc_port}\n'
                  f'system_id = "{c}"\npassword = "pw"\nwindow = 100\nmax_queue = 100000\n'
                  f"tps = {TPS}\n")
    extra += ('\n[[route]]\nconnectors = [' + ", ".join(f'"{c}"' for c in CONNECTORS)
              + ']\nround_robin = true\n\n[cluster]\nenabled = true\n')
    first = Bramka(init_args=["--store", url], extra_config=extra)
    with open(first.config) as f:
        text = f.read().replace('log_level = "info"', 'log_level = "warn"')
    text = re.sub(r"(?m)^enabled = true\n(?=submit_delay_ms)", "enabled = false\n", text)
    with open(first.config, "w") as f:
        f.write(text)
    first.admin("account", "topup", "demo", "--eco", "100000000")
    return [first] + [clone(first) for _ in range(n - 1)]


def run(n, round_no, pg_dir, pg_port, smsc_port):
    db = f"bramka_{round_no}_{n}"
    psql(pg_dir, pg_port, f"CREATE DATABASE {db} OWNER bramka")
    nodes = make_nodes(n, f"postgres://bramka@127.0.0.1:{pg_port}/{db}", smsc_port)
    try:
        for node in nodes:
            node.start(timeout=60)
        wait_until(lambda: sum(metric(node, "bramka_cluster_connector_owned",
                                      f'connector="{c}"') or 0
                               for node in nodes for c in CONNECTORS) == len(CONNECTORS)
                   and all(any(metric(node, "bramka_cluster_connector_owned",
                                      f'connector="{c}"') == 1 for c in CONNECTORS)
                           for node in nodes[:len(CONNECTORS)]),
                   60, 0.2, "the connectors spread over the nodes")
        def cpu():
            return sum(cpu_seconds(node.proc.pid) for node in nodes) + pg_cpu_seconds(pg_dir)
        cpu0 = cpu()
        t0 = time.monotonic()
        benches = [subprocess.Popen([BIN, "bench", "http", "--config", node.config, "--duration",
                                     str(SECONDS), "--connections", str(max(1, CONNS // n)),
                                     "--json"], stdout=subprocess.PIPE, text=True)
                   for node in nodes]
        results = [json.loads(b.communicate(timeout=SECONDS + 120)[0]) for b in benches]
        accepted = sum(r["ok"] for r in results)
        accept_rate = sum(r["requests_per_s"] for r in results)
        wait_until(lambda: psql(pg_dir, pg_port, "SELECT COUNT(*) FROM messages WHERE status "
                                "NOT IN (3, 4, 5)", db) == "0", 600, 0.1, "all delivered")
        t1 = time.monotonic()
        deliver_rate = accepted / (t1 - t0)
        per_cpu = accepted / max(cpu() - cpu0, 1e-9)
        busiest, mean = submit_rates(t0, t1)
        per_node = psql(pg_dir, pg_port, "SELECT connector, COUNT(*) FROM messages GROUP BY 1 "
                        "ORDER BY 1", db).replace("\n", ", ")
        return accept_rate, deliver_rate, accepted, per_node, busiest, mean, per_cpu
    finally:
        for node in nodes:
            node.cleanup()


def main():
    pg_dir, pg_port = start_postgres()
    smsc, smsc_port = start_smsc()
    figures = {n: [] for n in NODES}
    try:
        for round_no in range(ROUNDS):
            for n in NODES:
                figures[n].append(run(n, round_no, pg_dir, pg_port, smsc_port))
                print(n, "nodes:", figures[n][-1], file=sys.stderr)
        load = os.getloadavg()[0]
        print(f"== {time.strftime('%F', time.gmtime())}, load {load:.1f}, {os.cpu_count()} cores, "
              f"{SECONDS:.0f}s x {ROUNDS} rounds, {CONNS} connections over the nodes")
        for n in NODES:
            accept = statistics.median(f[0] for f in figures[n])
            deliver = statistics.median(f[1] for f in figures[n])
            per_cpu = statistics.median(f[6] for f in figures[n])
            print(f"{n} node(s): accept {accept:.0f} req/s, delivered end to end {deliver:.0f} msg/s"
                  f", {per_cpu:.0f} msg/CPU-s (nodes + PostgreSQL)"
                  f"  runs: {[(round(f[0]), round(f[1]), round(f[6])) for f in figures[n]]}"
                  f"  by connector: {figures[n][-1][3]}")
            if TPS:
                print(f"   SMSC submits with tps = {TPS} x {len(CONNECTORS)} connectors: busiest "
                      f"second {max(f[4] for f in figures[n])}/s, mean "
                      f"{statistics.median(f[5] for f in figures[n]):.0f}/s")
    finally:
        smsc.terminate()
        smsc.wait(timeout=10)
        stop_postgres(pg_dir)


if __name__ == "__main__":
    main()
