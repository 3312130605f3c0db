#!/usr/bin/env python3
"""Faults (issue 12, docs/reliability.md): an SMSC link that stalls (open but silent) or is
slow, a full disk under the data folder, a database write-locked by another process, and a
webhook receiver that never answers. In each: new work refused with a clear error or
delayed, nothing acknowledged lost, recovery once the fault goes. The link *cut* case is in
test_connector_smsc.py (chaos proxy cutting mid-window). Stdlib only; bounded waits."""
import http.client
import http.server
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402
from chaos_proxy import ChaosProxy  # noqa: E402
import smpp_client  # noqa: E402


def send(b, phone, text="fault", timeout=30, **extra):
    """(HTTP status, JSON answer or None, seconds) of one send_sms."""
    body = json.dumps(dict({"phone": phone, "text": text, "details": True}, **extra))
    t0 = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", b.http_port, timeout=timeout)
    try:
        conn.request("POST", "/messages/send_sms", body,
                     {"Authorization": "Bearer " + b.token, "Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        try:
            doc = json.loads(data)
        except ValueError:
            doc = None
        return r.status, doc, time.monotonic() - t0
    finally:
        conn.close()


def statuses(b, ids):
    found = {}
    for i in range(0, len(ids), 500):
        r = b.api("messages/reports", {"id": ids[i:i + 500], "limit": 500})
        found.update({it["id"]: it["status"] for it in r["items"]})
    return found


class SmscLinkFaultsTest(unittest.TestCase):
    def run_through_proxy(self, **proxy_kw):
        smsc = Smsc(BIN, receipt_delay_ms=20)
        proxy = ChaosProxy(smsc.port, **proxy_kw)
        # A silent link is noticed by enquire_link (every enquire_link_s, answer within
        # response_timeout_s = 3): submits that time out are retried but do not drop the link.
        b = Bramka(extra_config=connector_toml("smsc", proxy.port, window=10, enquire_link_s=2)
                   + route_toml(["smsc"]))
        try:
            b.start()
            ids = [send(b, f"+4850070{i:04d}", f"link {i}")[1]["items"][0]["id"] for i in range(60)]
            # Every message reaches the SMSC and is acknowledged by it (sent or delivered).
            wait_until(lambda: set(statuses(b, ids).values()) <= {"sent", "delivered"}, 60, 0.2,
                       "every message accepted by the SMSC through the faulty link")
            # Receipts the SMSC wrote into the stalled link come back: the SMSC repeats
            # unanswered receipts after the rebind, and bramka answers a receipt only
            # after its commit (ADR 0019, ADR 0025; was "0-8 of 60 missing").
            wait_until(lambda: set(statuses(b, ids).values()) == {"delivered"}, 60, 0.2,
                       "every receipt")
            stuck = sum(1 for v in statuses(b, ids).values() if v == "sent")
            per_dest = {}
            for e in smsc.events:
                if e.get("event") == "submit":
                    per_dest[e["dest"]] = per_dest.get(e["dest"], 0) + 1
            self.assertEqual(len(per_dest), 60)
            dups = sum(c - 1 for c in per_dest.values())
            self.assertLessEqual(dups, 10 * max(1, proxy.cuts_done), "duplicates beyond the window")
            print(f"{proxy_kw}: {proxy.connections} connections, {proxy.cuts_done} faults, "
                  f"{dups} duplicates, {stuck} without a receipt")
            return proxy
        finally:
            b.cleanup()
            proxy.stop()
            smsc.stop()

    def test_stalled_link_is_detected_and_rebound_nothing_lost(self):
        # The first link go silent after ~1 KB (no RST, no FIN): the connector's
        # response timeout (3 s) must notice, drop the link and resend what was in flight.
        proxy = self.run_through_proxy(cut_after_bytes=1000, cuts=1, mode="stall")
        self.assertGreaterEqual(proxy.cuts_done, 1)
        self.assertGreaterEqual(proxy.connections, 2)

    def test_slow_link_delivers_everything(self):
        proxy = self.run_through_proxy(cut_after_bytes=0, cuts=0, delay_s=0.02)
        self.assertEqual(proxy.cuts_done, 0)


class DiskFullTest(unittest.TestCase):
    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("mount"), "needs root to mount a tmpfs")
    def test_disk_full_refuses_new_work_keeps_accepted_and_recovers(self):
        b = Bramka()
        data = os.path.join(b.dir, "data")
        saved = data + ".saved"
        mounted = False
        try:
            shutil.copytree(data, saved)
            r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", data],
                               capture_output=True, text=True)
            if r.returncode != 0:
                self.skipTest("cannot mount a tmpfs here: " + r.stderr.strip())
            mounted = True
            for name in os.listdir(saved):
                shutil.copy2(os.path.join(saved, name), data)
            b.admin("account", "topup", "demo", "--eco", "1000000")
            b.start()
            acked, refused = [], []
            big = "x" * 900  # 6 parts of GSM-7: fills the 3 MB quickly
            for i in range(20000):
                status, doc, _ = send(b, f"+4850080{i:04d}", big)
                if status == 200 and doc and doc.get("success") is True:
                    acked.append(doc["items"][0]["id"])
                else:
                    refused.append((status, doc))
                    if len(refused) >= 5:
                        break
            self.assertTrue(refused, "the disk never filled")
            print(f"disk full after {len(acked)} accepted; refusal: {refused[0]}")
            status, doc = refused[-1]
            self.assertIsNotNone(doc, "refusal is not a JSON error")
            self.assertIn("error", doc)
            self.assertEqual(doc["error"]["code"], 1009, doc)
            self.assertIn("storage full", doc["error"]["message"])  # says what is wrong
            # SMPP: the temporary ESME_RMSGQFUL, and a log line naming the trouble.
            esme = smpp_client.Esme(b.smpp_port, timeout=60)
            try:
                self.assertEqual(esme.bind(), 0)
                self.assertEqual(next(esme.submit_many([("48500899998", "x" * 150)]))[1], 0x14)
            finally:
                esme.close()
            self.assertIn("submit not stored: storage full", b.read_log())
            # Still alive and answering reads.
            self.assertEqual(b.raw("/healthz", method="GET")[0], 200)
            # Space returns: new work is accepted again without a restart.
            subprocess.run(["mount", "-o", "remount,size=64m", data], check=True)

            def accepts():
                s, d, _ = send(b, "+48500899999", "after")
                return s == 200 and d and d.get("success") is True
            wait_until(accepts, 30, 0.2, "sends to succeed once space returned")
            self.assertEqual(b.stop(), 0)
            b.start()
            found = statuses(b, acked)
            self.assertEqual(set(acked) - set(found), set(), "accepted messages lost on a full disk")
            b.stop()
        finally:
            if b.proc:
                b.kill9()
            if mounted:
                subprocess.run(["umount", "-l", data], capture_output=True)
            b.cleanup()
            shutil.rmtree(saved, ignore_errors=True)


