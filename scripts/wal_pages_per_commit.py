#!/usr/bin/env python3
"""Which B-trees' pages each commit writes to the WAL: per one-recipient accept and per
delivery write (docs/performance/session14-rowwrite.md).

Usage: scripts/wal_pages_per_commit.py BIN N
Starts a serve with the `bramka smsc` simulator (receipts at once), sends N one-recipient
send_sms one after another, 50 ms apart (each accept its own commit, each delivery write its
own), copies the database and its WAL, reads the frames of the WAL's last generation (the
checkpointer restarts the WAL now and then: the commits before that are not seen), maps each
page to its table or index with `dbstat`, and prints pages per commit by kind (an accept
writes `ledger`; a delivery write `messages_upstream`). Stdlib only (Python's sqlite3 with
the dbstat table). Run it under `flock /tmp/bramka-bench.lock`."""
import collections, os, shutil, sqlite3, struct, sys, tempfile, time
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "support"))
BIN, N = sys.argv[1], int(sys.argv[2])
os.environ["BRAMKA_BIN"] = BIN
import harness
harness.BIN = BIN
from harness import Bramka, wait_until
from smsc import Smsc, connector_toml, route_toml
smsc = Smsc(BIN, receipt_delay_ms=0, quiet=True)
b = Bramka(extra_config=connector_toml("smsc", smsc.port, window=100) + route_toml(["smsc"]))
out = tempfile.mkdtemp(prefix="bramka-walpages-")
try:
    b.admin("account", "topup", "demo", "--eco", "100000")
    b.start()
    wait_until(lambda: 'bramka_connector_bound{connector="smsc"} 1' in b.raw("/metrics", method="GET")[2].decode(), 30, 0.05, "bind")
    for i in range(5):  # warm: first-time pages
        b.api("messages/send_sms", {"phone": "+4850000%04d" % i, "text": "bench message"})
    time.sleep(0.5)
    datadir = os.path.join(b.dir, "data")
    db = [f for f in os.listdir(datadir) if f.endswith(".db")][0]
    wal0 = os.path.getsize(os.path.join(datadir, db + "-wal"))
    for i in range(N):
        r = b.api("messages/send_sms", {"phone": "+4851%07d" % i, "text": "bench message"})
        time.sleep(0.05)
    time.sleep(0.5)
    for f in os.listdir(datadir):
        if f.startswith(db):
            shutil.copy(os.path.join(datadir, f), out)
finally:
    b.stop(); b.cleanup(); smsc.stop()

walp = os.path.join(out, db + "-wal")
data = open(walp, "rb").read()
magic, ver, psz, ckpt, s1, s2, c1, c2 = struct.unpack(">IIIIIIII", data[:32])
frames = []
off = 32
while off + 24 + psz <= len(data):
    pg, commit, fs1, fs2 = struct.unpack(">IIII", data[off:off + 16])
    if (fs1, fs2) != (s1, s2):
        break
    frames.append((pg, commit))
    off += 24 + psz
print(f"page_size {psz}, frames {len(frames)}")
# page -> btree
con = sqlite3.connect(os.path.join(out, db))
names = {}
for name, pageno in con.execute("SELECT name, pageno FROM dbstat"):
    names[pageno] = name
commits = []
cur = []
for pg, commit in frames:
    cur.append(pg)
    if commit:
        commits.append(cur); cur = []
kinds = collections.Counter()
pages_by = collections.defaultdict(collections.Counter)
sizes = collections.defaultdict(list)
for c in commits:
    objs = [names.get(p, f"?{p}") for p in c]
    kind = "accept" if "ledger" in objs or "api_tokens" in objs else ("delivery" if "messages_upstream" in objs else "other")
    kinds[kind] += 1
    sizes[kind].append(len(c))
    for o in objs:
        pages_by[kind][o] += 1
for kind in kinds:
    n = kinds[kind]
    print(f"== {kind}: {n} commits, pages per commit mean {sum(sizes[kind])/n:.1f} (min {min(sizes[kind])}, max {max(sizes[kind])})")
    for o, k in pages_by[kind].most_common():
        print(f"   {o:28s} {k/n:.2f}")
shutil.rmtree(out, ignore_errors=True)
