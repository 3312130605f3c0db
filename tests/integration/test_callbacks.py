"""Callbacks (issue 3, spec §6): delivery reports pushed to the account's URL
template or the request's dlr_url, from the durable outbox, retried until the
receiver answers OK -- also across a stop and a kill -9 of bramka.

The receiver is a local http.server on port 0 that first answers errors
(HTTP 500, a 200 that is not "OK", a hang longer than bramka's timeout) and
later "OK". Outcomes come from simnet's test numbers: +48600000 1xx
undelivered, 2xx refused (unsent), anything else delivered."""
import http.server
import os
import re
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402

DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")

NOTIFY = {  # fast retries for the test; timeout shorter than the receiver's hang
    "connect_timeout_ms": 500,
    "timeout_ms": 700,
    "poll_interval_ms": 100,
    "initial_backoff_ms": 100,
    "max_backoff_ms": 400,
    "allow_private_urls": "true",  # the receiver is on 127.0.0.1 (SSRF guard, ADR 0025)
}


def set_keys(path, section, values):
    """Rewrites `key = value` lines of one [section] of a TOML file."""
    out, current = [], None
    with open(path) as f:
        for line in f:
            m = re.match(r"^\[(\w+)\]", line)
            if m:
                current = m.group(1)
            k = re.match(r"^(\w+)\s*=", line)
            if current == section and k and k.group(1) in values:
                line = f"{k.group(1)} = {values[k.group(1)]}\n"
            out.append(line)
    with open(path, "w") as f:
        f.writelines(out)


