"""`bramka smsc --quiet --window N` (docs/adr/0031): no event lines, its counters in a last
line at exit; a deliver_sm window of 2 still delivers every receipt (the rest wait for a
free slot). Messages go API -> bramka serve -> SMPP connector -> the simulator -> receipts.
Port 0 and loopback only; bounded waits."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402


class SmscQuietTest(unittest.TestCase):
    def test_quiet_counts_at_exit_with_a_small_window(self):
        smsc = Smsc(BIN, receipt_delay_ms=0, quiet=True, window=2)
        b = Bramka(extra_config=connector_toml("smsc-q", smsc.port) + route_toml(["smsc-q"]))
        try:
            b.start()
            phones = [f"+48500{i:06d}" for i in range(7)]
            r = b.api("messages/send_sms", {"phone": phones, "text": "quiet", "details": True})
            ids = [item["id"] for item in r["items"]]
            self.assertEqual(len(ids), 7, r)

            def delivered():
                rep = b.api("messages/reports", {"id": ids})
                return all(item["status"] == "delivered" for item in rep["items"])
            wait_until(delivered, 60, 0.1, "7 receipts through a window of 2")
            with self.assertRaises(AssertionError):
                smsc.count("submit")  # quiet: counts only after stop()
            self.assertEqual(smsc.events, [])
        finally:
            self.assertEqual(b.stop(), 0)
            b.cleanup()
            smsc.stop()
        self.assertEqual(smsc.count("submit"), 7)
        self.assertEqual(smsc.count("receipt"), 7)

    def test_bad_window_is_refused(self):
        with self.assertRaises(AssertionError):
            Smsc(BIN, window="x")


if __name__ == "__main__":
    unittest.main()
