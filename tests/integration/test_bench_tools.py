"""`bramka bench smpp` and `bramka bench http` (issues 4 and 11) against a real serve: short
runs whose counts must add up -- every submit_sm accepted, a receipt for each, every
send_sms request answered with success -- plus a wrong password reported as a bind error."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Bramka  # noqa: E402


class BenchToolsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka()
        # The demo SMPP user allows 10 binds and 100 submits/s; the load gets its own.
        cls.b.admin("smpp-user", "add", "demo", "--system-id", "bench", "--password", "bench",
                    "--max-binds", "0", "--tps", "0")
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def bench(self, *args, timeout=60):
        r = subprocess.run([BIN, "bench", *args, "--config", self.b.config, "--json"],
                           capture_output=True, text=True, timeout=timeout)
        return r.returncode, r.stdout, r.stderr

    def test_smpp_with_receipts(self):
        code, out, err = self.bench("smpp", "--system-id", "bench", "--password", "bench",
                                    "--binds", "4", "--window", "8", "--count", "200",
                                    "--receipts", "--receipt-timeout", "45")
        self.assertEqual(code, 0, out + err)
        r = json.loads(out)
        self.assertEqual((r["binds"], r["bound"], r["bind_errors"]), (4, 4, {}), r)
        self.assertEqual(r["submitted"], 200, r)
        self.assertEqual(r["accepted"], 200, r)
        self.assertEqual((r["errors"], r["failed"]), ({}, {}), r)
        self.assertEqual(r["receipts"], r["accepted"], r)
        self.assertEqual(r["latency"]["count"], 200, r)
        self.assertLessEqual(r["latency"]["p50_ms"], r["latency"]["p99_ms"])
        self.assertLessEqual(r["latency"]["p99_ms"], r["latency"]["max_ms"])
        self.assertGreater(r["accepted_per_s"], 0)
        self.assertGreaterEqual(r["last_receipt_s"], r["submit_s"])

    def test_http_send_sms(self):
        code, out, err = self.bench("http", "--count", "200", "--connections", "8")
        self.assertEqual(code, 0, out + err)
        r = json.loads(out)
        self.assertEqual((r["requests"], r["ok"], r["messages"]), (200, 200, 200), r)
        self.assertEqual(r["errors"], {}, r)
        self.assertEqual(r["latency"]["count"], 200, r)

    def test_http_bulk_over_tls(self):
        code, out, err = self.bench("http", "--tls", "--count", "4", "--connections", "2",
                                    "--recipients", "25")
        self.assertEqual(code, 0, out + err)
        r = json.loads(out)
        self.assertEqual((r["requests"], r["ok"], r["messages"], r["tls"]), (4, 4, 100, True), r)

    def test_wrong_password_is_a_bind_error(self):
        code, out, err = self.bench("smpp", "--system-id", "bench", "--password", "wrong",
                                    "--binds", "2", "--count", "10")
        self.assertEqual(code, 2, out + err)
        self.assertIn("ESME_RINVPASWD 2", err)

    def test_bad_options_are_named(self):
        code, _, err = self.bench("smpp", "--binds", "2")
        self.assertEqual(code, 2)
        self.assertIn("--count", err)
        code, _, err = self.bench("http", "--count", "1", "--connections", "0")
        self.assertEqual(code, 2)
        self.assertIn("--connections", err)


if __name__ == "__main__":
    unittest.main()
