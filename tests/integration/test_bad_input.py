#!/usr/bin/env python3
"""Bad input catalogue (issue 12, docs/security.md): malformed, hostile, oversized and slow
input on each interface -- HTTP API, SMPP, SOAP -- each answered with the right error and
the server staying up (a good request works after each group). FTP lines and SQL rows have
their catalogues in test_ftp_ingest.py ("bad.txt") and test_sql_api.py
(test_bad_input_is_refused_with_a_clear_error); their decoders are fuzzed (tests/fuzz).
Also: SSRF attempts on files/add, SMPP failed-bind throttling, slowloris on HTTP and SMPP.
Stdlib only; every wait bounded."""
import json
import os
import re
import socket
import struct
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from harness import Bramka  # noqa: E402
import smpp_client  # noqa: E402
from smpp_client import pdu  # noqa: E402


def set_key(path, section, key, value):
    """Sets `key = value` in [section] of the TOML file (replaced or inserted)."""
    with open(path) as f:
        lines = f.read().split("\n")
    start = next(i for i, l in enumerate(lines) if re.match(rf"^\[{section}\]", l))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    for i in range(start + 1, end):
        if re.match(rf"^{key}\s*=", lines[i]):
            lines[i] = f"{key} = {value}"
            break
    else:
        lines.insert(start + 1, f"{key} = {value}")
    with open(path, "w") as f:
        f.write("\n".join(lines))


