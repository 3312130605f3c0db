"""End to end through the real binary: a message goes in over HTTP(S) and comes
out delivered by the simulated network (issue: foundation)."""
import os
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Bramka, wait_until  # noqa: E402


class FoundationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Fast simulated network so reports settle within the test.
        cls.b = Bramka()
        with open(cls.b.config) as f:
            text = f.read().replace("receipt_delay_ms = 500", "receipt_delay_ms = 50")
        with open(cls.b.config, "w") as f:
            f.write(text)
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.b.stop()
        log = cls.b.read_log()
        cls.b.cleanup()
        assert code == 0, f"bramka serve exited {code} on SIGTERM:\n{log}"

    def report(self, message_id):
        r = self.b.api("messages/reports", {"id": [message_id]})
        self.assertEqual(len(r["items"]), 1, r)
        return r["items"][0]

    def wait_status(self, message_id, status, timeout=15):
        return wait_until(lambda: self.report(message_id)["status"] == status and self.report(message_id),
                          timeout, 0.05, f"message {message_id} to become {status}")

    def test_send_json_with_token_is_delivered(self):
        r = self.b.api("messages/send_sms.json", {"phone": ["500600700", "+48600700800"],
                                                  "text": "Test FULL message", "sender": "INFORMACJA",
                                                  "details": True, "system": "client_php",
                                                  "unique_id": None})
        self.assertIs(r["success"], True)
        self.assertEqual((r["queued"], r["unsent"]), (2, 0))
        self.assertEqual([i["phone"] for i in r["items"]], ["+48500600700", "+48600700800"])
        for item in r["items"]:
            self.assertRegex(item["id"], r"^[0-9a-f]{10}$")
            self.assertEqual(item["status"], "queued")
            self.assertEqual(item["parts"], 1)
        first = self.report(r["items"][0]["id"])
        self.assertIn(first["status"], ("in_progress", "sent", "delivered"))
        done = self.wait_status(r["items"][0]["id"], "delivered")
        self.assertEqual(done["sender"], "INFORMACJA")
        self.assertEqual(done["type"], "full")
        view = self.b.api("messages/view", {"id": r["items"][0]["id"]})
        self.assertEqual(view["status"], "delivered")
        self.assertRegex(view["delivered"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")

    def test_send_form_with_username_password(self):
        r = self.b.api("messages/send_sms", {"phone": ["500600701"], "text": "form body",
                                             "details": True, "system": "client_nodejs"},
                       token=None, form=True, credentials=("demo", "demo"))
        self.assertIs(r["success"], True)
        self.assertEqual(r["queued"], 1)
        self.wait_status(r["items"][0]["id"], "delivered")

    def test_without_details_there_are_no_items(self):
        r = self.b.api("messages/send_sms", {"phone": "500600702", "text": "x"})
        self.assertEqual(r["queued"], 1)
        self.assertNotIn("items", r)

    def test_schedule_and_delete(self):
        r = self.b.api("messages/send_sms", {"phone": "500600703", "text": "later", "details": True,
                                             "date": "2099-01-01 10:00:00"})
        mid = r["items"][0]["id"]
        self.assertEqual(self.report(mid)["status"], "saved")
        d = self.b.api("messages/delete", {"id": [mid]})
        self.assertEqual(d, {"success": True, "correct": 1, "failed": 0})
        again = self.b.api("messages/delete", {"id": mid})
        self.assertIs(again["success"], False)

    def test_eco_text_is_transliterated(self):
        r = self.b.api("messages/send_sms", {"phone": "500600704", "text": "Zażółć gęślą jaźń",
                                             "details": True})
        self.assertEqual(r["items"][0]["text"], "Zazolc gesla jazn")
        self.assertEqual(self.report(r["items"][0]["id"])["type"], "eco")

    def test_918_gsm_characters_make_6_parts_and_919_is_refused(self):
        r = self.b.api("messages/send_sms", {"phone": "500600705", "text": "a" * 918, "details": True})
        self.assertEqual(r["items"][0]["parts"], 6)
        e = self.b.api("messages/send_sms", {"phone": "500600705", "text": "a" * 919})
        self.assertEqual(e["error"]["code"], 3102)
        self.assertEqual(e["error"]["type"], "SendError")

    def test_wrong_token_is_1001_with_http_200(self):
        status, _, body = self.b.raw("/messages/send_sms.json", b'{"phone":"500600700","text":"x"}',
                                     {"Authorization": "Bearer 0123456789abcdef0123456789abcdef",
                                      "Content-Type": "application/json"})
        self.assertEqual(status, 200)
        import json
        self.assertEqual(json.loads(body)["error"]["code"], 1001)
        r = self.b.api("account/limits", token=None, credentials=("demo", "wrong"))
        self.assertEqual(r["error"]["code"], 1001)

    def test_xml_suffix_gives_well_formed_xml(self):
        status, body = self.b.api("account/limits", {"show_type": True}, fmt=".xml")
        self.assertEqual(status, 200)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, "response")
        self.assertEqual(root.find("items/item/type").text, "eco")
        status, body = self.b.api("account/limits", token="ffffffffffffffffffffffffffffffff", fmt=".xml")
        err = ET.fromstring(body)
        self.assertEqual((err.tag, err.find("code").text), ("error", "1001"))

    def test_limits_in_client_order(self):
        r = self.b.api("account/limits", {"show_type": True})
        self.assertEqual([i["type"] for i in r["items"]][:2], ["eco", "full"])
        self.assertIn("account", r)

    def test_unknown_action_and_error_preview(self):
        self.assertEqual(self.b.api("messages/nope")["error"]["code"], 1000)
        self.assertEqual(self.b.api("error/3102")["error"]["code"], 3102)

    def test_https_with_the_generated_certificate(self):
        r = self.b.api("account/limits", https=True)
        self.assertIn("items", r)

    def test_metrics_and_health(self):
        status, _, body = self.b.raw("/metrics", method="GET")
        self.assertEqual(status, 200)
        self.assertIn(b"bramka_messages", body)
        status, _, _ = self.b.raw("/healthz", method="GET")
        self.assertEqual(status, 200)

    def test_undeliverable_prefix_ends_undelivered(self):
        r = self.b.api("messages/send_sms", {"phone": "+48600000101", "text": "x", "details": True})
        done = self.wait_status(r["items"][0]["id"], "undelivered")
        self.assertTrue(done.get("reason"))


class AdminCliTest(unittest.TestCase):
    def setUp(self):
        self.b = Bramka(demo=False)

    def tearDown(self):
        self.b.cleanup()

    def test_accounts_tokens_senders(self):
        self.b.admin("account", "add", "acme", "--password", "pw1", "--eco", "10", "--full", "5")
        listing = self.b.admin("account", "list").stdout
        self.assertIn("acme", listing)
        self.assertIn("eco=10", listing)
        self.b.admin("account", "topup", "acme", "--eco", "5")
        self.assertIn("eco=15", self.b.admin("account", "list").stdout)
        token = self.b.admin("token", "add", "acme").stdout.strip()
        self.assertRegex(token, r"^[0-9a-f]{32}$")
        self.b.admin("sender", "approve", "acme", "ACME")
        self.b.admin("account", "passwd", "acme", "--password", "pw2")
        dup = self.b.admin("account", "add", "acme", "--password", "x", check=False)
        self.assertNotEqual(dup.returncode, 0)
        self.assertIn("acme", dup.stderr)
        self.b.start()
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "hi", "sender": "ACME"},
                       token=token)
        self.assertEqual(r["queued"], 1, r)
        r = self.b.api("account/limits", token=None, credentials=("acme", "pw2"))
        self.assertEqual(r["items"][1]["value"], "4")
        self.b.admin("sender", "reject", "acme", "ACME")
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "hi", "sender": "ACME"},
                       token=token)
        self.assertIn("error", r)
        self.assertEqual(self.b.stop(), 0)

    def test_unknown_config_key_is_refused_with_its_name(self):
        with open(self.b.config, "a") as f:
            f.write("\n[extra]\nfoo = 1\n")
        r = subprocess.run([BIN, "serve", "--config", self.b.config], capture_output=True, text=True,
                           timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("unknown key 'extra'", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
