"""The SMPP server (issue 4) against node-smpp (npm `smpp`) as the customer's client: long
UCS-2 messages by UDH, flash, SMSECO, throttling, a wrong password, a disallowed IP, and a
delivery receipt held while the client is unbound and delivered when it binds again.
Loopback, port 0, bounded waits."""
import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402
from smpp_peers import ROOT, NodeEsme  # noqa: E402

HAVE_NODE_SMPP = shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "smpp"))
ESME_ROK, ESME_RINVPASWD, ESME_RBINDFAIL, ESME_RTHROTTLED = 0x00, 0x0E, 0x0D, 0x58


def concat_udh(ref, total, seq):
    return bytes([0x05, 0x00, 0x03, ref & 0xFF, total, seq])


@unittest.skipUnless(HAVE_NODE_SMPP, "node or npm smpp missing (scripts/install-deps.sh)")
class SmppNodeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka()
        cls.b.admin("smpp-user", "add", "demo", "--system-id", "slow", "--password", "slow",
                    "--tps", "2")
        cls.b.admin("smpp-user", "add", "demo", "--system-id", "fenced", "--password", "fenced",
                    "--allow-ip", "10.0.0.0/8")
        listed = cls.b.admin("smpp-user", "list").stdout
        assert "slow" in listed and "10.0.0.0/8" in listed and "demo" in listed, listed
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.b.stop()
        log = cls.b.read_log()
        cls.b.cleanup()
        assert code == 0, f"bramka serve exited {code}:\n{log}"

    def setUp(self):
        self.esmes = []

    def tearDown(self):
        for e in self.esmes:
            e.stop()

    def esme(self):
        e = NodeEsme()
        self.esmes.append(e)
        return e

    def full_units(self):
        items = self.b.api("account/limits")["items"]
        return [int(i["value"]) for i in items if i["type"] == "full"][0]

    def message(self, mid):
        r = self.b.api("messages/view", {"id": mid})
        return r

    def submit(self, e, wait=True, **pdu):
        base = {"source_addr": "Bramka", "dest_addr_ton": 1, "destination_addr": "48500600700"}
        base.update(pdu)
        hex_sm = base.pop("short_message_hex", None)
        kw = {"short_message_hex": hex_sm} if hex_sm is not None else {}
        return e.call("submit", pdu=base, **kw) if wait else e.send("submit", pdu=base, **kw)

    def test_wrong_password_is_refused(self):
        e = self.esme()
        self.assertEqual(e.connect_and_bind(self.b.smpp_port, "demo", "wrong"), ESME_RINVPASWD)

    def test_disallowed_ip_is_refused(self):
        e = self.esme()
        self.assertEqual(e.connect_and_bind(self.b.smpp_port, "fenced", "fenced"), ESME_RBINDFAIL)

    def test_long_ucs2_message_by_udh_is_one_message_billed_per_part(self):
        e = self.esme()
        self.assertEqual(e.connect_and_bind(self.b.smpp_port), ESME_ROK)
        before = self.full_units()
        text = "Zażółć gęślą jaźń — " * 6  # 120 UCS-2 characters: 2 parts of 67
        data = text.encode("utf-16-be")
        parts = [data[0:134], data[134:]]
        # Parts are answered together once the last one is stored (ADR 0005): send both first.
        sent = [self.submit(e, wait=False, esm_class=0x40, data_coding=8,
                            short_message_hex=(concat_udh(0x42, 2, i) + chunk).hex())
                for i, chunk in enumerate(parts, 1)]
        answers = [e.wait_reply(cid) for cid in sent]
        self.assertEqual([a["status"] for a in answers], [ESME_ROK, ESME_ROK])
        mid = answers[0]["message_id"]
        self.assertRegex(mid, r"^[0-9a-f]{10}$")
        self.assertEqual(answers[1]["message_id"], mid)
        m = self.message(mid)
        self.assertEqual(m.get("text"), text, m)
        self.assertEqual(before - self.full_units(), 2)  # billed per part

    def test_flash_and_smseco(self):
        e = self.esme()
        self.assertEqual(e.connect_and_bind(self.b.smpp_port), ESME_ROK)
        flash = self.submit(e, data_coding=0xF0, short_message_hex=b"Flash!".hex())
        self.assertEqual(flash["status"], ESME_ROK)
        eco = self.submit(e, source_addr="SMSECO", short_message_hex=b"Eco text".hex())
        self.assertEqual(eco["status"], ESME_ROK)
        self.assertEqual(self.message(eco["message_id"]).get("type"), "eco")
        self.assertIn(self.message(flash["message_id"]).get("type"), ("full",))
        unapproved = self.submit(e, source_addr="Nobody", short_message_hex=b"x".hex())
        self.assertEqual(unapproved["status"], 0x0A)  # ESME_RINVSRCADR

    def test_bind_gauge_in_metrics(self):
        e = self.esme()
        self.assertEqual(e.connect_and_bind(self.b.smpp_port), ESME_ROK)
        status, _, body = self.b.raw("/metrics", method="GET")
        self.assertEqual(status, 200)
        self.assertRegex(body.decode(), r"bramka_smpp_server_binds [1-9]")

    def test_tls_port(self):
        e = self.esme()
        self.assertTrue(self.b.smpp_tls_port)
        self.assertEqual(e.connect_and_bind(self.b.smpp_tls_port, tls=True), ESME_ROK)
        r = self.submit(e, short_message_hex=b"over TLS".hex())
        self.assertEqual(r["status"], ESME_ROK)
        self.assertEqual(self.message(r["message_id"]).get("text"), "over TLS")

    def test_throttling_beyond_tps(self):
        e = self.esme()
        self.assertEqual(e.connect_and_bind(self.b.smpp_port, "slow", "slow"), ESME_ROK)
        statuses = [self.submit(e, short_message_hex=b"t".hex())["status"] for _ in range(6)]
        self.assertIn(ESME_RTHROTTLED, statuses, statuses)
        self.assertIn(ESME_ROK, statuses, statuses)

    def test_receipt_held_while_unbound_survives_restart_then_delivered(self):
        tx = self.esme()
        self.assertEqual(tx.connect_and_bind(self.b.smpp_port, kind="transmitter"), ESME_ROK)
        r = self.submit(tx, registered_delivery=1, short_message_hex=b"Receipt please".hex())
        self.assertEqual(r["status"], ESME_ROK)
        mid = r["message_id"]
        self.assertTrue(tx.call("unbind")["ok"])
        wait_until(lambda: self.message(mid).get("status") == "delivered", 30,
                   what="the message to be delivered by simnet")
        # The receipt waits in the durable outbox, also across a restart of bramka.
        self.assertEqual(self.b.stop(), 0)
        self.b.start()
        rx = self.esme()
        self.assertEqual(rx.connect_and_bind(self.b.smpp_port, kind="receiver"), ESME_ROK)
        delivers = rx.wait_event("deliver", 1, timeout=20)
        mine = [d for d in delivers if d.get("receipted_message_id") == mid]
        self.assertTrue(mine, delivers)
        self.assertEqual(mine[0]["esm_class"], 4)
        self.assertEqual(mine[0]["message_state"], 2)
        self.assertIn(f"id:{mid} ", mine[0]["short_message"])
        self.assertIn("stat:DELIVRD", mine[0]["short_message"])


if __name__ == "__main__":
    unittest.main()
