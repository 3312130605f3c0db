#!/usr/bin/env python3
"""Storage faults on every ingest interface (issue 12, docs/reliability.md §2): while
another process holds bramka.db's write lock, each interface refuses new work with an
error that says what is wrong ("database busy"), keeps what it already accepted, and
takes the work once the lock goes:

- HTTP API (JSON and form): error 1009 "service temporarily unavailable (database busy,
  locked by another writer)";
- SOAP: a Fault with code 1009 and the same text;
- SMPP: submit_sm answered ESME_RMSGQFUL (0x14, "message queue full": the temporary
  status SMPP clients such as Kannel retry), and a log line naming the trouble;
- SMS via FTP: the file is left on the server for the next poll, the log says why, and
  once the lock goes every line gets exactly one OK;
- SQL API (PostgreSQL when installed): the rows stay unclaimed, the source goes
  `retrying` with the reason in the log, then every row gets exactly one smsid.

Disk full is test_faults.py's DiskFullTest (needs root for a tmpfs); it checks the HTTP
and SMPP answers say "storage full". Stdlib only; bounded waits."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from harness import Bramka, wait_until  # noqa: E402
import ftp_servers  # noqa: E402
import smpp_client  # noqa: E402
from test_faults import send, statuses  # noqa: E402

BUSY = "database busy"
ESME_RMSGQFUL = 0x14


def hold_write_lock(db):
    """A process holding BEGIN IMMEDIATE on the database until its stdin closes."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5);"
         "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read()", db],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"

    def release():
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    return release


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def log(b):
    return read(os.path.join(b.dir, "serve.log"))


def soap_send(b, phone):
    body = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            f'<Messages.sendSms><phone>{phone}</phone><text>soap</text><details>true</details>'
            '</Messages.sendSms></s:Body></s:Envelope>')
    status, _, data = b.raw("/soap", body.encode(), {
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""',
        "Authorization": "Bearer " + b.token}, timeout=60)
    return status, data.decode()


def smpp_submit(b, dest):
    e = smpp_client.Esme(b.smpp_port, timeout=60)
    try:
        assert e.bind() == 0
        return next(e.submit_many([(dest, "smpp")]))
    finally:
        e.close()


class StorageLockedEveryInterfaceTest(unittest.TestCase):
    def test_locked_database_is_named_on_every_interface_and_nothing_is_lost(self):
        work = tempfile.mkdtemp(prefix="bramka-storage-")
        os.chmod(work, 0o755)
        folder = os.path.join(work, "ftp")
        os.mkdir(folder)
        os.chmod(folder, 0o777)
        ftp = None
        pg = None
        b = Bramka()
        try:
            if ftp_servers.pyftpdlib_available():
                ftp = ftp_servers.PyFtpd({"alice": ("alice-pw", folder)})
                out = b.admin("ftp", "add", "demo", "--url",
                              f"ftp://alice:alice-pw@127.0.0.1:{ftp.port}/", "--interval", "1").stdout
                self.assertIn("ftp source", out)
            if os.path.exists("/usr/lib/postgresql/15/bin/postgres"):
                from sql_peers import Postgres
                pg = Postgres()
                b.admin("sql", "create-tables", "--url", pg.url())
                b.admin("sql", "add", "demo", "--url", pg.url(), "--interval", "1")
            b.start()
            before = send(b, "+48500820000")[1]["items"][0]["id"]
            release = hold_write_lock(os.path.join(b.dir, "data", "bramka.db"))
            try:
                # Every interface at once (each waits for the busy timeout, 5-10 s).
                results = {}
                calls = {
                    "json": lambda: send(b, "+48500820001", timeout=60),
                    "form": lambda: b.raw("/messages/send_sms", b"phone=%2B48500820002&text=form",
                                          {"Authorization": "Bearer " + b.token,
                                           "Content-Type": "application/x-www-form-urlencoded"},
                                          timeout=60),
                    "soap": lambda: soap_send(b, "+48500820003"),
                    "smpp": lambda: smpp_submit(b, "48500820004"),
                }
                threads = [threading.Thread(target=lambda k=k, f=f: results.__setitem__(k, f()))
                           for k, f in calls.items()]
                for t in threads:
                    t.start()
                if ftp:
                    tmp = os.path.join(folder, ".locked.txt.part")
                    with open(tmp, "w") as f:
                        f.write("+48500820010;ftp one\n+48500820011;ftp two\n")
                    os.chmod(tmp, 0o666)
                    os.rename(tmp, os.path.join(folder, "locked.txt"))
                if pg:
                    pg.run("INSERT INTO \"SerwerSMS_MT\" (number, message) VALUES "
                           "('+48500820020', 'sql one'), ('+48500820021', 'sql two')")
                for t in threads:
                    t.join(timeout=90)
                    self.assertFalse(t.is_alive(), "an interface hung while the database was locked")

                status, doc, _ = results["json"]
                self.assertEqual(status, 200)
                self.assertEqual(doc["error"]["code"], 1009, doc)
                self.assertIn(BUSY, doc["error"]["message"])
                status, _, data = results["form"]
                doc = json.loads(data)
                self.assertEqual(doc["error"]["code"], 1009, doc)
                self.assertIn(BUSY, doc["error"]["message"])
                status, text = results["soap"]
                self.assertEqual(status, 500, text)
                self.assertIn("<code>1009</code>", text)
                self.assertIn(BUSY, text)
                dest, smpp_status, _ = results["smpp"]
                self.assertEqual(smpp_status, ESME_RMSGQFUL)
                wait_until(lambda: "submit not stored: database busy" in log(b), 30, 0.2,
                           "the log line naming the trouble")
                if ftp:
                    wait_until(lambda: "locked.txt left for the next poll: bramka cannot store "
                               "messages now (database busy" in log(b),
                               60, 0.2, "the FTP source to say why the file waits")
                    self.assertFalse(os.path.exists(os.path.join(folder, "locked.txt.result")))
                if pg:
                    wait_until(lambda: re.search(r"sql source \d+ \(account \d+\): bramka cannot store "
                                                 r"messages now \(database busy", log(b)),
                               60, 0.2, "the SQL source to say why its rows wait")
            finally:
                release()

            # The lock is gone: everything waiting is taken, exactly once; nothing lost.
            after = send(b, "+48500820005")[1]["items"][0]["id"]
            self.assertEqual(set(statuses(b, [before, after])), {before, after})
            if ftp:
                path = os.path.join(folder, "locked.txt.result")
                wait_until(lambda: os.path.exists(path) and read(path).count("\n") >= 4, 60,
                           0.2, "the FTP file's result once the lock went")
                lines = read(path).splitlines()[2:]
                self.assertEqual(sorted(line.split(";")[2] for line in lines), ["OK", "OK"], lines)
            if pg:
                wait_until(lambda: pg.value("SELECT COUNT(smsid) FROM \"SerwerSMS_MT\"") == "2", 60, 0.2,
                           "both SQL rows submitted once the lock went")
                ids = [r[0] for r in pg.rows("SELECT smsid FROM \"SerwerSMS_MT\"")]
                self.assertEqual(len(set(ids)), 2)
            print(f"locked database: HTTP/SOAP 1009 '{BUSY}', SMPP 0x14, "
                  f"FTP {'file kept then done' if ftp else 'skipped'}, "
                  f"SQL {'rows kept then done' if pg else 'skipped'}")
            self.assertEqual(b.stop(), 0)
        finally:
            b.cleanup()
            if ftp:
                ftp.stop()
            if pg:
                pg.cleanup()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
