"""SQL API through a transaction-pooling pgbouncer (docs/adr/0055): bramka keeps each
PostgreSQL statement prepared per server session, and behind pgbouncer in
`pool_mode = transaction` consecutive transactions of its one connection run on
different server sessions (sql_peers.PgBouncer hands its 3 out in turn). More rows than
one poll batch, and a restart of bramka in the middle (a new client connection meeting
server sessions that already hold its statements): every row becomes exactly one
message, its smsid and report are written back, and bramka never fell back to unnamed
statements (nothing failed on the way). Real PostgreSQL 15 and pgbouncer 1.18."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402
from sql_peers import PgBouncer, Postgres  # noqa: E402


class PgBouncerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = Postgres()
        try:
            cls.bouncer = PgBouncer(cls.pg, servers=3)
        except BaseException:
            cls.pg.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.bouncer.cleanup()
        cls.pg.cleanup()

    def setUp(self):
        self.pg.run('DROP TABLE IF EXISTS "SerwerSMS_MT"; DROP TABLE IF EXISTS "SerwerSMS_MO"')
        self.bramka = Bramka()
        self.addCleanup(self.bramka.cleanup)

    def mt(self):
        rows = self.pg.rows('SELECT id, smsid, dlr FROM "SerwerSMS_MT" ORDER BY id')
        return {int(r[0]): r[1:] for r in rows}

    def sql_messages(self):
        import sqlite3
        con = sqlite3.connect(f"file:{os.path.join(self.bramka.dir, 'data', 'bramka.db')}?mode=ro",
                              uri=True)
        try:
            return con.execute("SELECT id, unique_id FROM messages WHERE source = 'sql'").fetchall()
        finally:
            con.close()

    def test_rows_through_transaction_pooling_exactly_once(self):
        url = self.bouncer.url()
        self.bramka.admin("sql", "create-tables", "--url", url)
        out = self.bramka.admin("sql", "add", "demo", "--url", url, "--interval", "1").stdout
        self.assertRegex(out, r"sql source \d+ added")
        n = 900  # two poll batches of 500 (the demo account holds 1,000 eco credits)
        values = ", ".join(f"('+48502{i:06d}', '', 'pool {i}')" for i in range(n))
        self.pg.run(f'INSERT INTO "SerwerSMS_MT" (number, sender, message) VALUES {values}')

        self.bramka.start()
        # A restart once some rows are written back: the next connection meets server
        # sessions that already hold bramka's statements under the same names.
        wait_until(lambda: int(self.pg.value('SELECT COUNT(*) FROM "SerwerSMS_MT" '
                                             "WHERE smsid IS NOT NULL")) > 0, 60, 0.05,
                   "the first smsid")
        self.bramka.stop()
        self.bramka.start()

        def all_done():
            rows = self.mt()
            return rows if len(rows) == n and all(r[0] and r[1] == "1" for r in rows.values()) else None
        try:
            rows = wait_until(all_done, int(os.environ.get("PGB_WAIT", "120")), 0.2, "every row sent and reported through pgbouncer")
        except AssertionError:
            print(self.bramka.read_log(), self.bouncer.read_log()[-3000:], file=sys.stderr)
            raise

        smsids = [r[0] for r in rows.values()]
        self.assertEqual(len(set(smsids)), n, "a smsid written to two rows")
        stored = self.sql_messages()
        self.assertEqual(len(stored), n, "a row became more or fewer than one message")
        self.assertEqual({s[0] for s in stored}, set(smsids))
        self.assertEqual(len({s[1] for s in stored}), n)
        self.assertIn("state=ok", self.bramka.admin("sql", "list").stdout)
        with open(os.path.join(self.bramka.dir, "serve.log"), "rb") as f:
            log = f.read().decode("utf-8", "replace")
        self.assertNotIn("unnamed statements", log)
        self.assertNotRegex(log, r"sql source \d+ .*retrying")
        # The transactions ran on more than one server session, and bramka's named
        # statements exist there (pg_stat_activity shows each session's last statement).
        used = self.pg.rows("SELECT pid, query FROM pg_stat_activity WHERE usename = 'shop' "
                            "AND query <> ''")
        self.assertGreaterEqual(len(used), 2, f"server sessions used: {used}")
        named = set()
        for _ in range(6):  # each through pgbouncer: the sessions in turn
            named |= {r[0] for r in self.bouncer.rows("SELECT name FROM pg_prepared_statements")}
        self.assertTrue(any(re.fullmatch(r"bramka_[0-9a-f]{32}", x) for x in named), named)


if __name__ == "__main__":
    unittest.main()
