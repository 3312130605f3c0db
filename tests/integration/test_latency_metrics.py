"""Latency by stage through the real binary (issue 11, docs/adr/0035): a serve exports
bramka_store_write_stage_seconds and bramka_smpp_submit_stage_seconds from the start, an
SMPP submit answered ESME_ROK is counted in every stage, the SyncWaker thread is off by
default and `[store] sync_wake_us = 20` turns it on. Loopback, port 0, bounded waits, no
timing assertions."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import Bramka, wait_until  # noqa: E402
import smpp_client  # noqa: E402

WRITE_STAGES = ["queued", "batch", "sync_wait", "fsync", "handoff", "total"]


def count(text, family, labels):
    m = re.search(r"^" + re.escape(f"{family}_count{{{labels}}}") + r" (\S+)$", text, re.M)
    return None if m is None else float(m.group(1))


def thread_names(pid):
    names = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return names


class LatencyMetricsTest(unittest.TestCase):
    def metrics(self, b):
        status, _, body = b.raw("/metrics", method="GET")
        self.assertEqual(status, 200)
        return body.decode()

    def submit_one(self, b, dest):
        """One submit_sm over a fresh bind, answered ESME_ROK."""
        esme = smpp_client.Esme(b.smpp_port, timeout=30)
        try:
            self.assertEqual(esme.bind(), 0)
            answers = list(esme.submit_many([(dest, "latency stages")]))
        finally:
            esme.close()
        self.assertEqual(answers[0][1], 0, answers)

    def test_stages_are_exported_and_count_an_smpp_submit(self):
        b = Bramka().start()
        try:
            text = self.metrics(b)
            for stage in WRITE_STAGES:
                self.assertIsNotNone(count(text, "bramka_store_write_stage_seconds",
                                           f'stage="{stage}"'), stage)
                self.assertIsNotNone(count(text, "bramka_store_write_stage_seconds",
                                           f'stage="{stage}",slow="1"'), stage)
            for stage in ["to_store", "answered"]:
                self.assertEqual(count(text, "bramka_smpp_submit_stage_seconds",
                                       f'stage="{stage}"'), 0, stage)
            self.assertNotIn("bramka-syncwake", thread_names(b.proc.pid))

            self.submit_one(b, "48500100200")

            def counted():
                t = self.metrics(b)
                return (count(t, "bramka_smpp_submit_stage_seconds", 'stage="answered"') or 0) >= 1 \
                    and all((count(t, "bramka_store_write_stage_seconds", f'stage="{s}"') or 0) >= 1
                            for s in WRITE_STAGES)
            wait_until(counted, 30, what="the submit counted in every stage")
        finally:
            self.assertEqual(b.stop(), 0)
            b.cleanup()

    def test_sync_wake_can_be_turned_on(self):
        b = Bramka()
        with open(b.config) as f:
            text = f.read()
        with open(b.config, "w") as f:
            f.write(text.replace("[store]\n", "[store]\nsync_wake_us = 20\n", 1))
        b.start()
        try:
            self.assertIn("bramka-syncwake", thread_names(b.proc.pid))
            self.submit_one(b, "48500100201")
            status, _, _ = b.raw("/healthz", method="GET")
            self.assertEqual(status, 200)
        finally:
            self.assertEqual(b.stop(), 0)
            b.cleanup()


if __name__ == "__main__":
    unittest.main()