class DatabaseLockedTest(unittest.TestCase):
    def test_write_lock_held_by_another_process(self):
        b = Bramka()
        try:
            b.start()
            ok = send(b, "+48500810000")[1]["items"][0]["id"]
            db = os.path.join(b.dir, "data", "bramka.db")
            holder = subprocess.Popen(
                [sys.executable, "-c",
                 "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5);"
                 "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read()", db],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            try:
                self.assertEqual(holder.stdout.readline().strip(), "locked")
                # Reads keep working (WAL readers are not blocked by a writer).
                self.assertEqual(b.raw("/healthz", method="GET")[0], 200)
                results = []
                t = threading.Thread(target=lambda: results.append(send(b, "+48500810001", timeout=60)))
                t.start()
                t.join(timeout=60)
                self.assertFalse(t.is_alive(), "a send hung while the database was locked")
                status, doc, took = results[0]
                print(f"send under a foreign write lock: HTTP {status} in {took:.1f} s: {doc}")
                if doc and doc.get("success") is True:
                    locked_id = doc["items"][0]["id"]
                else:
                    locked_id = None
                    self.assertIn("error", doc or {}, "no clear error while locked")
            finally:
                holder.stdin.close()
                holder.wait(timeout=10)
                holder.stdout.close()
            # Lock gone: sends succeed and everything accepted is there.
            after = send(b, "+48500810002")[1]["items"][0]["id"]
            want = [ok, after] + ([locked_id] if locked_id else [])
            self.assertEqual(set(statuses(b, want)), set(want))
            self.assertEqual(b.stop(), 0)
        finally:
            b.cleanup()


class HangingReceiver(http.server.ThreadingHTTPServer):
    daemon_threads = True


class WebhookHangsTest(unittest.TestCase):
    def test_hanging_receiver_times_out_and_retries_without_slowing_sends(self):
        calls = []
        release = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 -- http.server's name
                calls.append(time.monotonic())
                release.wait(30)  # never answers while the test runs

            do_POST = do_GET

            def log_message(self, *a):
                pass

        rx = HangingReceiver(("127.0.0.1", 0), Handler)
        threading.Thread(target=rx.serve_forever, daemon=True).start()
        b = Bramka()
        try:
            with open(b.config) as f:
                text = f.read()
            text = text.replace("timeout_ms = 10000", "timeout_ms = 500", 1)
            text = text.replace("initial_backoff_ms = 10000", "initial_backoff_ms = 300", 1)
            # The receiver is on 127.0.0.1 (SSRF guard, ADR 0025).
            text = text.replace("allow_private_urls = false", "allow_private_urls = true")
            with open(b.config, "w") as f:
                f.write(text)
            b.admin("account", "callbacks", "demo", "--dlr-url",
                    f"http://127.0.0.1:{rx.server_address[1]}/dlr?id=#SMSID#")
            b.start()
            send(b, "+48500820000")
            wait_until(lambda: len(calls) >= 3, 30, 0.05, "the callback to be retried")
            # Meanwhile sends are as fast as ever.
            worst = max(send(b, f"+4850082{i:04d}")[2] for i in range(1, 40))
            print(f"{len(calls)} callback attempts to a hanging receiver; worst send {worst * 1000:.0f} ms")
            self.assertLess(worst, 2.0)
            self.assertEqual(b.raw("/healthz", method="GET")[0], 200)
        finally:
            release.set()
            b.cleanup()
            rx.shutdown()
            rx.server_close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
