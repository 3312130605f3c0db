"""Inbound messages through a real SMPP hop (issue 6): an independent node-smpp SMSC
(tests/support/node_smsc.js) sends deliver_sm MO to bramka's SMPP connector; bramka
routes them (number, keyword, reply to an ECO message sent from the pool through that
SMSC, unmatched -> operator inbox), reassembles a multipart message (UDH), stores
them before it acknowledges (deliver_sm_resp ESME_ROK), and fans them out as
deliver_sm to the account's node-smpp receiver bind on bramka's SMPP server."""
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import Bramka, wait_until  # noqa: E402
from smsc import connector_toml, route_toml  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
HAVE_NODE_SMPP = shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "smpp"))
if HAVE_NODE_SMPP:
    from smpp_peers import NodeEsme  # noqa: E402


class NodeSmsc:
    def __init__(self):
        self.proc = subprocess.Popen(["node", os.path.join(ROOT, "tests", "support", "node_smsc.js")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.port = json.loads(self.proc.stdout.readline())["port"]
        self.events = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.events.put(json.loads(line))

    def _drain(self):
        while True:
            try:
                self.seen.append(self.events.get_nowait())
            except queue.Empty:
                return

    def find(self, **want):
        self._drain()
        return [e for e in self.seen if all(e.get(k) == v for k, v in want.items())]

    def mo(self, frm, to, text, udh_hex=None):
        m = {"from": frm, "to": to, "text": text}
        if udh_hex:
            m["udh_hex"] = udh_hex
        self.proc.stdin.write(json.dumps({"mo": m}) + "\n")
        self.proc.stdin.flush()

    def stop(self):
        self.proc.stdin.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@unittest.skipUnless(HAVE_NODE_SMPP, "node or npm smpp missing (scripts/install-deps.sh)")
class InboundSmppTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smsc = NodeSmsc()
        cls.b = Bramka(extra_config=connector_toml("node-smsc", cls.smsc.port)
                       + route_toml(["node-smsc"]))
        b = cls.b
        b.admin("account", "add", "other", "--password", "other-pass", "--eco", "100",
                "--full", "100")
        cls.other = b.admin("token", "add", "other").stdout.strip()
        b.admin("smpp-user", "add", "other", "--system-id", "other", "--password", "other")
        b.admin("inbound", "add", "--kind", "ndi", "--number", "+48500000101", "--account", "demo")
        b.admin("inbound", "add", "--kind", "nd", "--number", "+48500000100", "--keyword", "PIZZA",
                "--account", "demo")
        b.admin("inbound", "add", "--kind", "premium", "--number", "71200", "--account", "other",
                "--answers", "1")
        b.admin("inbound", "add", "--kind", "pool", "--number", "+48500000200")
        b.start()
        wait_until(lambda: cls.smsc.find(event="bind"), 15, what="bramka to bind to the node SMSC")
        # The accounts' own SMPP clients, bound as receivers to bramka's SMPP server.
        cls.esme = NodeEsme()
        assert cls.esme.connect_and_bind(b.smpp_port, kind="receiver") == 0
        cls.esme_other = NodeEsme()
        assert cls.esme_other.connect_and_bind(b.smpp_port, "other", "other", kind="receiver") == 0

    @classmethod
    def tearDownClass(cls):
        cls.esme.stop()
        cls.esme_other.stop()
        cls.b.cleanup()
        cls.smsc.stop()

    def acked(self, text):
        wait_until(lambda: self.smsc.find(event="mo_resp", text=text), 15,
                   what=f"deliver_sm_resp for {text!r}")
        return self.smsc.find(event="mo_resp", text=text)[0]["status"]

    def inbox_texts(self, token="demo"):
        return {i["text"]: i for i in
                self.b.api("messages/recived", {"limit": 500}, token=token)["items"]}

    @staticmethod
    def wait_deliver(esme, text, timeout=15.0):
        """The MO deliver_sm (esm_class 0) with this text on the ESME's bind."""
        deadline = time.monotonic() + timeout
        while True:
            for e in esme.events:
                if e["event"] == "deliver" and e["esm_class"] == 0 and e["short_message"] == text:
                    return e
            if time.monotonic() >= deadline:
                raise AssertionError(f"no MO deliver_sm {text!r} within {timeout}s")
            esme._pump(min(deadline, time.monotonic() + 0.2))

    def test_ndi_and_keyword_through_smpp_fan_out_to_the_bind(self):
        self.smsc.mo("48600100001", "48500000101", "hello over smpp")
        self.smsc.mo("48600100001", "48500000100", "pizza margherita")
        self.assertEqual(self.acked("hello over smpp"), 0)
        self.assertEqual(self.acked("pizza margherita"), 0)
        inbox = self.inbox_texts()
        self.assertEqual(inbox["hello over smpp"]["type"], "ndi")
        self.assertEqual(inbox["hello over smpp"]["phone"], "+48600100001")
        self.assertEqual(inbox["pizza margherita"]["type"], "nd")
        # MO as deliver_sm on the account's receiver bind.
        d = self.wait_deliver(self.esme, "hello over smpp")
        self.wait_deliver(self.esme, "pizza margherita")
        self.assertEqual(d["source_addr"], "48600100001")
        self.assertEqual(d["destination_addr"], "48500000101")
        # Isolation: the other account's bind gets none of them.
        self.assertFalse([e for e in self.esme_other.events
                          if e.get("short_message") in ("hello over smpp", "pizza margherita")])
        self.assertNotIn("hello over smpp", self.inbox_texts(self.other))

    def test_multipart_incoming_is_reassembled(self):
        # Part 2 first: reassembly does not depend on the order.
        self.smsc.mo("48600100002", "48500000101", "second half.", udh_hex="050003A70202")
        self.smsc.mo("48600100002", "48500000101", "First half, ", udh_hex="050003A70201")
        self.acked("second half.")
        self.acked("First half, ")
        wait_until(lambda: "First half, second half." in self.inbox_texts(), 15,
                   what="the reassembled message")
        self.assertNotIn("second half.", self.inbox_texts())

    def test_reply_to_eco_sent_through_the_smsc(self):
        r = self.b.api("messages/send_sms", {"phone": "+48600100003", "text": "Czy potwierdzasz?",
                                             "details": True})
        msg_id = r["items"][0]["id"]
        wait_until(lambda: self.smsc.find(event="submit", dest="48600100003"), 15,
                   what="the ECO submit at the SMSC")
        submit = self.smsc.find(event="submit", dest="48600100003")[0]
        self.assertEqual(submit["src"], "48500000200")  # from the reply pool
        self.smsc.mo("48600100003", "48500000200", "TAK")
        self.assertEqual(self.acked("TAK"), 0)
        item = self.inbox_texts()["TAK"]
        self.assertEqual(item["type"], "eco")
        self.assertEqual(item["message_id"], msg_id)

    def test_unmatched_and_premium(self):
        self.smsc.mo("48600100004", "48500000999", "nobody home")
        self.assertEqual(self.acked("nobody home"), 0)
        self.assertIn("nobody home", self.b.admin("inbound", "inbox").stdout)
        self.smsc.mo("48600100004", "71200", "premium over smpp")
        self.acked("premium over smpp")
        pre = [i for i in self.b.api("premium/index", token=self.other)["items"]
               if i["text"] == "premium over smpp"][0]
        params = {"phone": "48600100004", "text": "odp", "gate": "71200", "id": pre["id"]}
        self.assertTrue(self.b.api("premium/send", params, token=self.other)["success"])
        self.assertEqual(self.b.api("premium/send", params, token=self.other)["error"]["code"], 4201)
        d = self.wait_deliver(self.esme_other, "premium over smpp")
        self.assertEqual(d["destination_addr"], "71200")


@unittest.skipUnless(HAVE_NODE_SMPP, "node or npm smpp missing (scripts/install-deps.sh)")
class InboundSmppCrashTest(unittest.TestCase):
    def test_part_acknowledged_before_a_kill9_is_not_lost(self):
        smsc = NodeSmsc()
        b = Bramka(extra_config=connector_toml("node-smsc", smsc.port) + route_toml(["node-smsc"]))
        try:
            b.admin("inbound", "add", "--kind", "ndi", "--number", "+48500000101", "--account",
                    "demo")
            b.start()
            wait_until(lambda: smsc.find(event="bind"), 15, what="the first bind")
            smsc.mo("48600100009", "48500000101", "Part one, ", udh_hex="050003B10201")
            wait_until(lambda: smsc.find(event="mo_resp", text="Part one, "), 15,
                       what="part 1 acknowledged")
            self.assertEqual(smsc.find(event="mo_resp", text="Part one, ")[0]["status"], 0)
            b.kill9()
            binds = len(smsc.find(event="bind"))
            b.start()
            wait_until(lambda: len(smsc.find(event="bind")) > binds, 15, what="the rebind")
            smsc.mo("48600100009", "48500000101", "part two.", udh_hex="050003B10202")

            def whole():
                items = b.api("messages/recived", {"limit": 50})["items"]
                return [i for i in items if i["text"] == "Part one, part two."]
            wait_until(whole, 15, what="the message completed after the restart")
            self.assertEqual(len(whole()), 1)
            self.assertEqual(b.stop(), 0)
        finally:
            b.cleanup()
            smsc.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
