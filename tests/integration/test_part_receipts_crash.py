"""Receipts of the parts of a long message survive a kill -9 (issue 12, docs/adr/0028).

`bramka serve` sends two 3-part messages through an SMPP connector to `bramka smsc
--misbehave hold_last_part --misbehave last_part_fails`: the receipts of parts 1 and 2
come at once and are acknowledged; the last part's receipt is held by the SMSC until the
ESME binds again. The serve is killed with SIGKILL after those four receipts were
acknowledged, restarted, binds, and gets the last parts' receipts. The message to a
normal number must end `delivered`, the one to a `1xx` test number (its last part
undelivered) `undelivered` with `wrong_number`, as messages/reports shows them.

Before the part ids were stored, parts 1 and 2 were acknowledged from an in-memory map
lost with the process, and the last part's id meant nothing after the restart: both
messages stayed `sent`.

The same on a PostgreSQL store (message_parts of PostgreSQL migration 4), skipped when the
PostgreSQL binaries are missing.

BRAMKA_SMSC_BIN (default: BRAMKA_BIN) runs the simulator from another build, so that the
serve of an older build can be checked against the same SMSC."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402
import sql_peers  # noqa: E402

SMSC_BIN = os.environ.get("BRAMKA_SMSC_BIN", BIN)
HAVE_PG = os.path.exists(os.path.join(sql_peers.PG_BIN, "initdb"))
FINAL = ("delivered", "undelivered", "unsent")
LONG_TEXT = "Part receipts must survive a crash. " * 11  # 396 GSM-7 characters: 3 parts


class PartReceiptsCrashTest(unittest.TestCase):
    init_args = ()  # the store: SQLite by default

    def setUp(self):
        self.smsc = Smsc(SMSC_BIN, "hold_last_part", "last_part_fails", receipt_delay_ms=50)
        self.b = Bramka(extra_config=connector_toml("smsc-a", self.smsc.port) +
                        route_toml(["smsc-a"]), init_args=self.init_args)

    def tearDown(self):
        log = self.b.read_log()
        code = self.b.stop() if self.b.proc else 0
        self.smsc.stop()
        self.b.cleanup()
        self.assertEqual(code, 0, f"bramka serve exited {code} on SIGTERM:\n{log}")

    def bound(self):
        status, _, body = self.b.raw("/metrics", method="GET")
        return status == 200 and 'bramka_connector_bound{connector="smsc-a"} 1' in body.decode()

    def reports(self, ids):
        r = self.b.api("messages/reports", {"id": ids})
        return {item["id"]: item for item in r.get("items", [])}

    def acks(self, status=0):
        with self.smsc._lock:
            return [e["id"] for e in self.smsc.events
                    if e.get("event") == "receipt_ack" and e.get("status") == status]

    def test_parts_acknowledged_before_a_kill_decide_after_the_restart(self):
        self.b.start()
        wait_until(self.bound, 20, 0.05, "smsc-a to bind")
        r = self.b.api("messages/send_sms", {"phone": ["500600700", "+48600000101"],
                                             "text": LONG_TEXT, "details": True})
        self.assertIn("items", r, r)
        ids = [item["id"] for item in r["items"]]
        self.assertEqual([item["parts"] for item in r["items"]], [3, 3], r)

        # Parts 1 and 2 of both messages: receipts sent and acknowledged (ESME_ROK).
        wait_until(lambda: self.smsc.count("submit") >= 6 and len(self.acks()) >= 4, 30, 0.05,
                   "four part receipts to be acknowledged")
        self.assertEqual(self.smsc.count("submit"), 6)
        self.assertEqual(self.smsc.count("receipt"), 4, "the last parts' receipts are held")
        before = self.reports(ids)
        self.assertEqual({v["status"] for v in before.values()}, {"sent"}, before)

        self.b.kill9()
        self.b.start()
        wait_until(self.bound, 20, 0.05, "smsc-a to bind again")
        wait_until(lambda: len(self.acks()) >= 6, 30, 0.05, "the last parts' receipts acknowledged")

        def final():
            rep = self.reports(ids)
            return len(rep) == 2 and all(v["status"] in FINAL for v in rep.values()) and rep
        try:
            rep = wait_until(final, 30, 0.1, "both long messages to reach a final status")
        except AssertionError as e:
            raise AssertionError(f"{e}: {self.reports(ids)}\nserve log:\n{self.b.read_log()}")
        self.assertEqual(rep[ids[0]]["status"], "delivered", rep)
        self.assertEqual(rep[ids[1]]["status"], "undelivered", rep)
        self.assertEqual(rep[ids[1]].get("reason"), "wrong_number", rep)
        # Nothing went to the SMSC twice, and each part's receipt was acknowledged once.
        self.assertEqual(self.smsc.count("submit"), 6)
        self.assertEqual(sorted(self.acks()), sorted(set(self.acks())), self.acks())


@unittest.skipUnless(HAVE_PG, "PostgreSQL binaries missing (scripts/install-deps.sh)")
class PartReceiptsCrashPostgresTest(PartReceiptsCrashTest):
    @classmethod
    def setUpClass(cls):
        cls.pg = sql_peers.Postgres()
        cls.pg.run("CREATE USER bramka PASSWORD 'parts-secret'", database="postgres")
        cls.pg.run("CREATE DATABASE bramka OWNER bramka", database="postgres")
        os.environ["PGPASSWORD"] = "parts-secret"  # libpq reads it; never in bramka.toml
        cls.init_args = ["--store", f"postgres://bramka@127.0.0.1:{cls.pg.port}/bramka"]

    @classmethod
    def tearDownClass(cls):
        cls.pg.cleanup()
        os.environ.pop("PGPASSWORD", None)


if __name__ == "__main__":
    unittest.main()
