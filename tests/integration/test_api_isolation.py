"""Tenant isolation of messages across two main accounts (issue 3): B can neither see nor
change A's messages, by id or by unique_id, in view, reports, delete or stats; the same
unique_id in both accounts makes two independent messages."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402


class IsolationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka().start()
        cls.b.admin("account", "add", "beta", "--password", "beta-pass", "--eco", "100")
        cls.beta = cls.b.admin("token", "add", "beta").stdout.strip()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def send(self, token, **params):
        params.setdefault("text", "isolation")
        params["details"] = True
        r = self.b.api("messages/send_sms", params, token=token)
        self.assertEqual(r.get("queued"), 1, r)
        return r["items"][0]["id"]

    def test_b_cannot_see_or_cancel_a_scheduled_message(self):
        a_id = self.send("demo", phone="500600700", date="2099-01-01 10:00:00", unique_id="ua01")
        for form in (False, True):
            with self.subTest(form=form):
                r = self.b.api("messages/view", {"id": a_id}, token=self.beta, form=form)
                self.assertEqual(r["error"]["code"], 1004)
                r = self.b.api("messages/view", {"unique_id": "ua01"}, token=self.beta, form=form)
                self.assertEqual(r["error"]["code"], 1004)
                r = self.b.api("messages/reports", {"id": [a_id]}, token=self.beta, form=form)
                self.assertEqual(r["items"], [])
        r = self.b.api("messages/delete", {"id": [a_id]}, token=self.beta)
        self.assertNotEqual(r.get("correct"), 1, r)
        self.assertEqual(self.b.api("messages/view", {"id": a_id})["status"], "saved")
        # The owner still can.
        r = self.b.api("messages/delete", {"id": [a_id]})
        self.assertEqual(r.get("correct"), 1, r)

    def test_same_unique_id_in_two_accounts_is_two_messages(self):
        a_id = self.send("demo", phone="500600701", unique_id="shared1")
        b_id = self.send(self.beta, phone="500600701", unique_id="shared1")
        self.assertNotEqual(a_id, b_id)
        self.assertEqual(self.b.api("messages/view", {"unique_id": "shared1"})["id"], a_id)
        self.assertEqual(self.b.api("messages/view", {"unique_id": "shared1"},
                                    token=self.beta)["id"], b_id)

    def test_reports_and_stats_list_only_the_callers_messages(self):
        self.send("demo", phone="500600702", text="only alpha")
        self.send(self.beta, phone="500600703", text="only beta")
        texts = [m["text"] for m in self.b.api("messages/reports", {"limit": 500},
                                               token=self.beta)["items"]]
        self.assertIn("only beta", texts)
        self.assertNotIn("only alpha", texts)
        stats = [s["text"] for s in self.b.api("stats/index", {}, token=self.beta)["items"]]
        self.assertNotIn("only alpha", stats)


if __name__ == "__main__":
    unittest.main()
