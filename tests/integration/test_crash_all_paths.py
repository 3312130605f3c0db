#!/usr/bin/env python3
"""kill -9 under load on every ingest path at once (HTTP, SMPP, FTP, SQL), short version
for `make test`: two kills at random moments. Nothing acknowledged is lost, nothing
ingested twice, every message sent, SMSC duplicates bounded. The long variant and its
figures: `python3 tests/integration/crash_load.py --kills 10` (docs/reliability.md)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_load  # noqa: E402


class CrashAllPathsTest(unittest.TestCase):
    def test_kill9_on_every_ingest_path_loses_nothing(self):
        figures = crash_load.run(kills=2, http_clients=2, smpp_clients=1, ftp_files=1,
                                 ftp_lines=600, sql_batches=2, sql_batch=150, min_up=0.8,
                                 max_up=1.6, receipt_wait=8)
        print(figures)
        self.assertEqual(figures["lost"], 0)
        self.assertGreater(figures["acked_http"], 0)
        self.assertGreater(figures["acked_smpp"], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
