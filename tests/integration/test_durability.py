"""kill -9 while clients send: every message that got an accepted answer is
stored, then delivered, and charged exactly once (issue: foundation)."""
import http.client
import json
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402

CLIENTS = 4
ROUNDS = 3


def send_loop(port, token, client_no, acked, stop):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    while not stop.is_set():
        n += 1
        body = json.dumps({"phone": f"5{client_no:02d}{n:06d}", "text": f"c{client_no} n{n}",
                           "details": True})
        try:
            conn.request("POST", "/messages/send_sms", body,
                         {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            r = json.loads(conn.getresponse().read())
        except (OSError, http.client.HTTPException, ValueError):
            return  # the server died under us: whatever was unanswered is not acknowledged
        if r.get("success") is True:
            acked.append(r["items"][0]["id"])


class DurabilityTest(unittest.TestCase):
    def test_kill9_under_load_loses_nothing_acknowledged(self):
        b = Bramka()
        try:
            b.admin("account", "topup", "demo", "--eco", "1000000")
            start_units = 1000 + 1000000
            acked = []
            for round_no in range(ROUNDS):
                b.start()
                stop = threading.Event()
                threads = [threading.Thread(target=send_loop, args=(b.http_port, b.token, c, acked, stop))
                           for c in range(CLIENTS)]
                for t in threads:
                    t.start()
                before = len(acked)
                # Let some traffic through, then kill at a moment that varies per round.
                wait_until(lambda: len(acked) >= before + 200 + 150 * round_no, 30, 0.005,
                           "clients to get answers")
                b.kill9()
                stop.set()
                for t in threads:
                    t.join(timeout=15)
            self.assertGreater(len(acked), 600)

            b.start()
            # Every acknowledged message is stored...
            for i in range(0, len(acked), 500):
                chunk = acked[i:i + 500]
                r = b.api("messages/reports", {"id": chunk, "limit": 500})
                found = {item["id"] for item in r["items"]}
                self.assertEqual(set(chunk) - found, set(), "acknowledged messages lost")

            # ...and then delivered (simnet keeps its receipts across restarts).
            def nothing_pending():
                r = b.api("messages/reports", {"status": "pending", "limit": 1})
                return not r["items"]
            wait_until(nothing_pending, 60, 0.2, "every message to reach a final status")
            for i in range(0, len(acked), 500):
                r = b.api("messages/reports", {"id": acked[i:i + 500], "limit": 500})
                self.assertEqual({it["status"] for it in r["items"]}, {"delivered"})

            # Charged exactly once: units spent == messages stored (1 part each).
            stored = b.api("messages/reports", {"limit": 1})["paging"]["count"]
            self.assertGreaterEqual(stored, len(acked))
            eco = b.api("account/limits")["items"][0]
            self.assertEqual(int(eco["value"]), start_units - stored)
            self.assertEqual(b.stop(), 0)
        finally:
            b.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
