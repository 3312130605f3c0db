"""Customer sources in a cluster (issue 13, docs/adr/0023): two `bramka serve` nodes on one
PostgreSQL and one SQL API source (a PostgreSQL database of the customer's, on the same
test server). Only the node holding the role "ingest" polls the FTP and SQL sources:

  * exactly one node holds the role (`bramka_cluster_role_held`), and the other node never
    polls the source (it never reached the customer's database: `bramka_sql_source_up` 0,
    `bramka_sql_rows` 0);
  * every row becomes exactly one message (one `smsid` per row, one message per row in
    bramka's store);
  * the holder is killed with SIGKILL: the other node takes the role within the lease and
    rows inserted afterwards become exactly one message each too.

Skipped when the PostgreSQL binaries are missing. Standard library only."""
import os
import re
import sys
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Bramka, wait_until  # noqa: E402
import sql_peers  # noqa: E402
from test_cluster import HAVE_PG, clone  # noqa: E402

CLUSTER_TOML = """
[cluster]
enabled = true
heartbeat_ms = 300
lease_ms = 3000
"""


def role_held(node):
    with urllib.request.urlopen(node.url("/metrics"), timeout=10) as r:
        text = r.read().decode()
    m = re.search(r'bramka_cluster_role_held\{role="ingest"\} (\S+)', text)
    return m is not None and float(m.group(1)) == 1.0


def rows_handled(node):
    """Rows the node submitted from the source (bramka_sql_rows, 0 when it never polled)."""
    with urllib.request.urlopen(node.url("/metrics"), timeout=10) as r:
        text = r.read().decode()
    return sum(float(v) for v in re.findall(r'(?m)^bramka_sql_rows\{[^}]*outcome="submitted"\} (\S+)', text))


def source_up(node):
    """1 when the node's last poll of the source reached the customer's database, 0 when it
    never polled it."""
    with urllib.request.urlopen(node.url("/metrics"), timeout=10) as r:
        text = r.read().decode()
    m = re.search(r"(?m)^bramka_sql_source_up\{[^}]*\} (\S+)", text)
    return float(m.group(1)) if m else 0.0


@unittest.skipUnless(HAVE_PG, "PostgreSQL binaries missing (scripts/install-deps.sh)")
class ClusterSourcesTest(unittest.TestCase):
    def setUp(self):
        self.pg = sql_peers.Postgres()
        self.addCleanup(self.pg.cleanup)
        self.pg.run("CREATE USER bramka PASSWORD 'cluster-secret'", database="postgres")
        self.pg.run("CREATE DATABASE bramka OWNER bramka", database="postgres")
        os.environ["PGPASSWORD"] = "cluster-secret"
        self.addCleanup(os.environ.pop, "PGPASSWORD", None)
        first = Bramka(init_args=["--store", f"postgres://bramka@127.0.0.1:{self.pg.port}/bramka"],
                       extra_config=CLUSTER_TOML)
        first.admin("account", "topup", "demo", "--eco", "100000")
        first.admin("sql", "create-tables", "--url", self.pg.url("shop"))
        first.admin("sql", "add", "demo", "--url", self.pg.url("shop"), "--interval", "1")
        self.nodes = [first, clone(first)]
        for node in self.nodes:
            self.addCleanup(node.cleanup)
            self.addCleanup(lambda n=node: n.proc and n.stop())
            node.start(timeout=60)

    def insert(self, first, count):
        values = ", ".join(f"('+4850010{n:04d}', '', 'row {n}')" for n in range(first, first + count))
        self.pg.run(f'INSERT INTO "SerwerSMS_MT" (number, sender, message) VALUES {values}',
                    database="shop")

    def wait_all_taken(self, total):
        def taken():
            return self.pg.value("SELECT COUNT(*) FROM \"SerwerSMS_MT\" "
                                 "WHERE COALESCE(smsid, '') <> ''", database="shop") == str(total)
        wait_until(taken, 60, 0.2, f"{total} rows to get their smsid")
        smsids = self.pg.value("SELECT COUNT(DISTINCT smsid) FROM \"SerwerSMS_MT\" "
                               "WHERE COALESCE(smsid, '') <> ''", database="shop")
        self.assertEqual(smsids, str(total), "one message per row")
        messages = self.pg.value("SELECT COUNT(*) FROM messages", database="bramka")
        self.assertEqual(messages, str(total), "no row submitted twice")

    def test_one_node_polls_the_sources_and_another_takes_over(self):
        wait_until(lambda: sum(role_held(n) for n in self.nodes) == 1, 30, 0.2,
                   "one node to hold the role ingest")
        holder = next(n for n in self.nodes if role_held(n))
        other = next(n for n in self.nodes if n is not holder)

        for first in range(1, 41, 10):  # in four inserts, so that any polling node sees some
            self.insert(first, 10)
        self.wait_all_taken(40)
        self.assertEqual(source_up(holder), 1.0)
        self.assertEqual(source_up(other), 0.0, "the node without the role polled the source")
        self.assertEqual(rows_handled(holder), 40)
        self.assertEqual(rows_handled(other), 0, "the node without the role polled the source")
        self.assertFalse(role_held(other))

        holder.kill9()
        wait_until(lambda: role_held(other), 30, 0.2, "the surviving node to take the role")
        self.insert(41, 40)
        self.wait_all_taken(80)
        self.assertEqual(rows_handled(other), 40)


if __name__ == "__main__":
    unittest.main()
