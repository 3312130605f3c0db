#!/usr/bin/python3
"""SQLite vs PostgreSQL store, side by side (docs/performance/sessions1-3.md, "PostgreSQL
store vs SQLite"; docs/adr/0022).

Starts a PostgreSQL 15 with its durable defaults (fsync, synchronous_commit on; a temp
dir, loopback TCP), inits two demo folders (one per store), then alternates ROUNDS times:
serve on SQLite, `bramka bench http` (send_sms, 1 recipient/request, keep-alive), stop;
the same on PostgreSQL. Then one send_sms with 10,000 recipients on each, REPEAT times.
Prints medians, and per round the requests per CPU-second of the serve plus PostgreSQL (every
process of the server, backends included; /proc) during the bench (ONLY=postgres or
ONLY=sqlite: one store). Usage: BRAMKA_BIN=build/release/src/app/bramka
scripts/bench_pgstore.py [SECONDS] [CONNECTIONS]. Not a test: never run by `make test`."""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import BIN, Bramka, free_port, wait_until  # noqa: E402

PG_BIN = "/usr/lib/postgresql/15/bin"
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 10
CONNS = int(sys.argv[2]) if len(sys.argv) > 2 else 32
ROUNDS = int(os.environ.get("ROUNDS", "3"))
REPEAT = int(os.environ.get("REPEAT", "5"))


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=False):
    """utime + stime of a live process (with children: + those of its reaped children)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def pg_cpu_seconds(pg_dir):
    """CPU seconds of the PostgreSQL server so far: the postmaster, its live processes
    (backends, checkpointer, WAL writer...) and those that exited."""
    with open(f"{pg_dir}/data/postmaster.pid") as f:
        postmaster = int(f.readline())
    total = cpu_seconds(postmaster, children=True)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / TICK
        except (OSError, IndexError, ValueError):
            pass  # gone meanwhile: its time is in the postmaster's children figure
    return total


def as_postgres(args, **kw):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, check=True, capture_output=True, text=True, **kw)


def start_postgres():
    d = tempfile.mkdtemp(prefix="bramka-pgbench-")
    os.chmod(d, 0o755)
    if os.geteuid() == 0:
        shutil.chown(d, "postgres")
    port = free_port()
    as_postgres([f"{PG_BIN}/initdb", "-D", f"{d}/data", "-U", "postgres", "--auth-local=trust",
                 "--auth-host=scram-sha-256"])
    as_postgres([f"{PG_BIN}/pg_ctl", "-D", f"{d}/data", "-w", "-l", f"{d}/log", "-o",
                 f"-p {port} -k {d} -c listen_addresses=127.0.0.1 -c max_connections=100", "start"])
    psql = [f"{PG_BIN}/psql", "-h", d, "-p", str(port), "-U", "postgres", "-qAt", "-c"]
    subprocess.run(psql + ["CREATE USER bramka PASSWORD 'bench'"], check=True)
    subprocess.run(psql + ["CREATE DATABASE bramka OWNER bramka"], check=True)
    os.environ["PGPASSWORD"] = "bench"
    return d, port


def stop_postgres(d):
    as_postgres([f"{PG_BIN}/pg_ctl", "-D", f"{d}/data", "-w", "-m", "fast", "stop"])
    shutil.rmtree(d, ignore_errors=True)


def prepare(b):
    with open(b.config) as f:
        text = f.read().replace('log_level = "info"', 'log_level = "warn"')
    # PG_CONNECTIONS: [store] connections of the PostgreSQL node (default 8).
    text = text.replace("connections = 8 ", f"connections = {os.environ.get('PG_CONNECTIONS', '8')} ")
    with open(b.config, "w") as f:
        f.write(text)
    b.admin("account", "topup", "demo", "--eco", "100000000")


def bench_http(b):
    r = subprocess.run([BIN, "bench", "http", "--config", b.config, "--duration", str(SECONDS),
                        "--connections", str(CONNS), "--json"], capture_output=True, text=True,
                       check=True, timeout=SECONDS + 120)
    return json.loads(r.stdout)


def bulk(b):
    body = json.dumps({"phone": [f"+4850{i:07d}" for i in range(10000)], "text": "bulk"}).encode()
    req = urllib.request.Request(b.url("/messages/send_sms"), data=body, headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + b.token})
    t = time.monotonic()
    with urllib.request.urlopen(req, timeout=120) as r:
        answer = json.loads(r.read())
    assert answer.get("queued") == 10000, str(answer)[:300]
    return time.monotonic() - t


def main():
    pg_dir, pg_port = start_postgres()
    only = os.environ.get("ONLY")  # "postgres" or "sqlite": one store
    stores = {"sqlite": Bramka(), "postgres": Bramka(init_args=[
        "--store", f"postgres://bramka@127.0.0.1:{pg_port}/bramka"])}
    if only:
        stores = {only: stores[only]}
    try:
        for b in stores.values():
            prepare(b)
        results = {name: [] for name in stores}
        per_cpu = {name: [] for name in stores}
        for _ in range(ROUNDS):
            for name, b in stores.items():
                b.start(timeout=60)
                cpu0 = cpu_seconds(b.proc.pid) + pg_cpu_seconds(pg_dir)
                results[name].append(bench_http(b))
                cpu = cpu_seconds(b.proc.pid) + pg_cpu_seconds(pg_dir) - cpu0
                per_cpu[name].append(results[name][-1].get("ok", 0) / max(cpu, 1e-9))
                b.stop(timeout=120)
        bulks = {name: [] for name in stores}
        for name, b in stores.items():
            b.start(timeout=60)
            bulks[name] = [bulk(b) for _ in range(REPEAT)]
            b.stop(timeout=300)
        load = os.getloadavg()[0]
        print(f"== {time.strftime('%F', time.gmtime())}, load {load:.1f}, "
              f"{SECONDS:.0f}s x {ROUNDS} alternating rounds, {CONNS} connections")
        for name in stores:
            rates = [r.get("requests_per_s") or r.get("rate") or r.get("accepted_per_s") for r in results[name]]
            med = sorted(results[name], key=lambda r: json.dumps(r))
            print(name, "send_sms req/s:", rates, "raw:", json.dumps(results[name][len(med) // 2])[:400])
            print(name, f"send_sms per CPU-second of the serve + PostgreSQL: median "
                  f"{statistics.median(per_cpu[name]):.0f}", [round(x) for x in per_cpu[name]])
            print(name, f"bulk 10,000 recipients: median {statistics.median(bulks[name]) * 1000:.0f} ms",
                  [round(x * 1000) for x in bulks[name]])
    finally:
        for b in stores.values():
            b.cleanup()
        stop_postgres(pg_dir)


if __name__ == "__main__":
    main()
