"""bramka on PostgreSQL (issue 13, docs/adr/0022): `bramka init --store postgres://...`
creates the schema, `bramka serve` sends through simnet with reports, the data is in
PostgreSQL and survives a restart (and a SIGKILL), accounts stay isolated, and a bad
URL or an unreachable server is refused with a clear message.

A real PostgreSQL 15 is started by the test (sql_peers.Postgres: initdb in a temp dir,
loopback TCP with a password). Skipped when the PostgreSQL binaries are missing."""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Bramka, wait_until  # noqa: E402
import sql_peers  # noqa: E402

HAVE_PG = os.path.exists(os.path.join(sql_peers.PG_BIN, "initdb"))


@unittest.skipUnless(HAVE_PG, "PostgreSQL binaries missing (scripts/install-deps.sh)")
class PostgresStoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = sql_peers.Postgres()
        cls.pg.run("CREATE USER bramka PASSWORD 'store-secret'", database="postgres")
        cls.pg.run("CREATE DATABASE bramka OWNER bramka", database="postgres")
        # The password never goes into bramka.toml: libpq reads PGPASSWORD.
        os.environ["PGPASSWORD"] = "store-secret"
        cls.url = f"postgres://bramka@127.0.0.1:{cls.pg.port}/bramka"
        cls.b = Bramka(init_args=["--store", cls.url])
        with open(cls.b.config) as f:
            text = f.read().replace("receipt_delay_ms = 500", "receipt_delay_ms = 50")
        with open(cls.b.config, "w") as f:
            f.write(text)
        cls.b.start()
        cls.b.admin("account", "add", "beta", "--password", "beta-pass", "--eco", "100")
        cls.beta = cls.b.admin("token", "add", "beta").stdout.strip()

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.b.proc:
                code = cls.b.stop()
                assert code == 0, f"bramka serve exited {code} on SIGTERM:\n{cls.b.read_log()}"
        finally:
            cls.b.cleanup()
            cls.pg.cleanup()
            os.environ.pop("PGPASSWORD", None)

    def sql(self, query):
        return self.pg.run(query, database="bramka").strip()

    def report(self, message_id, token="demo"):
        r = self.b.api("messages/reports", {"id": [message_id]}, token=token)
        return r["items"][0] if r["items"] else None

    def wait_status(self, message_id, status, timeout=20):
        return wait_until(lambda: (self.report(message_id) or {}).get("status") == status
                          and self.report(message_id), timeout, 0.05,
                          f"message {message_id} to become {status}")

    def test_config_names_postgres_without_the_password(self):
        with open(self.b.config) as f:
            text = f.read()
        self.assertIn('engine = "postgres"', text)
        self.assertIn(self.url, text)
        self.assertNotIn("store-secret", text)
        self.assertFalse(os.path.exists(os.path.join(self.b.dir, "data", "bramka.db")))
        # `bramka admin status` names the PostgreSQL schema the database is at.
        status = self.b.admin("status", check=False).stdout
        m = re.search(r"store schema (\d+) \(PostgreSQL\)", status)
        self.assertIsNotNone(m, status)
        self.assertEqual(self.sql("SELECT MAX(version) FROM schema_version"), m.group(1))

    def test_send_json_and_form_are_delivered_with_reports(self):
        r = self.b.api("messages/send_sms", {"phone": ["500600700", "+48600700800", "500600701"],
                                              "text": "z PostgreSQL", "details": True})
        self.assertEqual(r["queued"], 3, r)
        ids = [item["id"] for item in r["items"]]
        f = self.b.api("messages/send_sms", {"phone": ["500600702"], "text": "form", "details": True},
                       form=True)
        self.assertEqual(f["queued"], 1, f)
        ids.append(f["items"][0]["id"])
        for message_id in ids:
            done = self.wait_status(message_id, "delivered")
            self.assertRegex(done["delivered"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        # The rows are PostgreSQL's: status 3 = delivered, the charge in the ledger.
        seqs = self.sql("SELECT COUNT(*) FROM messages WHERE status = 3 AND id IN (%s)"
                        % ",".join(f"'{i}'" for i in ids))
        self.assertEqual(seqs, "4")
        # Each message names its request's accept row of the ledger with its share
        # (docs/adr/0036), and every such row is the sum of its shares.
        self.assertEqual(self.sql("SELECT COUNT(*) FROM messages m JOIN ledger l ON l.id = m.accept_ledger "
                                  "WHERE l.note = 'accept' AND m.accept_units = 1 AND m.id IN (%s)"
                                  % ",".join(f"'{i}'" for i in ids)), "4")
        self.assertEqual(self.sql("SELECT COUNT(*) FROM ledger l WHERE note = 'accept' AND message_seq IS NULL "
                                  "AND delta <> -(SELECT COALESCE(SUM(accept_units), 0) FROM messages m "
                                  "WHERE m.accept_ledger = l.id)"), "0")

    def test_unique_id_duplicate_and_bad_input(self):
        first = self.b.api("messages/send_sms", {"phone": "500600710", "text": "u", "unique_id": "pgu1",
                                                  "details": True})
        again = self.b.api("messages/send_sms", {"phone": "500600710", "text": "u", "unique_id": "pgu1",
                                                  "details": True})
        self.assertEqual(again["items"][0]["id"], first["items"][0]["id"], again)
        self.assertEqual(self.sql("SELECT COUNT(*) FROM messages WHERE unique_id = 'pgu1'"), "1")
        for form in (False, True):
            with self.subTest(form=form):
                bad = self.b.api("messages/send_sms", {"phone": "500600711"}, form=form)
                self.assertIn("error", bad)
                self.assertIn("text", bad["error"]["message"].lower())

    def test_scheduled_message_is_isolated_and_cancellable(self):
        r = self.b.api("messages/send_sms", {"phone": "500600720", "text": "later", "details": True,
                                              "date": "2099-01-01 10:00:00"})
        a_id = r["items"][0]["id"]
        for form in (False, True):
            with self.subTest(form=form):
                v = self.b.api("messages/view", {"id": a_id}, token=self.beta, form=form)
                self.assertEqual(v["error"]["code"], 1004)
                self.assertIsNone(self.report(a_id, token=self.beta))
        d = self.b.api("messages/delete", {"id": [a_id]}, token=self.beta)
        self.assertNotEqual(d.get("correct"), 1, d)
        self.assertEqual(self.b.api("messages/view", {"id": a_id})["status"], "saved")
        d = self.b.api("messages/delete", {"id": [a_id]})
        self.assertEqual(d.get("correct"), 1, d)

    def test_zz_restart_and_sigkill_keep_everything(self):
        r = self.b.api("messages/send_sms", {"phone": ["500600730", "500600731"], "text": "kept",
                                              "details": True})
        ids = [item["id"] for item in r["items"]]
        self.b.kill9()  # whatever was leased dies with the process; start-up releases it
        self.b.start()
        for message_id in ids:
            self.wait_status(message_id, "delivered")
        self.assertEqual(self.b.stop(), 0)
        self.b.start()
        self.assertEqual(self.b.api("messages/view", {"id": ids[0]})["status"], "delivered")

    def test_bad_url_and_unreachable_server_are_refused_at_init(self):
        for url, words in ((f"postgres://bramka@127.0.0.1:{self.pg.port}/nosuchdb", "nosuchdb"),
                           ("postgres://bramka@127.0.0.1:1/bramka", "cannot connect")):
            with self.subTest(url=url):
                d = os.path.join(self.b.dir, "bad-" + str(abs(hash(url))))
                r = subprocess.run([BIN, "init", d, "--store", url], capture_output=True, text=True,
                                   timeout=60)
                self.assertNotEqual(r.returncode, 0, r.stdout)
                self.assertIn(words, r.stderr)


if __name__ == "__main__":
    unittest.main()
