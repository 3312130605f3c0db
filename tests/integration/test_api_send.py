"""API v2 sending actions beyond send_sms (issue 3): send_personalized in every
wire shape real clients use, send_voice (text-to-speech), and their errors."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402


class SendActionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka().start()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def check_pair(self, r):
        self.assertIs(r.get("success"), True, r)
        self.assertEqual(r["queued"], 2)
        self.assertEqual([(i["phone"], i["text"]) for i in r["items"]],
                         [("+48500600700", "Pierwsza"), ("+48600700800", "Druga: z dwukropkiem")])
        for item in r["items"]:
            view = self.b.api("messages/view", {"id": item["id"]})
            self.assertEqual(view["text"], item["text"])
            self.assertEqual(view["sender"], "INFORMACJA")

    def test_personalized_json_array(self):  # PHP v2, Ruby, Symfony
        self.check_pair(self.b.api("messages/send_personalized", {
            "messages": [{"phone": "500600700", "text": "Pierwsza"},
                         {"phone": "600700800", "text": "Druga: z dwukropkiem"}],
            "sender": "INFORMACJA", "details": True}))

    def test_personalized_form_brackets(self):  # Node
        body = ("messages%5B0%5D%5Bphone%5D=500600700&messages%5B0%5D%5Btext%5D=Pierwsza&"
                "messages%5B1%5D%5Bphone%5D=600700800&messages%5B1%5D%5Btext%5D=Druga%3A+z+dwukropkiem&"
                "sender=INFORMACJA&details=1&username=demo&password=demo&system=client_nodejs")
        status, _, data = self.b.raw("/messages/send_personalized", body.encode(),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
        import json
        self.assertEqual(status, 200)
        self.check_pair(json.loads(data))

    def test_personalized_separator_strings(self):  # Java, C#/Perl (trailing), Python (quote)
        for wire in ("500600700:Pierwsza]|[600700800:Druga: z dwukropkiem",
                     "500600700:Pierwsza]|[600700800:Druga: z dwukropkiem]|[",
                     '500600700:Pierwsza]|["600700800:Druga: z dwukropkiem'):
            with self.subTest(wire=wire):
                self.check_pair(self.b.api("messages/send_personalized", {
                    "messages": wire, "sender": "INFORMACJA", "details": "true"}))

    def test_reports_list_one_requests_recipients_in_their_order(self):  # ADR 0054
        phones = ["500600703", "500600701", "500600702", "500600709"]
        r = self.b.api("messages/send_sms", {"phone": phones, "text": "order", "details": True})
        self.assertEqual(r["queued"], 4, r)
        ids = [i["id"] for i in r["items"]]
        expected = ["+48" + p for p in phones]
        for order, want in (("asc", expected), ("desc", expected[::-1])):
            # Asked for by id in another order: the answer's order is the store's.
            page = self.b.api("messages/reports", {"id": sorted(ids), "order": order})
            self.assertEqual([i["phone"] for i in page["items"]], want, order)

    def test_personalized_errors(self):
        r = self.b.api("messages/send_personalized", {"sender": "INFORMACJA"})
        self.assertEqual(r["error"]["code"], 2000)
        r = self.b.api("messages/send_personalized", {"messages": "500600700 no colon"})
        self.assertEqual(r["error"]["code"], 1006)
        self.assertIn("phone:text", r["error"]["message"])
        r = self.b.api("messages/send_personalized", {
            "messages": [{"phone": "500600700", "text": "ok"}, {"phone": "12", "text": "bad number"}],
            "details": True})
        self.assertEqual((r["queued"], r["unsent"]), (1, 1))
        self.assertEqual(r["items"][1]["error_code"], 2001)

    def test_voice_text_to_speech(self):
        r = self.b.api("messages/send_voice", {"phone": "500600700", "text": "Test message",
                                               "details": True})
        self.assertEqual(r["queued"], 1, r)
        view = self.b.api("messages/view", {"id": r["items"][0]["id"]})
        self.assertEqual(view["type"], "voice")
        limits = self.b.api("account/limits")["items"]
        self.assertEqual(limits[2]["type"], "voice")
        self.assertEqual(limits[2]["value"], "99")
        r = self.b.api("messages/send_voice", {"phone": "500600700", "text": "x" * 161})
        self.assertEqual(r["error"]["code"], 3102)
        r = self.b.api("messages/send_voice", {"phone": "500600700"})
        self.assertEqual(r["error"]["code"], 2000)


    def test_phones_test(self):
        self.assertEqual(self.b.api("phones/test", {"phone": "500600700"}), {"correct": True})
        self.assertEqual(self.b.api("phones/test", {"phone": "+48 600 700 800"}), {"correct": True})
        self.assertEqual(self.b.api("phones/test", {"phone": "12345"}), {"correct": False})
        self.assertEqual(self.b.api("phones/test", {})["error"]["code"], 2000)


if __name__ == "__main__":
    unittest.main(verbosity=2)
