"""bramka serve sending through SMPP connectors to `bramka smsc` (issue 5): API send ->
SMSC -> receipt -> delivered; failover when the first SMSC refuses binds; throttling;
a chaos proxy cutting the link mid-window. Port 0 and loopback only; bounded waits."""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from chaos_proxy import ChaosProxy  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402

FINAL = ("delivered", "undelivered", "unsent")
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
HAVE_NODE_SMPP = shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "smpp"))


class ConnectorTest(unittest.TestCase):
    def setUp(self):
        self.smscs = []
        self.proxies = []
        self.b = None

    def tearDown(self):
        code = self.b.stop() if self.b else 0
        log = self.b.read_log() if self.b else ""
        for s in self.smscs:
            s.stop()
        for p in self.proxies:
            p.stop()
        if self.b:
            self.b.cleanup()
        self.assertEqual(code, 0, f"bramka serve exited {code} on SIGTERM:\n{log}")

    def smsc(self, *misbehave, **kw):
        s = Smsc(BIN, *misbehave, **kw)
        self.smscs.append(s)
        return s

    def start(self, extra):
        self.b = Bramka(extra_config=extra)
        return self.b.start()

    def send(self, phones, text="hello through SMPP"):
        r = self.b.api("messages/send_sms", {"phone": phones, "text": text, "details": True})
        self.assertIn("items", r, r)
        return [item["id"] for item in r["items"]]

    def reports(self, ids):
        r = self.b.api("messages/reports", {"id": ids})
        return {item["id"]: item for item in r["items"]}

    def wait_final(self, ids, timeout=60):
        def done():
            rep = self.reports(ids)
            return len(rep) == len(ids) and all(v["status"] in FINAL for v in rep.values()) and rep
        try:
            return wait_until(done, timeout, 0.1, f"{len(ids)} messages to reach a final status")
        except AssertionError as e:
            rep = self.reports(ids)
            stuck = {k: v["status"] for k, v in rep.items() if v["status"] not in FINAL}
            raise AssertionError(f"{e}; not final: {stuck}\nserve log:\n{self.b.read_log()}")

    def bound(self, name):
        status, _, body = self.b.raw("/metrics", method="GET")
        return status == 200 and f'bramka_connector_bound{{connector="{name}"}} 1' in body.decode()

    def test_send_via_smsc_delivered_and_undelivered(self):
        s = self.smsc()
        self.start(connector_toml("smsc-a", s.port) + route_toml(["smsc-a"]))
        wait_until(lambda: self.bound("smsc-a"), 15, 0.05, "smsc-a to bind")
        ids = self.send(["500600700", "+48600000101"])
        rep = self.wait_final(ids)
        self.assertEqual(rep[ids[0]]["status"], "delivered", rep)
        self.assertEqual(rep[ids[1]]["status"], "undelivered", rep)
        self.assertEqual(rep[ids[1]].get("reason"), "wrong_number", rep)
        self.assertEqual(s.count("submit"), 2)
        # Live state for the operator.
        out = self.b.admin("connector", "list").stdout
        self.assertIn("smsc-a", out)
        self.assertIn("yes", out)

    def metrics(self):
        status, _, body = self.b.raw("/metrics", method="GET")
        self.assertEqual(status, 200)
        return body.decode()

    def test_route_add_applies_to_a_running_serve_with_sender_rules_and_price(self):
        s = self.smsc()
        self.start(connector_toml("smsc-a", s.port))  # no [[route]]: everything to simnet
        wait_until(lambda: self.bound("smsc-a"), 15, 0.05, "smsc-a to bind")
        self.wait_final(self.send(["501000001"]))
        self.assertEqual(s.count("submit"), 0)
        self.b.admin("route", "add", "--prefix", "+48501", "--sender", "INFORMACJA",
                     "--connector", "smsc-a", "--name", "pl501", "--price", "0.05")
        wait_until(lambda: 'bramka_config_reloads_total{result="ok"} 1' in self.metrics(),
                   10, 0.05, "the running serve to reload its routes")
        # The rule wants the sender INFORMACJA: ECO to +48501 still goes to simnet.
        self.wait_final(self.send(["501000002"]))
        self.assertEqual(s.count("submit"), 0)
        r = self.b.api("messages/send_sms", {"phone": "501000003", "text": "x" * 200,
                                             "sender": "INFORMACJA", "details": True})
        rep = self.wait_final([r["items"][0]["id"]])
        self.assertEqual(list(rep.values())[0]["status"], "delivered")
        self.assertEqual(s.count("submit"), 2)  # two parts through smsc-a
        self.assertIn('bramka_route_cost_micro_pln_total{route="pl501"} 100000', self.metrics())
        # A route naming an unknown connector is refused by admin; a broken file by serve.
        with open(self.b.config, "a") as f:
            f.write('\n[[route]]\nconnectors = ["ghost"]\n')
        wait_until(lambda: 'bramka_config_reloads_total{result="error"} 1' in self.metrics(),
                   10, 0.05, "the reload of a bad route to be refused")
        r = self.b.api("messages/send_sms", {"phone": "501000004", "text": "still routed",
                                             "sender": "INFORMACJA", "details": True})
        self.wait_final([r["items"][0]["id"]])
        self.assertEqual(s.count("submit"), 3)

    def test_long_message_and_decimal_receipt_ids(self):
        s = self.smsc("decimal_receipt_ids", "no_receipt_tlvs", "duplicate_receipts",
                      "out_of_order_receipts")
        self.start(connector_toml("smsc-a", s.port, receipt_id_format="decimal")
                   + route_toml(["smsc-a"]))
        wait_until(lambda: self.bound("smsc-a"), 15, 0.05, "smsc-a to bind")
        ids = self.send(["500600700", "500600701"], text="x" * 400)  # 3 parts each
        rep = self.wait_final(ids)
        self.assertTrue(all(v["status"] == "delivered" for v in rep.values()), rep)
        self.assertEqual(s.count("submit"), 6)

    def test_failover_when_first_smsc_refuses_binds(self):
        bad = self.smsc("refuse_bind")
        good = self.smsc()
        self.start(connector_toml("smsc-bad", bad.port) + connector_toml("smsc-good", good.port)
                   + route_toml(["smsc-bad", "smsc-good"]))
        wait_until(lambda: self.bound("smsc-good"), 15, 0.05, "smsc-good to bind")
        ids = self.send(["500600700", "500600701", "500600702"])
        rep = self.wait_final(ids)
        self.assertTrue(all(v["status"] == "delivered" for v in rep.values()), rep)
        self.assertEqual(good.count("submit"), 3)
        self.assertEqual(bad.count("submit"), 0)
        self.assertGreater(bad.count("bind"), 0)

    def test_throttling_slows_down_and_delivers_everything(self):
        s = self.smsc("throttle=10")
        self.start(connector_toml("smsc-a", s.port, window=10) + route_toml(["smsc-a"]))
        wait_until(lambda: self.bound("smsc-a"), 15, 0.05, "smsc-a to bind")
        ids = self.send([f"5006007{i:02d}" for i in range(30)])
        rep = self.wait_final(ids, timeout=90)
        self.assertTrue(all(v["status"] == "delivered" for v in rep.values()), rep)
        self.assertGreater(s.count("throttled"), 0)

    def test_chaos_proxy_cuts_mid_window_nothing_lost(self):
        s = self.smsc("slow=30")
        proxy = ChaosProxy(s.port, cut_after_bytes=700, cuts=3)
        self.proxies.append(proxy)
        self.start(connector_toml("smsc-a", proxy.port, window=10) + route_toml(["smsc-a"]))
        wait_until(lambda: self.bound("smsc-a"), 15, 0.05, "smsc-a to bind")
        ids = self.send([f"5006008{i:02d}" for i in range(40)])
        rep = self.wait_final(ids, timeout=120)
        self.assertEqual(len(rep), 40)
        self.assertTrue(all(v["status"] == "delivered" for v in rep.values()),
                        {k: v["status"] for k, v in rep.items()})
        self.assertGreater(proxy.cuts_done, 0)

    @unittest.skipUnless(HAVE_NODE_SMPP, "node or npm smpp missing (scripts/install-deps.sh)")
    def test_node_smpp_smsc_as_independent_peer(self):
        node = subprocess.Popen(["node", os.path.join(ROOT, "tests", "support", "node_smsc.js")],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = json.loads(node.stdout.readline())["port"]
            self.start(connector_toml("node-smsc", port, receipt_id_format="decimal")
                       + route_toml(["node-smsc"]))
            wait_until(lambda: self.bound("node-smsc"), 15, 0.05, "node-smsc to bind")
            ids = self.send([f"5006009{i:02d}" for i in range(6)])
            rep = self.wait_final(ids)
            self.assertTrue(all(v["status"] == "delivered" for v in rep.values()), rep)
        finally:
            node.terminate()
            node.wait(timeout=10)
            node.stdout.close()


class ConnectorAdminTest(unittest.TestCase):
    def setUp(self):
        self.b = Bramka(demo=False)

    def tearDown(self):
        self.b.cleanup()

    def test_connector_and_route_add_keep_the_file_valid(self):
        self.b.admin("connector", "add", "smsc-x", "--host", "127.0.0.1", "--port", "2799",
                     "--system-id", "acme", "--password", "pw", "--tps", "20", "--window", "5")
        self.b.admin("route", "add", "--prefix", "+4850", "--type", "full", "--connector", "smsc-x",
                     "--connector", "simnet")
        out = self.b.admin("connector", "list").stdout
        self.assertIn("smsc-x", out)
        self.assertIn("127.0.0.1:2799", out)
        self.assertIn("not running", out)
        routes = self.b.admin("route", "list").stdout
        self.assertIn('"+4850"', routes)
        self.assertIn('"smsc-x", "simnet"', routes)
        # Mistakes are refused and leave the file as it was.
        with open(self.b.config) as f:
            before = f.read()
        self.assertNotEqual(self.b.admin("route", "add", "--connector", "nope", check=False).returncode, 0)
        self.assertNotEqual(self.b.admin("connector", "add", "smsc-x", "--host", "h", "--port", "1",
                                         "--system-id", "a", "--password", "b", check=False).returncode, 0)
        self.assertNotEqual(self.b.admin("connector", "add", "smsc-y", "--host", "h", "--port", "1",
                                         "--system-id", "a", "--password", "waytoolongpw",
                                         check=False).returncode, 0)
        with open(self.b.config) as f:
            self.assertEqual(f.read(), before)
        # The edited file serves.
        self.b.start()
        self.assertEqual(self.b.stop(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
