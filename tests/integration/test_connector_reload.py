"""Connectors changed while `bramka serve` runs (issue 5, docs/adr/0015): added, removed
mid-traffic and changed by `bramka admin`, applied without a restart; bind_mode = "pair"
(a transmitter and a receiver bind) against `bramka smsc` and the node-smpp SMSC.
Port 0 and loopback only; bounded waits."""
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402

FINAL = ("delivered", "undelivered", "unsent")
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
HAVE_NODE_SMPP = shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "smpp"))


class ConnectorReloadTest(unittest.TestCase):
    def setUp(self):
        self.smscs = []
        self.b = None

    def tearDown(self):
        code = self.b.stop() if self.b else 0
        log = self.b.read_log() if self.b else ""
        for s in self.smscs:
            s.stop()
        if self.b:
            self.b.cleanup()
        self.assertEqual(code, 0, f"bramka serve exited {code} on SIGTERM:\n{log}")

    def smsc(self, *misbehave, **kw):
        s = Smsc(BIN, *misbehave, **kw)
        self.smscs.append(s)
        return s

    def start(self, extra, simnet=True):
        self.b = Bramka(extra_config=extra)
        if not simnet:  # then the default route is every [[connector]], in file order
            with open(self.b.config) as f:
                text = f.read()
            text, n = re.subn(r"(\[simnet\][^\n]*\n)enabled = true", r"\1enabled = false", text)
            self.assertEqual(n, 1)
            with open(self.b.config, "w") as f:
                f.write(text)
        return self.b.start()

    def metrics(self):
        status, _, body = self.b.raw("/metrics", method="GET")
        self.assertEqual(status, 200)
        return body.decode()

    def metric(self, name_and_labels):
        m = re.search(re.escape(name_and_labels) + r" (\S+)", self.metrics())
        return float(m.group(1)) if m else None

    def bound(self, name):
        return self.metric(f'bramka_connector_bound{{connector="{name}"}}') == 1

    def reloads(self, result="ok"):
        return self.metric(f'bramka_config_reloads_total{{result="{result}"}}') or 0

    def wait_reloads(self, n, result="ok"):
        wait_until(lambda: self.reloads(result) >= n, 15, 0.05,
                   f"{n} config reload(s) with result {result}")

    def send(self, phones, text="hello through a live connector"):
        r = self.b.api("messages/send_sms", {"phone": phones, "text": text, "details": True})
        self.assertIn("items", r, r)
        return [item["id"] for item in r["items"]]

    def reports(self, ids):
        out = {}
        for i in range(0, len(ids), 50):
            r = self.b.api("messages/reports", {"id": ids[i:i + 50]})
            out.update({item["id"]: item for item in r["items"]})
        return out

    def wait_final(self, ids, timeout=60):
        def done():
            rep = self.reports(ids)
            return len(rep) == len(ids) and all(v["status"] in FINAL for v in rep.values()) and rep
        return wait_until(done, timeout, 0.1, f"{len(ids)} messages to reach a final status")

    def test_connector_and_route_added_by_admin_carry_traffic_without_restart(self):
        s = self.smsc()
        self.start("")  # simnet only
        self.b.admin("connector", "add", "smsc-new", "--host", "127.0.0.1", "--port", str(s.port),
                     "--system-id", "bramka", "--password", "pw", "--tps", "100", "--window", "5")
        self.wait_reloads(1)
        wait_until(lambda: self.bound("smsc-new"), 15, 0.05, "the added connector to bind")
        self.b.admin("route", "add", "--prefix", "+48501", "--connector", "smsc-new",
                     "--name", "via-new")
        self.wait_reloads(2)
        ids = self.send(["501000001", "501000002", "600100200"])
        rep = self.wait_final(ids)
        self.assertTrue(all(v["status"] == "delivered" for v in rep.values()), rep)
        self.assertEqual(s.count("submit"), 2, "the +48501 numbers went through smsc-new")
        out = self.b.admin("connector", "list").stdout
        row = next(line for line in out.splitlines() if line.startswith("smsc-new"))
        self.assertIn("yes", row)
        self.assertIn("transceiver", row)
        # Live columns: ... BOUND IN_USE QUEUE TPS_NOW SUBMITS
        self.assertEqual(row.split()[-5:], ["yes", "0", "0", "100", "2"], out)
        # A bad connector written by hand: the reload is refused, the running one stays.
        with open(self.b.config, "a") as f:
            f.write('\n[[connector]]\nname = "broken"\nhost = "127.0.0.1"\nport = 1\n'
                    'system_id = "x"\npassword = "far-too-long"\n')
        self.wait_reloads(1, "error")
        self.assertTrue(self.bound("smsc-new"))
        rep = self.wait_final(self.send(["501000003"]))
        self.assertEqual(list(rep.values())[0]["status"], "delivered")
        self.assertEqual(s.count("submit"), 3)
        # Admin refuses to remove a connector a route still names, then removes it.
        self.assertNotEqual(self.b.admin("connector", "remove", "smsc-new", check=False).returncode, 0)

    def test_removed_mid_traffic_every_message_ends_once(self):
        # Two connectors to one SMSC account, no [[route]] and no simnet: the default
        # route is ["a", "b"]. "a" is slowed by its TPS limit so that it holds a queue
        # and a window when it is removed. Its queue is handed back and goes out through
        # "b"; receipts of what "a" sent that the SMSC delivers later arrive on "b" and
        # still match (receipt aliases).
        s = self.smsc(receipt_delay_ms=400)
        self.start(connector_toml("a", s.port, tps=5, window=5) + connector_toml("b", s.port),
                   simnet=False)
        wait_until(lambda: self.bound("a") and self.bound("b"), 15, 0.05, "a and b to bind")
        ids = self.send([f"5007000{i:02d}" for i in range(60)])
        wait_until(lambda: s.count("submit") >= 3, 15, 0.02, "traffic through a")
        self.b.admin("connector", "remove", "a")
        self.wait_reloads(1)
        rep = self.wait_final(ids, timeout=60)
        self.assertEqual(len(rep), 60)
        self.assertTrue(all(v["status"] == "delivered" for v in rep.values()),
                        {k: v["status"] for k, v in rep.items() if v["status"] != "delivered"})
        # Exactly once: one submit per message at the SMSC, one receipt each.
        self.assertEqual(s.count("submit"), 60)
        wait_until(lambda: s.count("receipt") >= 60, 15, 0.05, "every receipt to be sent")
        self.assertEqual(s.count("receipt"), 60)
        self.assertEqual(self.metric('bramka_connector_bound{connector="a"}'), 0)
        out = 'bramka_messages_out_total{{connector="{}",outcome="{}"}}'
        self.assertGreater(self.metric(out.format("a", "accepted")) or 0, 0)
        self.assertGreater(self.metric(out.format("a", "handed_back")) or 0, 0,
                           "a's queue was handed back")
        # Receipts of a's messages matched on b (b got more receipts than it sent).
        # (Counted just after the commit the reports read.)
        receipts = 'bramka_receipts_total{{connector="{}",status="delivered"}}'

        def counted():
            return (self.metric(receipts.format("a")) or 0) + (self.metric(receipts.format("b")) or 0)
        wait_until(lambda: counted() >= 60, 15, 0.05, "60 receipts counted")
        on_a = self.metric(receipts.format("a")) or 0
        on_b = self.metric(receipts.format("b")) or 0
        self.assertEqual(on_a + on_b, 60)
        self.assertGreater(on_b, self.metric(out.format("b", "accepted")) or 0)
        log = self.b.read_log()
        self.assertIn("connector a removed", log)

    def test_changed_connector_is_replaced_live(self):
        s1 = self.smsc()
        s2 = self.smsc()
        self.start(connector_toml("a", s1.port) + route_toml(["a"]))
        wait_until(lambda: self.bound("a"), 15, 0.05, "a to bind")
        self.wait_final(self.send(["500800001"]))
        self.b.admin("connector", "set", "a", "--port", str(s2.port), "--window", "3",
                     "--bind-mode", "pair")
        self.wait_reloads(1)
        wait_until(lambda: self.bound("a") and s2.count("bind") >= 2, 15, 0.05,
                   "a to bind to the second SMSC")
        rep = self.wait_final(self.send(["500800002", "500800003"]))
        self.assertTrue(all(v["status"] == "delivered" for v in rep.values()), rep)
        self.assertEqual(s1.count("submit"), 1)
        self.assertEqual(s2.count("submit"), 2)
        with open(self.b.config) as f:
            text = f.read()
        self.assertIn("window = 3", text)
        self.assertIn('bind_mode = "pair"', text)
        # A bad value is refused by admin and leaves the file alone.
        self.assertNotEqual(self.b.admin("connector", "set", "a", "--bind-mode", "sideways",
                                         check=False).returncode, 0)
        with open(self.b.config) as f:
            self.assertEqual(f.read(), text)

    def test_pair_mode_against_bramka_smsc(self):
        s = self.smsc()
        self.start(connector_toml("pair", s.port, bind_mode="pair") + route_toml(["pair"]))
        wait_until(lambda: self.bound("pair"), 15, 0.05, "both binds")
        ids = self.send(["500900001", "+48600000101"])
        ids += self.send(["500900002"], text="long " * 60)  # 2 parts
        rep = self.wait_final(ids)
        self.assertEqual(rep[ids[0]]["status"], "delivered", rep)
        self.assertEqual(rep[ids[1]]["status"], "undelivered", rep)
        self.assertEqual(rep[ids[2]]["status"], "delivered", rep)
        modes = sorted(e.get("mode") for e in list(s.events) if e.get("event") == "bind")
        self.assertEqual(modes, ["receiver", "transmitter"])
        m = self.metrics()
        self.assertIn('bramka_connector_bind_up{connector="pair",bind="receiver"} 1', m)
        self.assertIn('bramka_connector_bind_up{connector="pair",bind="transmitter"} 1', m)
        row = next(line for line in self.b.admin("connector", "list").stdout.splitlines()
                   if line.startswith("pair"))
        self.assertIn("yes", row)

    @unittest.skipUnless(HAVE_NODE_SMPP, "node or npm smpp missing (scripts/install-deps.sh)")
    def test_pair_mode_against_node_smpp(self):
        node = subprocess.Popen(["node", os.path.join(ROOT, "tests", "support", "node_smsc.js")],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = json.loads(node.stdout.readline())["port"]
            self.start(connector_toml("node-pair", port, receipt_id_format="decimal",
                                      bind_mode="pair") + route_toml(["node-pair"]))
            wait_until(lambda: self.bound("node-pair"), 15, 0.05, "both binds")
            rep = self.wait_final(self.send([f"5009100{i:02d}" for i in range(4)]))
            self.assertTrue(all(v["status"] == "delivered" for v in rep.values()), rep)
        finally:
            node.terminate()
            node.wait(timeout=10)
            node.stdout.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
