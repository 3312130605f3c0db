"""send_sms with a Bearer token, login and submit read together (issue 11, docs/adr/0038).

The answers must be exactly those of the login followed by the send: a refused login wins
over a bad request (1001 before 2000), the request's errors after a good login, the
allowlist and a new token take effect at the next request on an already open keep-alive
connection, and another account's token sends as that account. JSON and form bodies."""
import http.client
import json
import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402


def code(r):
    return r.get("error", {}).get("code")


class HttpTokenSendTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka().start()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def new_account(self, name):
        """A second main account with eco units and an API token for it."""
        self.b.admin("account", "add", name, "--password", name + "-pass", "--eco", "10")
        return self.b.admin("token", "add", name).stdout.strip()

    def test_happy_path_json_and_form(self):
        for form in (False, True):
            with self.subTest(form=form):
                r = self.b.api("messages/send_sms", {"phone": ["500600700", "12"], "text": "hi",
                                                     "details": True}, form=form)
                self.assertTrue(r.get("success"), r)
                self.assertEqual((r["queued"], r["unsent"]), (1, 1), r)
                self.assertEqual(r["items"][0]["status"], "queued")
                self.assertEqual(r["items"][1]["status"], "unsent")
                self.assertIn("error_code", r["items"][1])
                view = self.b.api("messages/view", {"id": r["items"][0]["id"]})
                self.assertEqual(view["phone"], "+48500600700")

    def test_refused_login_comes_before_the_request_errors(self):
        for form in (False, True):
            with self.subTest(form=form):
                # wrong token: 1001, with a good request and with a bad one
                self.assertEqual(code(self.b.api("messages/send_sms", {"phone": "500600700",
                                                                       "text": "x"},
                                                 token="0" * 32, form=form)), 1001)
                self.assertEqual(code(self.b.api("messages/send_sms", {"text": "x"},
                                                 token="1" * 32, form=form)), 1001)
                # good token: the request's own errors, naming what is wrong
                r = self.b.api("messages/send_sms", {"text": "x"}, form=form)
                self.assertEqual(code(r), 2000, r)
                self.assertIn("phone", r["error"]["message"])
                r = self.b.api("messages/send_sms", {"phone": "500600700"}, form=form)
                self.assertEqual(code(r), 2000, r)
                self.assertIn("text", r["error"]["message"])
                r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "x",
                                                     "sender": "NOTMINE"}, form=form)
                self.assertNotIn("success", r)
                self.assertIsNotNone(code(r), r)

    def test_other_account_sends_as_itself(self):
        beta = self.new_account("beta")
        r = self.b.api("messages/send_sms", {"phone": "500600701", "text": "beta's",
                                             "details": True}, token=beta)
        self.assertEqual(r.get("queued"), 1, r)
        mid = r["items"][0]["id"]
        self.assertEqual(code(self.b.api("messages/view", {"id": mid})), 1004)
        self.assertEqual(self.b.api("messages/view", {"id": mid}, token=beta)["id"], mid)

    def test_changes_apply_to_an_open_connection(self):
        # One keep-alive connection throughout: nothing about the login is kept on it.
        conn = http.client.HTTPConnection("127.0.0.1", self.b.http_port, timeout=30)
        self.addCleanup(conn.close)
        token = self.new_account("walled2")

        def send(form):
            headers = {"Authorization": "Bearer " + token}
            if form:
                body = urllib.parse.urlencode({"phone": "500600702", "text": "x"})
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                body = json.dumps({"phone": "500600702", "text": "x"})
                headers["Content-Type"] = "application/json"
            conn.request("POST", "/messages/send_sms", body=body, headers=headers)
            resp = conn.getresponse()
            self.assertFalse(resp.will_close)
            return json.loads(resp.read())

        self.assertEqual(send(False).get("queued"), 1)
        self.b.admin("account", "allow-ip", "walled2", "10.0.0.0/8")
        self.assertEqual(code(send(False)), 1003)
        self.assertEqual(code(send(True)), 1003)
        self.b.admin("account", "allow-ip", "walled2")
        self.assertEqual(send(True).get("queued"), 1)


if __name__ == "__main__":
    unittest.main()
