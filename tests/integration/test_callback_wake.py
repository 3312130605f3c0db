"""The callback sender is woken, and claims from the store, only by receipts that queued a
callback (docs/adr/0058). The sender's poll is set to ten minutes here, so a callback that
arrives within seconds was sent because its receipt woke the sender; and a run of messages
of an account without any callback URL must not wake it or make it claim at all
(bramka_callbacks_wakeups_total, bramka_callbacks_claims_total). Simnet delivers
+48600000001-099."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402
from test_callbacks import Receiver, set_keys  # noqa: E402

NOTIFY = {
    "poll_interval_ms": 600000,  # the safety-net poll never runs during the test
    "allow_private_urls": "true",  # the receiver is on 127.0.0.1 (ADR 0025)
}


class CallbackWakeTest(unittest.TestCase):
    def setUp(self):
        self.rx = Receiver()
        self.rx.set_mode("ok")
        self.b = Bramka()
        set_keys(self.b.config, "notify", NOTIFY)

    def tearDown(self):
        self.b.cleanup()
        self.rx.close()

    def metric(self, name):
        _, _, data = self.b.raw("/metrics", method="GET")
        total = 0.0
        for line in data.decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def send(self, phones, **extra):
        r = self.b.api("messages/send_sms", {"phone": phones, "text": "hi", "details": True, **extra})
        self.assertIs(r.get("success"), True, r)
        return [item["id"] for item in r["items"]]

    def wait_delivered(self, n):
        wait_until(lambda: self.metric('bramka_messages{status="delivered"}') >= n, 30,
                   what=f"{n} messages delivered")

    def test_receipts_without_a_url_neither_wake_nor_claim(self):
        self.b.start()
        wait_until(lambda: self.metric("bramka_callbacks_claims_total") >= 1, 10,
                   what="the sender's first claim at start")
        claims = self.metric("bramka_callbacks_claims_total")
        self.send([f"+48600000{i:03d}" for i in range(1, 51)])
        self.wait_delivered(50)
        self.assertEqual(self.metric("bramka_callbacks_wakeups_total"), 0)
        self.assertEqual(self.metric("bramka_callbacks_claims_total"), claims)
        self.assertEqual(self.metric('bramka_callbacks_outbox{state="pending"}'), 0)

    def test_receipt_with_a_url_is_called_back_at_once(self):
        template = self.rx.url("/acct?id=#SMSID#&s=#STAN#")
        self.b.admin("account", "callbacks", "demo", "--dlr-url", template)
        self.b.start()
        wait_until(lambda: self.metric("bramka_callbacks_claims_total") >= 1, 10,
                   what="the sender's first claim at start")
        [smsid] = self.send(["+48600000051"])
        # Ten minutes' poll: only the receipt's wake-up can have sent it this soon.
        wait_until(lambda: self.rx.calls_for(smsid, "ok"), 10, what="the callback")
        self.assertGreaterEqual(self.metric("bramka_callbacks_wakeups_total"), 1)
        [(_, path, q)] = self.rx.calls_for(smsid, "ok")
        self.assertEqual((path, q["s"]), ("/acct", "delivered"))

    def test_a_messages_own_url_wakes_too(self):
        # The account has no template; the request's dlr_url queues the callback.
        self.b.start()
        [smsid] = self.send(["+48600000052"], dlr_url=self.rx.url("/own?id=#SMSID#"))
        wait_until(lambda: self.rx.calls_for(smsid, "ok"), 10, what="the callback")
        self.assertEqual(self.metric("bramka_callbacks_wakeups_total"), 1)


if __name__ == "__main__":
    unittest.main()
