"""`bramka bench smpp|http --rate R` (issue 11, ADR 0020) against a real serve: open-loop
runs send exactly --count requests paced at R per second (so they take at least
(count - 1) / R seconds), report the rate, and a bad --rate is refused (exit 2)."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Bramka  # noqa: E402


class BenchRateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka()
        cls.b.admin("smpp-user", "add", "demo", "--system-id", "bench", "--password", "bench",
                    "--max-binds", "0", "--tps", "0")
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def bench(self, *args):
        r = subprocess.run([BIN, "bench", *args, "--config", self.b.config, "--json"],
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout, r.stderr

    def test_smpp_open_loop(self):
        code, out, err = self.bench("smpp", "--system-id", "bench", "--password", "bench",
                                    "--binds", "2", "--window", "8", "--count", "60",
                                    "--rate", "200")
        self.assertEqual(code, 0, out + err)
        r = json.loads(out)
        self.assertEqual((r["submitted"], r["accepted"], r["errors"]), (60, 60, {}), r)
        self.assertEqual(r["rate"], 200, r)
        self.assertGreaterEqual(r["submit_s"], 59 / 200, r)  # paced, not as fast as possible
        self.assertEqual(r["latency"]["count"], 60, r)

    def test_http_open_loop(self):
        code, out, err = self.bench("http", "--connections", "4", "--count", "40", "--rate", "100")
        self.assertEqual(code, 0, out + err)
        r = json.loads(out)
        self.assertEqual((r["requests"], r["ok"], r["errors"]), (40, 40, {}), r)
        self.assertEqual(r["rate"], 100, r)
        self.assertGreaterEqual(r["seconds"], 39 / 100, r)

    def test_bad_rate_is_refused(self):
        code, out, err = self.bench("http", "--count", "1", "--rate", "-5")
        self.assertEqual(code, 2, out + err)
        self.assertIn("--rate", err + out)


if __name__ == "__main__":
    unittest.main()
