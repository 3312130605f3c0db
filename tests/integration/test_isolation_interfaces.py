#!/usr/bin/env python3
"""Tenant isolation on the interfaces test_api_isolation.py (HTTP API) does not drive
(issue 12, docs/security.md): account B, through its own SMPP user and through the web
panel with its own session, can neither see nor cancel nor replace account A's message.
(SOAP: test_soap.py; incoming messages over SMPP: test_inbound_smpp.py; FTP sources:
test_ftp_ingest.py; SQL sources: test_sql_api.py `test_two_accounts_sources_are_isolated`;
panel integrations: panel_test.cc.) Stdlib only; bounded waits."""
import datetime
import json
import os
import struct
import sys
import unittest
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from harness import Bramka  # noqa: E402
import smpp_client  # noqa: E402
from smpp_client import cstr, pdu  # noqa: E402

QUERY_SM, CANCEL_SM, REPLACE_SM = 0x03, 0x08, 0x07


def later(hours):
    t = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Warsaw")) + datetime.timedelta(hours=hours)
    return t.strftime("%Y-%m-%d %H:%M:%S")


class InterfaceIsolationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        b = cls.b = Bramka()
        b.admin("account", "add", "beta", "--password", "beta-pass", "--eco", "100")
        b.admin("smpp-user", "add", "beta", "--system-id", "beta1", "--password", "beta-pw")
        b.start()
        r = b.api("messages/send_sms", {"phone": "+48500850001", "text": "A's secret",
                                        "date": later(5), "details": True})
        cls.a_id = r["items"][0]["id"]

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def a_still_scheduled(self):
        r = self.b.api("messages/view", {"id": self.a_id})
        self.assertEqual(r.get("id"), self.a_id, r)
        self.assertEqual(r.get("text"), "A's secret", r)
        self.assertNotIn(r.get("status"), ("canceled", "cancelled", "deleted"), r)

    def test_smpp_user_of_b_cannot_query_cancel_or_replace_a_message(self):
        e = smpp_client.Esme(self.b.smpp_port, timeout=20)
        try:
            self.assertEqual(e.bind("beta1", "beta-pw", smpp_client.BIND_TRANSCEIVER), 0)
            src = bytes([1, 1]) + cstr("")
            e.send_raw(pdu(QUERY_SM, e.next_seq(), cstr(self.a_id) + src))
            _, status, _, body = e.read_response()
            self.assertNotEqual(status, 0, "query_sm answered A's message to B")
            self.assertNotIn(b"secret", body)
            e.send_raw(pdu(CANCEL_SM, e.next_seq(), cstr("") + cstr(self.a_id) + src + src))
            self.assertNotEqual(e.read_response()[1], 0, "cancel_sm of A's message by B")
            replace = cstr(self.a_id) + src + cstr("") + cstr("") + bytes([0, 0, 5]) + b"taken"
            e.send_raw(pdu(REPLACE_SM, e.next_seq(), replace))
            self.assertNotEqual(e.read_response()[1], 0, "replace_sm of A's message by B")
            # B's own message: the same operations work (the refusals above are isolation).
            dest, status, own = next(e.submit_many([("48500850002", "B's own")]))
            self.assertEqual(status, 0)
            e.send_raw(pdu(QUERY_SM, e.next_seq(), cstr(own) + src))
            self.assertEqual(e.read_response()[1], 0)
        finally:
            e.close()
        self.a_still_scheduled()

    def test_panel_session_of_b_cannot_see_or_delete_a_message(self):
        status, hdrs, body = self.b.raw("/panel/api/login", json.dumps(
            {"username": "beta", "password": "beta-pass"}).encode(),
            {"Content-Type": "application/json"})
        self.assertEqual(status, 200, body)
        cookie = hdrs["Set-Cookie"].split(";", 1)[0]
        csrf = json.loads(body)["csrf"]

        def call(action, params):
            s, _, data = self.b.raw("/panel/api/v2/" + action, json.dumps(params).encode(),
                                    {"Content-Type": "application/json", "Cookie": cookie,
                                     "X-CSRF-Token": csrf})
            return s, json.loads(data)
        _, view = call("messages/view", {"id": self.a_id})
        self.assertEqual(view.get("error", {}).get("code"), 1004, view)
        _, reports = call("messages/reports", {"id": [self.a_id]})
        self.assertEqual(reports.get("items", []), [], reports)
        _, deleted = call("messages/delete", {"id": self.a_id})
        self.assertNotEqual(deleted.get("success"), True, deleted)
        # Naming A in the body does not make the session A's.
        _, view = call("messages/view", {"id": self.a_id, "username": "demo", "password": "demo"})
        self.assertEqual(view.get("error", {}).get("code"), 1004, view)
        self.a_still_scheduled()


if __name__ == "__main__":
    unittest.main(verbosity=2)
