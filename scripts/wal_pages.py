#!/usr/bin/env python3
"""Which b-trees a workload's WAL frames belong to (docs/performance/session8.md "Session 8:
pages").

Runs `bramka bench smpp --binds 8 --window 64 --rate RATE --duration SECS` (the smpp8_rate
set-up of scripts/bench_smpp.py: fresh `init --demo`, simnet delivering on the same cores)
while a read transaction of this script holds the WAL (so the writer's checkpoints cannot
start it over and it keeps every frame of the run; any bramka binary), copies the database
and its WAL while the serve runs, and reads the copy:

- per commit: its frames (one per distinct page the transaction changed);
- per b-tree (table or index, from SQLite's dbstat of the copy): frames in the WAL, and
  the distinct pages of it per window of WINDOW frames (what one checkpoint at that
  threshold would copy);
- per message accepted during the run: frames per b-tree;
- the messages table's row size (payload per cell) and overflow pages.

Usage: BRAMKA_BIN=... RATE=20000 SECS=6 WINDOW=1000 python3 scripts/wal_pages.py
"""
import collections
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_smpp  # noqa: E402

RATE = os.environ.get("RATE", "20000")
SECS = os.environ.get("SECS", "6")
WINDOWS = [int(w) for w in os.environ.get("WINDOW", "1000,4000,16000").split(",")]


def read_wal(path):
    """[(pgno, commit)] of the WAL's current generation, in order."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 32:
        return [], 0
    page_size = struct.unpack(">I", data[8:12])[0]
    salt = data[16:24]
    frames, off = [], 32
    while off + 24 + page_size <= len(data):
        pgno, commit = struct.unpack(">II", data[off:off + 8])
        if data[off + 8:off + 16] != salt:
            break
        frames.append((pgno, commit))
        off += 24 + page_size
    return frames, page_size


def owners(db):
    """{pgno: b-tree name} from dbstat (overflow pages count for their table)."""
    c = sqlite3.connect(db)
    out = {pg: name for name, pg in c.execute("SELECT name, pageno FROM dbstat")}
    rows = c.execute(
        "SELECT name, count(*), sum(ncell), sum(payload), sum(unused), "
        "sum(pagetype = 'overflow') FROM dbstat WHERE name IN ('messages', 'smpp_outbox') "
        "GROUP BY name").fetchall()
    statuses = c.execute("SELECT status, count(*) FROM messages GROUP BY status").fetchall()
    c.close()
    return out, rows, statuses


def main():
    d, cfg, proc = bench_smpp.serve()
    snap = tempfile.mkdtemp(prefix="bramka-walpages-")
    data = os.path.join(d, "data")
    db = [f for f in os.listdir(data) if f.endswith(".db")][0]
    # A reader's snapshot: a checkpoint copies frames up to it, and the WAL cannot start
    # over while it is held, so every frame written from now on stays in the file.
    hold = sqlite3.connect(os.path.join(data, db), isolation_level=None)
    hold.execute("BEGIN")
    hold.execute("SELECT count(*) FROM sqlite_schema").fetchall()
    try:
        args = [bench_smpp.BIN, "bench", "smpp", *bench_smpp.SMPP_USER, "--binds", "8",
                "--window", "64", "--duration", SECS, "--rate", RATE, "--config", cfg, "--json"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=600)
        time.sleep(1.0)  # let delivery catch up a little (receipts); the WAL keeps all
        for suffix in ("", "-wal"):
            shutil.copy(os.path.join(data, db + suffix), os.path.join(snap, db + suffix))
    finally:
        hold.execute("COMMIT")
        hold.close()
        bench_smpp.stop(d, proc)
    frames, page_size = read_wal(os.path.join(snap, db + "-wal"))
    pages, rows, statuses = owners(os.path.join(snap, db))
    msgs = sum(n for _, n in statuses)
    print(f"bench: {r.stdout.strip()[:300]}")
    print(f"page size {page_size}; {len(frames)} frames; messages {msgs} by status {statuses}")
    for name, npages, ncell, payload, unused, overflow in rows:
        print(f"  {name}: {npages} pages, {ncell} cells, payload {payload / max(ncell, 1):.0f} "
              f"bytes/cell, unused {unused / max(npages, 1):.0f} bytes/page, {overflow} overflow")
    commits = [i for i, (_, c) in enumerate(frames) if c]
    sizes, prev = [], -1
    for i in commits:
        sizes.append(i - prev)
        prev = i
    sizes.sort()
    if sizes:
        q = lambda p: sizes[min(len(sizes) - 1, int(p * len(sizes)))]  # noqa: E731
        print(f"commits {len(sizes)}: frames per commit mean {sum(sizes) / len(sizes):.1f}, "
              f"p50 {q(0.5)}, p90 {q(0.9)}, p99 {q(0.99)}, max {sizes[-1]}; "
              f"frames per message {len(frames) / max(msgs, 1):.2f}")
    per = collections.Counter(pages.get(pg, "?free/new") for pg, _ in frames)
    print(f"{'b-tree':28} {'frames':>8} {'/msg':>6} {'/commit':>8}" +
          "".join(f" {'uniq/' + str(w):>11}" for w in WINDOWS))
    uniq = {}
    for w in WINDOWS:
        cnt = collections.Counter()
        for s in range(0, len(frames), w):
            chunk = {pg for pg, _ in frames[s:s + w]}
            for pg in chunk:
                cnt[pages.get(pg, "?free/new")] += 1
        uniq[w] = (cnt, max(1, len(frames) // w))
    for name, n in per.most_common():
        line = f"{name:28} {n:8} {n / max(msgs, 1):6.2f} {n / max(len(sizes), 1):8.2f}"
        for w in WINDOWS:
            cnt, nw = uniq[w]
            line += f" {cnt[name] / nw:11.1f}"
        print(line)
    for w in WINDOWS:
        cnt, nw = uniq[w]
        print(f"window {w}: {sum(cnt.values()) / nw:.0f} distinct pages per window "
              f"({sum(cnt.values()) / nw / w:.2f} per frame)")
    shutil.rmtree(snap, ignore_errors=True)


if __name__ == "__main__":
    main()
