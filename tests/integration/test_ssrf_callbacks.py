#!/usr/bin/env python3
"""SSRF guard on the URLs bramka calls for customers (issue 12, ADR 0025,
docs/security.md): a send_sms `dlr_url` and the account's DLR/MO templates may not lead
to loopback, private, shared, link-local (cloud metadata) or reserved addresses unless
the operator sets `[notify] allow_private_urls = true` (files/add URLs have the same guard
with `[media] allow_private_urls`, test_bad_input.py).

- A literal inward host (127.0.0.1, [::1], 10.x, 169.254.169.254, localhost) is refused
  when given: send_sms answers an invalid-parameter error naming dlr_url and the switch
  (JSON and form), `account callbacks --dlr-url` fails the same way.
- A host that only *resolves* inward (the numeric spelling http://2130706433/) passes that
  check but is refused when the callback is made, on the resolved address: the receiver
  on 127.0.0.1 is never called and the callback is failed at once with the reason.
- With the switch on, the same receiver is called.
Stdlib only; bounded waits."""
import http.server
import os
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Bramka, wait_until  # noqa: E402

INWARD = ["http://127.0.0.1:{port}/dlr", "http://[::1]:{port}/dlr", "http://10.0.0.1/dlr",
          "http://169.254.169.254/latest/meta-data/", "http://localhost:{port}/dlr",
          "http://user@192.168.1.1/x", "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/"]


class Receiver:
    def __init__(self):
        calls = self.calls = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                calls.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *a):
                pass
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def set_private(b, allowed):
    with open(b.config) as f:
        text = f.read()
    text = text.replace(f"allow_private_urls = {str(not allowed).lower()}",
                        f"allow_private_urls = {str(allowed).lower()}")
    with open(b.config, "w") as f:
        f.write(text)


class SsrfCallbacksTest(unittest.TestCase):
    def setUp(self):
        self.rx = Receiver()
        self.b = Bramka()
        self.addCleanup(self.rx.close)
        self.addCleanup(self.b.cleanup)

    def send(self, phone, dlr_url, form=False):
        return self.b.api("messages/send_sms", {"phone": phone, "text": "ssrf", "dlr_url": dlr_url,
                                                "details": True}, form=form)

    def test_inward_callback_urls_are_refused_by_default(self):
        b = self.b
        # The account's templates (admin; the panel and the API use the same rule).
        r = b.admin("account", "callbacks", "demo", "--dlr-url",
                    f"http://127.0.0.1:{self.rx.port}/dlr?id=#SMSID#", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not allowed", r.stderr)
        self.assertIn("allow_private_urls", r.stderr)
        r = b.admin("account", "callbacks", "demo", "--mo-url", "http://169.254.169.254/", check=False)
        self.assertNotEqual(r.returncode, 0)
        b.start()
        tried = 0
        for url in INWARD:
            for form in (False, True):
                with self.subTest(url=url, form=form):
                    tried += 1
                    r = self.send("+48500840100", url.format(port=self.rx.port), form=form)
                    self.assertIn("error", r, r)
                    self.assertEqual(r["error"]["code"], 1006, r)  # invalid data, names it
                    self.assertIn("dlr_url", r["error"]["message"])
                    self.assertIn("not allowed", r["error"]["message"])
        # A public receiver is still accepted (not called here: nothing is listening).
        ok = self.send("+48500840101", "https://receiver.example/dlr?id=#SMSID#")
        self.assertTrue(ok.get("success"), ok)
        # A name that resolves inward passes the text check and is refused when called.
        sneaky = self.send("+48600000001", f"http://2130706433:{self.rx.port}/dlr?id=#SMSID#")
        self.assertTrue(sneaky.get("success"), sneaky)
        smsid = sneaky["items"][0]["id"]
        wait_until(lambda: f"FAILED dlr {smsid}" in b.admin("account", "callbacks", "demo").stdout,
                   60, 0.3, "the callback to an inward address given up")
        out = b.admin("account", "callbacks", "demo").stdout
        self.assertIn("not allowed", out)
        self.assertIn("127.0.0.1", out)
        self.assertEqual(self.rx.calls, [], "bramka called an inward address")
        print(f"{tried} inward dlr_urls refused at once; 2130706433 refused when called")

    def test_operator_switch_allows_private_receivers(self):
        set_private(self.b, True)
        self.b.start()
        r = self.send("+48600000002", f"http://127.0.0.1:{self.rx.port}/dlr?id=#SMSID#")
        self.assertTrue(r.get("success"), r)
        smsid = r["items"][0]["id"]
        wait_until(lambda: any(smsid in c for c in self.rx.calls), 60, 0.2,
                   "the private receiver called with the switch on")


if __name__ == "__main__":
    unittest.main(verbosity=2)