class Receiver:
    """Records every callback request; answers per `mode` ("fail" or "ok")."""

    def __init__(self):
        self.lock = threading.Lock()
        self.mode = "fail"
        self.calls = []  # (mode answered, path, query dict)
        self.failures = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parsed = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
                with receiver.lock:
                    mode = receiver.mode
                    n = receiver.failures
                    if mode == "fail":
                        receiver.failures += 1
                    receiver.calls.append((mode, parsed.path, query))
                if mode == "ok":
                    body, status = b" ok\n", 200
                elif mode == "hang":
                    time.sleep(1.5)
                    body, status = b"ERROR", 200
                elif n % 3 == 0:
                    body, status = b"internal error", 500
                elif n % 3 == 1:
                    body, status = b"ERROR", 200
                else:
                    time.sleep(1.5)  # longer than timeout_ms: bramka gives up on this call
                    body, status = b"ERROR", 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def set_mode(self, mode):
        with self.lock:
            self.mode = mode

    def calls_for(self, smsid, mode=None):
        with self.lock:
            return [(m, p, q) for (m, p, q) in self.calls
                    if q.get("id") == smsid and (mode is None or m == mode)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class CallbacksTest(unittest.TestCase):
    def setUp(self):
        self.rx = Receiver()
        self.b = Bramka()
        set_keys(self.b.config, "notify", NOTIFY)
        self.template = self.rx.url(
            "/acct?id=#SMSID#&u=#UNIQUEID#&n=#NUMER#&s=#STAN#&d=#DATA#&r=#POWOD#&t=#WIADOMOSC#")
        out = self.b.admin("account", "callbacks", "demo", "--dlr-url", self.template).stdout
        self.assertIn("dlr_url: " + self.template, out)

    def tearDown(self):
        self.b.cleanup()
        self.rx.close()

    def send(self, phone, unique_id=None, dlr_url=None, text="Hello & welcome? 100%", token="demo",
             form=False):
        params = {"phone": phone, "text": text, "details": True}
        if unique_id:
            params["unique_id"] = unique_id
        if dlr_url:
            params["dlr_url"] = dlr_url
        r = self.b.api("messages/send_sms", params, token=token, form=form)
        self.assertIs(r.get("success"), True, r)
        return r["items"][0]["id"]

    def metric(self, name):
        _, _, data = self.b.raw("/metrics", method="GET")
        total = 0.0
        for line in data.decode().splitlines():
            if line.startswith(name):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def expect_account_report(self, smsid, status, unique_id, phone, reason):
        calls = self.rx.calls_for(smsid, "ok")
        self.assertEqual(len(calls), 1, f"{smsid}: acknowledged calls {calls}")
        _, path, q = calls[0]
        self.assertEqual(path, "/acct")
        self.assertEqual(q["s"], status)
        self.assertEqual(q["u"], unique_id)
        self.assertEqual(q["n"], phone)
        self.assertEqual(q["r"], reason)
        self.assertEqual(q["t"], "Hello & welcome? 100%")
        self.assertRegex(q["d"], DATE)

    def wait_failed_attempts(self, ids, n=2, timeout=30):
        wait_until(lambda: all(len(self.rx.calls_for(i, "fail")) >= n for i in ids), timeout,
                   what=f"{n} failed attempts of every callback")

    def wait_acknowledged(self, ids, timeout=40):
        wait_until(lambda: all(self.rx.calls_for(i, "ok") for i in ids), timeout,
                   what="every callback acknowledged")
        wait_until(lambda: self.metric('bramka_callbacks_outbox{state="pending"}') == 0, 10,
                   what="an empty outbox")

    def test_reports_arrive_as_configured_after_failures(self):
        self.b.start()
        other_token = None
        self.b.admin("account", "add", "other", "--password", "other-pw", "--eco", "10")
        other_token = self.b.admin("token", "add", "other").stdout.strip()

        delivered = self.send("48600000001", unique_id="ua1")
        undelivered = self.send("+48600000101", unique_id="ub1", form=True)
        unsent = self.send("600000201")
        own_url = self.rx.url("/own?id=#SMSID#&s=#STAN#")
        own = self.send("48600000002", dlr_url=own_url, form=True)
        bare = self.send("48600000003", dlr_url=self.rx.url("/bare"))
        # Another account without a template, and its message without dlr_url: no callback.
        silent = self.send("48600000004", token=other_token)
        ids = [delivered, undelivered, unsent, own]

        self.wait_failed_attempts(ids)
        self.assertGreater(self.metric("bramka_callbacks_retries_total"), 0)
        self.assertGreater(self.metric('bramka_callbacks_outbox{state="pending"}'), 0)
        self.rx.set_mode("ok")
        wait_until(lambda: any(p == "/bare" for m, p, q in self.rx.calls if m == "ok"), 30,
                   what="the placeholder-less callback")
        self.wait_acknowledged(ids)

        self.expect_account_report(delivered, "delivered", "ua1", "+48600000001", "")
        self.expect_account_report(undelivered, "undelivered", "ub1", "+48600000101",
                                   "wrong_number")
        self.expect_account_report(unsent, "unsent", "", "+48600000201", "unsupported_number")
        own_calls = self.rx.calls_for(own)
        self.assertTrue(own_calls)
        for _, path, q in own_calls:  # the request's dlr_url wins over the account's template
            self.assertEqual(path, "/own")
            self.assertEqual(q, {"id": own, "s": "delivered"})
        # No placeholders: the facts come as query parameters.
        bare_calls = [q for m, p, q in self.rx.calls if m == "ok" and p == "/bare"]
        self.assertEqual(len(bare_calls), 1)
        self.assertEqual(bare_calls[0]["smsid"], bare)
        self.assertEqual(bare_calls[0]["stan"], "delivered")
        self.assertEqual(bare_calls[0]["numer"], "+48600000003")
        self.assertRegex(bare_calls[0]["data"], DATE)
        with self.rx.lock:
            everything = list(self.rx.calls)
        self.assertFalse([c for c in everything if silent in str(c)], "account without URL got one")
        # The sender counts an acknowledged callback just after it records the ack (the
        # outbox empties first): wait for the count rather than read it once.
        wait_until(lambda: self.metric('bramka_callbacks_sent_total{kind="dlr"}') >= 5, 20,
                   what="five acknowledged DLR callbacks counted")
        self.assertEqual(self.metric('bramka_callbacks_outbox{state="failed"}'), 0)

        # Tenant isolation and operator views.
        out = self.b.admin("account", "callbacks", "other").stdout
        self.assertIn("dlr_url: (none)", out)
        self.assertIn("outbox: 0 pending, 0 failed", out)
        out = self.b.admin("account", "callbacks", "demo").stdout
        self.assertIn("outbox: 0 pending, 0 failed", out)

    def test_admin_rejects_bad_urls_and_clears(self):
        r = self.b.admin("account", "callbacks", "demo", "--dlr-url", "ftp://x/", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("http:// or https://", r.stderr)
        r = self.b.admin("account", "callbacks", "nobody", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("nobody", r.stderr)
        out = self.b.admin("account", "callbacks", "demo", "--mo-url", self.rx.url("/mo")).stdout
        self.assertIn("dlr_url: " + self.template, out)  # kept
        self.assertIn("mo_url: " + self.rx.url("/mo"), out)
        out = self.b.admin("account", "callbacks", "demo", "--dlr-url", "").stdout
        self.assertIn("dlr_url: (none)", out)

    def test_send_refuses_a_dlr_url_it_cannot_call(self):
        self.b.start()
        for form in (False, True):
            r = self.b.api("messages/send_sms", {"phone": "48600000001", "text": "x",
                                                 "dlr_url": "ftp://shop.example/dlr"}, form=form)
            self.assertEqual(r["error"]["code"], 1006, r)
            self.assertIn("dlr_url", r["error"]["message"])

    def restart_round(self, how):
        """Messages whose callbacks are failing when bramka stops (SIGTERM) or dies (kill -9);
        after the start the receiver answers OK and every report arrives exactly once."""
        self.rx.set_mode("fail")
        ids = {self.send("48600000011"): "delivered", self.send("48600000111"): "undelivered",
               self.send("48600000211"): "unsent"}
        self.wait_failed_attempts(ids, n=2)
        # Go away while calls are in flight (the receiver hangs): their entries stay leased,
        # and the restarted node must release them at once rather than wait ~30 s for the
        # lease to end. One more message's receipt may still be with simnet.
        with self.rx.lock:
            hung_before = sum(1 for c in self.rx.calls if c[0] == "hang")
        self.rx.set_mode("hang")
        late = self.send("48600000012")
        ids[late] = "delivered"
        wait_until(lambda: sum(1 for c in self.rx.calls if c[0] == "hang") > hung_before, 20,
                   what="a callback in flight")
        if how == "kill9":
            self.b.kill9()
        else:
            self.assertEqual(self.b.stop(), 0)
        self.rx.set_mode("ok")
        self.b.start()
        self.wait_acknowledged(ids, timeout=15)
        for smsid, status in ids.items():
            calls = self.rx.calls_for(smsid, "ok")
            self.assertEqual(len(calls), 1, f"{how}: {smsid}: {calls}")
            self.assertEqual(calls[0][2]["s"], status)

    def test_every_report_arrives_across_stop_and_kill9(self):
        self.b.start()
        self.restart_round("kill9")
        self.restart_round("stop")

    def test_too_old_callbacks_are_failed_kept_and_retried_by_the_operator(self):
        set_keys(self.b.config, "notify", {"max_age_s": 1})
        self.b.start()
        smsid = self.send("48600000021")
        wait_until(lambda: self.metric('bramka_callbacks_outbox{state="failed"}') == 1, 30,
                   what="the callback given up")
        self.assertEqual(self.metric("bramka_callbacks_failed_total"), 1)
        self.assertGreaterEqual(len(self.rx.calls_for(smsid, "fail")), 2)
        # The sender logs "GIVEN UP" just after the store marks the entry failed (the log
        # says "kept" only once it is): wait for the line rather than read the log once.
        wait_until(lambda: "GIVEN UP" in self.b.read_log(), 10, what="the GIVEN UP log line")
        out = self.b.admin("account", "callbacks", "demo").stdout
        self.assertIn("outbox: 0 pending, 1 failed", out)
        self.assertRegex(out, rf"FAILED dlr {smsid} attempts=\d+ .*last_error=")
        self.rx.set_mode("ok")
        out = self.b.admin("account", "callbacks", "demo", "--retry-failed").stdout
        self.assertIn("1 failed callbacks of demo queued again", out)
        self.wait_acknowledged([smsid])
        self.assertEqual(len(self.rx.calls_for(smsid, "ok")), 1)
        self.assertEqual(self.metric('bramka_callbacks_outbox{state="failed"}'), 0)


if __name__ == "__main__":
    unittest.main()