def closed_within(sock, seconds):
    """True when the peer closes the connection within `seconds` (reads and drops data)."""
    sock.settimeout(0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        b = Bramka()
        set_key(b.config, "http", "idle_timeout_s", 2)
        set_key(b.config, "http", "max_body_bytes", 65536)
        set_key(b.config, "smpp", "session_init_timeout_s", 2)
        set_key(b.config, "login_throttle", "max_failures_per_username", 3)
        set_key(b.config, "login_throttle", "max_failures_per_address", 1000)
        cls.b = b.start()
        cls.tried = 0

    @classmethod
    def tearDownClass(cls):
        print(f"\n{cls.tried} bad inputs tried")
        cls.b.cleanup()

    def assert_alive(self):
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "still here"})
        self.assertTrue(r["success"], r)

    def post(self, path, body, ctype="application/json", auth=True):
        headers = {"Content-Type": ctype}
        if auth:
            headers["Authorization"] = "Bearer " + self.b.token
        type(self).tried += 1
        return self.b.raw(path, body if isinstance(body, bytes) else body.encode(), headers)

    def error_of(self, status, body):
        self.assertIn(status, (200, 400, 404, 405, 413), body[:200])
        doc = json.loads(body)
        self.assertIn("error", doc, doc)
        self.assertTrue(doc["error"]["message"], doc)
        return doc["error"]["code"]

    # ---- HTTP API ------------------------------------------------------------------------
    def test_http_api_catalogue(self):
        cases = [
            # (path, body, content type, expected API error code)
            ("/messages/send_sms", "{", "application/json", None),                 # truncated JSON
            ("/messages/send_sms", "[1,2]", "application/json", None),             # not an object
            ("/messages/send_sms", '{"phone": 5}', "application/json", None),      # no text
            ("/messages/send_sms", '{"text": "x"}', "application/json", None),     # no phone
            ("/messages/send_sms", '{"phone": "12", "text": "x"}', "application/json", "unsent"),
            ("/messages/send_sms", '{"phone": "500600700", "text": ""}', "application/json", None),
            ("/messages/send_sms", json.dumps({"phone": "500600700", "text": "x" * 5000}),
             "application/json", None),                                              # too long
            ("/messages/send_sms", '{"phone": "500600700", "text": "\\ud800"}', "application/json",
             None),                                                                  # lone surrogate
            ("/messages/send_sms", b'{"phone": "500600700", "text": "\xff\xfe"}', "application/json",
             None),                                                                  # not UTF-8
            ("/messages/send_sms", "phone[=1&text[[]]=2", "application/x-www-form-urlencoded", None),
            ("/messages/send_sms", "phone=%zz&text=%", "application/x-www-form-urlencoded", "unsent"),
            ("/messages/send_sms", '{"phone": ["500600700"], "text": "x", "date": "yesterday"}',
             "application/json", None),                                              # bad date
            ("/messages/send_sms", '{"phone": "500600700", "text": "x", "sender": "NOT-APPROVED"}',
             "application/json", None),
            ("/messages/reports", json.dumps({"id": ["' OR '1'='1", "1; DROP TABLE messages;--"]}),
             "application/json", "empty"),                                           # SQL injection
            ("/files/view", json.dumps({"id": "../../../../etc/passwd", "type": "mms"}),
             "application/json", None),                                              # traversal
            ("/files/add", json.dumps({"type": "mms", "url": "http://127.0.0.1:1/x.png"}),
             "application/json", None),                                              # SSRF loopback
            ("/files/add", json.dumps({"type": "mms", "url": "http://169.254.169.254/latest/x.png"}),
             "application/json", None),                                              # SSRF metadata
            ("/files/add", json.dumps({"type": "mms", "url": "http://localhost:1/x.png"}),
             "application/json", None),                                              # SSRF by name
            ("/files/add", json.dumps({"type": "mms", "url": "http://2130706433:1/x.png"}),
             "application/json", None),                                              # 127.0.0.1 as int
            ("/files/add", json.dumps({"type": "mms", "url": "http://[::ffff:127.0.0.1]:1/x.png"}),
             "application/json", None),                                              # mapped v6
            ("/files/add", json.dumps({"type": "mms", "url": "file:///etc/passwd"}),
             "application/json", None),
            ("/no/such/action", "{}", "application/json", None),
        ]
        for path, body, ctype, expect in cases:
            with self.subTest(path=path, body=body[:60]):
                status, _, data = self.post(path, body, ctype)
                self.assertNotIn(b"root:", data)  # nothing of /etc/passwd
                if expect == "unsent":  # spec §4.1: a bad number is reported per number
                    doc = json.loads(data)
                    self.assertEqual((doc.get("queued"), doc.get("unsent")), (0, 1), doc)
                elif expect == "empty":  # ids that do not exist: nothing found
                    self.assertEqual(json.loads(data)["items"], [])
                else:
                    self.assertNotEqual(self.error_of(status, data), 0)
        # SSRF refusals name the reason, not a fetch failure.
        for host in ("127.0.0.1:1", "localhost:1", "169.254.169.254", "[::1]:1", "10.0.0.1"):
            status, _, data = self.post("/files/add", json.dumps(
                {"type": "mms", "url": f"http://{host}/x.png"}))
            doc = json.loads(data)
            self.assertIn("not allowed", doc["error"]["message"], (host, doc))
        # The messages table survived the injection attempt.
        self.assertIn("items", self.b.api("messages/reports", {"limit": 1}))
        # Wrong credentials: 1001-like error, never a crash.
        status, _, data = self.post("/messages/send_sms", '{"phone":"500600700","text":"x"}',
                                    auth=False)
        self.error_of(status, data)
        self.assert_alive()

    def test_http_oversized_and_malformed_requests(self):
        # Body over max_body_bytes (64 KiB here): 413 with the JSON error, before reading it.
        status, _, data = self.post("/messages/send_sms", b'{"text":"' + b"x" * 70000 + b'"}')
        self.assertEqual(status, 413, data[:200])
        # Headers over the limit, a broken request line, a lying Content-Length.
        for raw in (b"POST /messages/send_sms HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000
                    + b"\r\n\r\n",
                    b"GARBAGE\r\n\r\n",
                    b"POST /messages/send_sms HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                    b"POST /messages/send_sms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    b"\r\nzz\r\n",
                    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\0" * 64):  # TLS on plain
            type(self).tried += 1
            with socket.create_connection(("127.0.0.1", self.b.http_port), timeout=10) as s:
                s.sendall(raw)
                s.settimeout(10)
                try:
                    head = s.recv(4096)
                except socket.timeout:
                    head = b""
                self.assertTrue(head == b"" or head.startswith(b"HTTP/1.1 4"), (raw[:40], head[:80]))
        self.assert_alive()

    def test_http_slowloris_is_cut(self):
        # Half a header, then silence: closed after idle_timeout_s (2 s here).
        socks = []
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", self.b.http_port), timeout=10)
            s.sendall(b"POST /messages/send_sms HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        t0 = time.monotonic()
        self.assertTrue(all(closed_within(s, 8) for s in socks), "slow clients kept open")
        print(f"slowloris: 20 half-sent headers closed after {time.monotonic() - t0:.1f} s")
        # Dripping one byte at a time does not extend the deadline (it is per request).
        s = socket.create_connection(("127.0.0.1", self.b.http_port), timeout=10)
        t0 = time.monotonic()
        closed = False
        for ch in b"POST /messages/send_sms HTTP/1.1\r\nHost: x\r\nX-A: " + b"b" * 200:
            try:
                s.sendall(bytes([ch]))
            except OSError:
                closed = True
                break
            s.settimeout(0.1)
            try:
                if s.recv(1) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
            if time.monotonic() - t0 > 8:
                break
        s.close()
        self.assertTrue(closed, "a byte-by-byte header kept the connection open")
        for s in socks:
            s.close()
        type(self).tried += 21
        self.assert_alive()

    # ---- SMPP ------------------------------------------------------------------------------
    def smpp(self):
        type(self).tried += 1
        return smpp_client.Esme(self.b.smpp_port, timeout=10)

    def test_smpp_catalogue(self):
        # command_length below the header: the session is closed (fatal framing error).
        e = self.smpp()
        e.send_raw(struct.pack(">IIII", 8, 0x04, 0, 1))
        self.assertTrue(closed_within(e.sock, 10))
        e.close()
        # command_length far beyond the limit: closed without reading it.
        e = self.smpp()
        e.send_raw(struct.pack(">IIII", 0x7FFFFFFF, 0x04, 0, 1))
        self.assertTrue(closed_within(e.sock, 10))
        e.close()
        # Unknown command_id: generic_nack ESME_RINVCMDID (3), session kept.
        e = self.smpp()
        e.send_raw(pdu(0x0000FFFF, 7))
        cid, status, seq, _ = e.read_pdu()
        self.assertEqual((cid, status, seq), (0x80000000, 0x03, 7))
        # submit_sm before bind: ESME_RINVBNDSTS (4).
        e.send_raw(pdu(smpp_client.SUBMIT_SM, 8, smpp_client.submit_body("48500600700", "x")))
        cid, status, seq, _ = e.read_pdu()
        self.assertEqual((cid, status), (0x80000004, 0x04))
        # A truncated bind body: an error response (not a crash), session closed or kept.
        e.send_raw(pdu(smpp_client.BIND_TRANSMITTER, 9, b"demo"))
        try:
            cid, status, seq, _ = e.read_pdu()
            self.assertNotEqual(status, 0)
        except ConnectionError:
            pass
        e.close()
        # Bound: a submit with a broken body, an oversized short_message, a bad number.
        e = self.smpp()
        self.assertEqual(e.bind(), 0)
        bad_bodies = [
            b"\0\x05",                                               # truncated
            smpp_client.submit_body("48500600700", "x")[:-1] + b"",  # sm_length beyond the body
            smpp_client.submit_body("", "no destination"),
            smpp_client.submit_body("abc", "letters as a number"),
            smpp_client.submit_body("48500600700", b"\x00" * 0, data_coding=0x08),  # empty UCS-2
            smpp_client.submit_body("48500600700", b"\xd8\x00", data_coding=0x08),  # lone surrogate
            smpp_client.submit_body("48500600700", "x", data_coding=0x77),          # reserved coding
        ]
        for i, body in enumerate(bad_bodies):
            type(self).tried += 1
            e.send_raw(pdu(smpp_client.SUBMIT_SM, 100 + i, body))
            cid, status, seq, _ = e.read_response()
            self.assertEqual(seq, 100 + i)
            with self.subTest(i=i):
                self.assertIn(cid, (0x80000004, 0x80000000))
                if i != 4:  # an empty message may be accepted by design
                    self.assertNotEqual(status, 0, f"bad submit #{i} accepted")
        # The bind survived all of that.
        got = list(e.submit_many([("48500600701", "fine")]))
        self.assertEqual(got[0][1], 0)
        e.close()

    def test_smpp_failed_binds_are_throttled(self):
        statuses = []
        for _ in range(5):
            e = self.smpp()
            statuses.append(e.bind("demo", "wrong-pw"))
            e.close()
        # ESME_RINVPASWD (0x0E) for the first three, then ESME_RBINDFAIL (0x0D) unchecked.
        self.assertEqual(statuses[:3], [0x0E] * 3, statuses)
        self.assertEqual(statuses[3:], [0x0D] * 2, statuses)
        e = self.smpp()
        self.assertEqual(e.bind("demo", "demo"), 0x0D, "the right password while blocked")
        e.close()
        # Another system_id from the same address is not blocked (per-name key).
        self.b.admin("smpp-user", "add", "demo", "--system-id", "other1", "--password", "pw1")
        e = self.smpp()
        self.assertEqual(e.bind("other1", "pw1"), 0)
        e.close()

    def test_smpp_slow_and_idle_clients_are_cut(self):
        # Connect and never bind: closed after session_init_timeout_s (2 s here).
        idle = [self.smpp() for _ in range(10)]
        # Half a PDU header and silence: also closed by the same timer.
        half = self.smpp()
        half.send_raw(b"\x00\x00\x00")
        self.assertTrue(all(closed_within(e.sock, 8) for e in idle + [half]))
        for e in idle + [half]:
            e.close()
        e = self.smpp()  # the server still answers
        e.send_raw(pdu(0x0000FFFF, 3))
        self.assertEqual(e.read_pdu()[:3], (0x80000000, 0x03, 3))
        e.close()

    # ---- SOAP ------------------------------------------------------------------------------
    def test_soap_catalogue(self):
        env = ('<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV='
               '"http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>{}</SOAP-ENV:Body>'
               '</SOAP-ENV:Envelope>')
        bodies = [
            "<not xml",
            "",
            "<a/>",                                                                # no envelope
            env.format(""),                                                        # no operation
            env.format("<ns1:No.such xmlns:ns1='urn:x'/>"),
            env.format("<ns1:Messages.sendSms xmlns:ns1='urn:x'><phone>1</phone></ns1:Messages.sendSms>"),
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            + env.format("<m>&e;</m>"),                                            # XXE
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
            '&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            + env.format("<m>&c;&c;&c;&c;</m>"),                                   # entity bomb
            env.format("<m>" + "<d>" * 5000 + "</d>" * 5000 + "</m>"),             # deep nesting
        ]
        for body in bodies:
            with self.subTest(body=body[:50]):
                type(self).tried += 1
                status, _, data = self.b.raw("/soap", body.encode(),
                                             {"Content-Type": "text/xml; charset=utf-8",
                                              "SOAPAction": '"x"'})
                self.assertIn(status, (400, 500), data[:300])
                self.assertIn(b"Fault", data)
                self.assertNotIn(b"root:", data)
        self.assert_alive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
