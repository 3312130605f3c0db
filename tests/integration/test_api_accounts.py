"""API v2 account-level actions (issue 3, docs/adr/0008) through the real binary:
subaccounts/*, senders/add|index, account/add|help|messages, the per-account IP
allowlist (1003), failed-login throttling (1012) and request size limits."""
import json
import os
import re
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402


def configure(b, replacements):
    """Rewrites `key = value` lines of the generated bramka.toml."""
    with open(b.config) as f:
        text = f.read()
    for key, value in replacements.items():
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text, count=1)
        assert n == 1, key
    with open(b.config, "w") as f:
        f.write(text)


def code(r):
    return r.get("error", {}).get("code", 0)


class AccountsApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka()
        configure(cls.b, {
            "max_failures_per_address": "0",
            "max_failures_per_username": "3",
            "max_body_bytes": "65536",
            "telephone": '"+48 22 100 20 30"',
            "maintainer_name": '"Anna Nowak"',
            "faq": '"https://example.invalid/faq"',
        })
        cls.b.start()
        cls.b.admin("account", "add", "other", "--password", "otherpw", "--eco", "10",
                    "--full", "5")

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def demo(self, action, params=None, form=False, fmt=""):
        return self.b.api(action, params, credentials=("demo", "demo"), form=form, fmt=fmt)

    def other(self, action, params=None, form=False):
        return self.b.api(action, params, credentials=("other", "otherpw"), form=form)

    def new_sub(self, login, form=False, **extra):
        params = {"subaccount_username": login, "subaccount_password": "haslo1", **extra}
        r = self.b.api("subaccounts/add", params, form=form)
        self.assertIs(r.get("success"), True, r)
        self.assertIsInstance(r["id"], int)
        return r["id"]

    # ---- subaccounts ---------------------------------------------------------------
    def test_subaccounts_happy_path_json(self):
        sid = self.new_sub("wojtek", name="Wojciech", phone="730856000", email="wojtek@mail.com")
        index = self.b.api("subaccounts/index")
        self.assertIn({"id": sid, "username": "wojtek"}, index["items"])
        self.assertEqual(self.b.api("subaccounts/view", {"id": sid}),
                         {"id": sid, "username": "wojtek", "name": "Wojciech",
                          "phone": "+48730856000", "email": "wojtek@mail.com"})
        self.assertEqual(self.b.api("subaccounts/limit", {"id": sid, "type": "eco", "value": 200}),
                         {"success": True, "id": sid})
        self.assertEqual(self.b.api("subaccounts/delete", {"id": sid}), {"success": True})
        self.assertNotIn(sid, [i["id"] for i in self.b.api("subaccounts/index")["items"]])
        self.assertEqual(code(self.b.api("subaccounts/view", {"id": sid})), 1004)
        # A deleted subaccount cannot log in.
        r = self.b.api("account/limits", credentials=("wojtek", "haslo1"))
        self.assertEqual(code(r), 1001)

    def test_subaccounts_happy_path_form(self):
        sid = self.new_sub("formsub", form=True, name="Form", email="f@mail.com")
        self.assertEqual(self.b.api("subaccounts/view", {"id": str(sid)}, form=True)["username"],
                         "formsub")
        self.assertIn({"id": sid, "username": "formsub"},
                      self.b.api("subaccounts/index", {}, form=True)["items"])
        status, xml = self.b.api("subaccounts/index", fmt=".xml")
        self.assertEqual(status, 200)
        self.assertIn(b"<username>formsub</username>", xml)
        self.assertEqual(self.b.api("subaccounts/limit", {"id": str(sid), "type": "full",
                                                          "value": "5"}, form=True),
                         {"success": True, "id": sid})
        self.assertEqual(self.b.api("subaccounts/delete", {"id": str(sid)}, form=True),
                         {"success": True})

    def test_subaccounts_bad_input(self):
        self.new_sub("taken1")
        for form in (False, True):
            with self.subTest(form=form):
                api = lambda a, p: self.b.api(a, p, form=form)  # noqa: E731
                r = api("subaccounts/add", {"subaccount_password": "x"})
                self.assertEqual(code(r), 2000)
                self.assertIn("subaccount_username", r["error"]["message"])
                self.assertEqual(code(api("subaccounts/add", {"subaccount_username": "taken1",
                                                              "subaccount_password": "x"})), 4502)
                self.assertEqual(code(api("subaccounts/add", {"subaccount_username": "t2",
                                                              "subaccount_password": "x",
                                                              "subaccount_id": 123})), 4500)
                self.assertEqual(code(api("subaccounts/add", {"subaccount_username": "bad name",
                                                              "subaccount_password": "x"})), 1006)
                self.assertEqual(code(api("subaccounts/view", {"id": 123})), 1004)
                self.assertEqual(code(api("subaccounts/view", {"id": "abc"})), 1006)
                self.assertEqual(code(api("subaccounts/view", {})), 2000)
                self.assertEqual(code(api("subaccounts/limit", {"id": 1, "type": "sms",
                                                                "value": 1})), 1006)
                self.assertEqual(code(api("subaccounts/limit", {"id": 1, "type": "eco"})), 2000)
                self.assertEqual(api("subaccounts/limit", {"id": 99999, "type": "eco",
                                                           "value": 1}), {"success": False})
                self.assertEqual(api("subaccounts/delete", {"id": 99999}), {"success": False})

    def test_subaccount_logs_in_and_sends_within_its_limit(self):
        sid = self.new_sub("sender1")
        creds = ("sender1", "haslo1")
        eco_before = int(self.b.api("account/limits")["items"][0]["value"])
        self.assertEqual(self.b.api("subaccounts/limit", {"id": sid, "type": "eco", "value": 2}),
                         {"success": True, "id": sid})
        self.assertEqual(int(self.b.api("account/limits")["items"][0]["value"]), eco_before - 2)
        limits = self.b.api("account/limits", credentials=creds)
        self.assertEqual(limits["items"][0], {"type": "eco", "chars_limit": "918/6", "value": "2"})
        for text in ("one", "two"):
            r = self.b.api("messages/send_sms", {"phone": "500600700", "text": text},
                           credentials=creds)
            self.assertEqual(r.get("queued"), 1, r)
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "three"},
                       credentials=creds, form=True)
        self.assertEqual(code(r), 3000, r)
        # FULL with the parent's approved sender, within a FULL limit of 1.
        self.b.api("subaccounts/limit", {"id": sid, "type": "full", "value": 1})
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "full",
                                             "sender": "INFORMACJA"}, credentials=creds)
        self.assertEqual(r.get("queued"), 1, r)
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "full",
                                             "sender": "INFORMACJA"}, credentials=creds)
        self.assertEqual(code(r), 3002, r)
        # More than the parent has: 4503, nothing moved.
        self.assertEqual(code(self.b.api("subaccounts/limit",
                                         {"id": sid, "type": "eco", "value": 10 ** 9})), 4503)
        # With the subaccount's API token a one-recipient send reads, checks and accepts on
        # the store's writer (ADR 0057), the parent's approved (not predefined) name too.
        self.b.admin("sender", "approve", "demo", "RODZIC")
        token = self.b.admin("token", "add", "sender1").stdout.strip()
        self.b.api("subaccounts/limit", {"id": sid, "type": "full", "value": 1})
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "token",
                                             "sender": "RODZIC"}, token=token)
        self.assertEqual(r.get("queued"), 1, r)
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "token",
                                             "sender": "NIEZNANY"}, token=token)
        self.assertEqual(code(r), 3103, r)

    def test_isolation(self):
        a = self.new_sub("iso_a")
        self.new_sub("iso_b")
        self.b.api("subaccounts/limit", {"id": a, "type": "eco", "value": 1})
        sent = self.b.api("messages/send_sms", {"phone": "500600700", "text": "mine",
                                                "details": True}, credentials=("iso_a", "haslo1"))
        sub_msg = sent["items"][0]["id"]
        parent_msg = self.b.api("messages/send_sms", {"phone": "500600701", "text": "parent",
                                                      "details": True})["items"][0]["id"]
        # Another main account: the subaccount is not there for it.
        self.assertEqual(code(self.other("subaccounts/view", {"id": a})), 1004)
        self.assertEqual(self.other("subaccounts/limit", {"id": a, "type": "eco", "value": 1}),
                         {"success": False})
        self.assertEqual(self.other("subaccounts/delete", {"id": a}, form=True),
                         {"success": False})
        self.assertEqual(self.other("subaccounts/index"), {"items": []})
        self.assertEqual(self.b.api("subaccounts/view", {"id": a})["username"], "iso_a")
        # Messages: neither the parent, nor a sibling, nor the subaccount see the others'.
        self.assertEqual(code(self.b.api("messages/view", {"id": sub_msg},
                                         credentials=("iso_a", "haslo1"))), 0)
        self.assertEqual(code(self.b.api("messages/view", {"id": sub_msg})), 1004)
        self.assertEqual(code(self.b.api("messages/view", {"id": sub_msg},
                                         credentials=("iso_b", "haslo1"))), 1004)
        self.assertEqual(code(self.b.api("messages/view", {"id": parent_msg},
                                         credentials=("iso_a", "haslo1"))), 1004)
        reports = self.b.api("messages/reports", {"id": [parent_msg]},
                             credentials=("iso_a", "haslo1"))
        self.assertEqual(reports["items"], [])
        # A subaccount has no subaccounts and sees none of its siblings.
        self.assertEqual(self.b.api("subaccounts/index", credentials=("iso_a", "haslo1")),
                         {"items": []})
        r = self.b.api("subaccounts/add", {"subaccount_username": "nested",
                                           "subaccount_password": "x"},
                       credentials=("iso_a", "haslo1"))
        self.assertEqual(code(r), 4500)

    # ---- senders -------------------------------------------------------------------------
    def test_senders(self):
        self.assertEqual(self.b.api("senders/add", {"name": "NewSender"}), {"success": True})
        self.assertEqual(self.b.api("senders/add", {"name": "48500600700"}, form=True),
                         {"success": True})
        self.assertEqual(code(self.b.api("senders/add", {"name": "NewSender"})), 4407)
        self.assertEqual(code(self.b.api("senders/add", {"name": "Twelve chars"}, form=True)), 1006)
        self.assertEqual(code(self.b.api("senders/add", {}, form=True)), 2000)
        items = self.b.api("senders/index")["items"]
        self.assertIn({"name": "NewSender", "agreement": "required",
                       "status": "pending_authorization"}, items)
        self.assertIn({"name": "INFORMACJA", "agreement": "delivered", "status": "authorized"},
                      items)
        names = [i["name"] for i in self.b.api("senders/index", {"sort": "name",
                                                                 "order": "desc"})["items"]]
        self.assertEqual(names, sorted(names, reverse=True))
        predefined = self.b.api("senders/index", {"predefined": True}, form=True)["items"]
        self.assertEqual(predefined, [{"name": "Powiadom", "agreement": "not_required",
                                       "status": "authorized"},
                                      {"name": "SMSINFO", "agreement": "not_required",
                                       "status": "authorized"}])
        self.assertEqual(self.b.api("senders/index", {"type": "ndi"})["items"], [])
        self.assertEqual(code(self.b.api("senders/index", {"type": "fax"})), 1006)
        self.assertEqual(code(self.b.api("senders/index", {"order": "sideways"}, form=True)), 1006)

        send = {"phone": "500600700", "text": "x", "sender": "NewSender"}
        self.assertEqual(code(self.b.api("messages/send_sms", send)), 3103)  # pending
        self.b.admin("sender", "reject", "demo", "NewSender")
        self.assertEqual(code(self.b.api("messages/send_sms", send)), 3103)  # rejected
        self.b.admin("sender", "approve", "demo", "NewSender")
        self.assertEqual(self.b.api("messages/send_sms", send)["queued"], 1)
        # Predefined names need no approval; another account has its own namespace.
        self.assertEqual(self.other("messages/send_sms", {"phone": "500600700", "text": "x",
                                                          "sender": "Powiadom"}).get("queued"), 1)
        self.assertEqual(self.other("senders/add", {"name": "NewSender"}), {"success": True})

    # ---- account/* -------------------------------------------------------------------------
    def test_account_add(self):
        signup = {"phone": "+48500600700", "email": "mail@test.com", "first_name": "John",
                  "last_name": "Doe", "company": "ACME"}
        self.assertEqual(code(self.demo("account/add", signup)), 4312)
        self.assertEqual(self.other("account/add", signup), {"success": True})
        self.assertEqual(self.other("account/add", dict(signup, email="jane@test.com"), form=True),
                         {"success": True})
        self.assertEqual(code(self.other("account/add", {"phone": "500600700"}, form=True)), 2000)
        self.assertEqual(code(self.other("account/add", dict(signup, phone="12"))), 2001)
        self.assertEqual(code(self.other("account/add", dict(signup, email="nope"))), 1006)
        listing = self.b.admin("signup", "list").stdout
        self.assertIn("mail@test.com", listing)
        signup_id = re.search(r"(?m)^(\d+)\s+pending.*mail@test\.com", listing).group(1)
        self.b.admin("signup", "approve", signup_id, "--name", "johndoe", "--password", "pw123")
        self.assertEqual(self.b.admin("signup", "approve", signup_id, "--name", "x",
                                      "--password", "y", check=False).returncode, 1)
        self.assertIn("approved", self.b.admin("signup", "list").stdout)
        self.assertIn("items", self.b.api("account/limits", credentials=("johndoe", "pw123")))

    def test_account_help(self):
        for form in (False, True):
            r = self.b.api("account/help", {}, form=form)
            self.assertEqual(list(r), ["telephone", "email", "form", "faq", "account_maintainer"])
            self.assertEqual(r["telephone"], "+48 22 100 20 30")
            self.assertEqual(r["faq"], "https://example.invalid/faq")
            self.assertIsNone(r["email"])
            self.assertEqual(r["account_maintainer"]["name"], "Anna Nowak")
            self.assertEqual(set(r["account_maintainer"]), {"name", "email", "telephone", "photo"})
        r = self.b.api("account/help", credentials=("demo", "wrong-password"))
        self.assertEqual(code(r), 1001)

    def test_account_messages(self):
        self.assertEqual(self.other("account/messages"), {"items": []})
        self.b.admin("account", "message", "other", "Przerwa techniczna w nocy")
        first = self.other("account/messages")["items"]
        self.assertEqual(len(first), 1)
        self.assertIs(first[0]["new"], True)
        self.assertEqual(first[0]["message"], "Przerwa techniczna w nocy")
        second = self.other("account/messages", form=True)["items"]
        self.assertIs(second[0]["new"], False)
        status, xml = self.b.api("account/messages", credentials=("other", "otherpw"), fmt=".xml")
        self.assertEqual(status, 200)
        self.assertIn(b"<new>false</new>", xml)
        self.assertEqual(self.demo("account/messages")["items"], [])  # not demo's
        self.assertEqual(self.b.admin("account", "message", "nobody", "x", check=False).returncode, 1)

    # ---- IP allowlist, throttling, size limits -------------------------------------------
    def test_ip_allowlist(self):
        self.b.admin("account", "add", "walled", "--password", "wpw", "--eco", "5")
        token = self.b.admin("token", "add", "walled").stdout.strip()
        self.b.admin("account", "allow-ip", "walled", "10.0.0.0/8")
        for form in (False, True):
            r = self.b.api("account/limits", credentials=("walled", "wpw"), form=form)
            self.assertEqual(code(r), 1003, r)
            self.assertEqual(r["error"]["type"], "InvalidIP")
        self.assertEqual(code(self.b.api("account/limits", token=token)), 1003)
        self.assertEqual(code(self.b.api("messages/send_sms", {"phone": "500600700", "text": "x"},
                                         token=token)), 1003)
        self.assertEqual(code(self.b.api("account/limits")), 0)  # other accounts unaffected
        self.b.admin("account", "allow-ip", "walled", "10.0.0.0/8", "127.0.0.1/32")
        self.assertIn("items", self.b.api("account/limits", credentials=("walled", "wpw")))
        self.assertIn("items", self.b.api("account/limits", token=token))
        self.b.admin("account", "allow-ip", "walled")
        self.assertIn("items", self.b.api("account/limits", token=token))
        self.assertEqual(self.b.admin("account", "allow-ip", "walled", "10.0.0.300/8",
                                      check=False).returncode, 1)

    def test_throttling_after_wrong_passwords(self):
        self.b.admin("account", "add", "victim", "--password", "right", "--eco", "5")
        for form in (False, True, False):
            r = self.b.api("account/limits", credentials=("victim", "wrong"), form=form)
            self.assertEqual(code(r), 1001, r)
        r = self.b.api("account/limits", credentials=("victim", "right"))
        self.assertEqual(code(r), 1012, r)
        self.assertEqual(r["error"]["type"], "TooManyRequests")
        self.assertIn("items", self.b.api("account/limits"))  # other logins are unaffected
        status, _, metrics = self.b.raw("/metrics", method="GET")
        self.assertEqual(status, 200)
        throttled = re.search(rb"(?m)^bramka_api_logins_throttled (\S+)$", metrics)
        self.assertIsNotNone(throttled, metrics[:2000])
        self.assertGreaterEqual(float(throttled.group(1)), 1)
        self.assertRegex(metrics.decode(), r"(?m)^bramka_api_login_blocked [1-9]")

    def test_oversized_body_gets_413_and_a_closed_connection(self):
        body = json.dumps({"phone": "500600700", "text": "x" * 70000}).encode()
        status, headers, data = self.b.raw("/messages/send_sms", body,
                                           {"Content-Type": "application/json",
                                            "Authorization": "Bearer " + self.b.token})
        self.assertEqual(status, 413)
        self.assertEqual(json.loads(data)["error"]["code"], 1011)
        # A declared length over the limit is answered at once, before any body
        # arrives, and the server closes the connection instead of waiting.
        with socket.create_connection(("127.0.0.1", self.b.http_port), timeout=10) as s:
            s.sendall(b"POST /messages/send_sms HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{")
            received = b""
            while True:
                chunk = s.recv(65536)  # bounded by the socket timeout
                if not chunk:
                    break
                received += chunk
        self.assertTrue(received.startswith(b"HTTP/1.1 413"), received[:200])
        self.assertIn(b'"code":1011', received)
        # The server is fine afterwards.
        self.assertIn("items", self.b.api("account/limits"))


class AddressThrottleTest(unittest.TestCase):
    """Throttling by remote address: guesses spread over many usernames."""

    def test_address_is_blocked_after_its_limit(self):
        b = Bramka()
        try:
            configure(b, {"max_failures_per_address": "4", "max_failures_per_username": "0"})
            b.start()
            for i in range(4):
                r = b.api("account/limits", credentials=(f"guess{i}", "x"))
                self.assertEqual(code(r), 1001, r)
            self.assertEqual(code(b.api("account/limits", credentials=("demo", "demo"))), 1012)
            self.assertEqual(code(b.api("account/limits", token="0" * 32)), 1012)
        finally:
            b.cleanup()


if __name__ == "__main__":
    unittest.main()
