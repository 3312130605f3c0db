"""Inbound messages (issue 6, spec §4.8, §4.9, §4.11, §6): the numbering plan
set with `bramka admin inbound`, incoming messages through simnet (`bramka admin
simnet mo`, messages/send_nd(i), the auto-reply test numbers +48600000 9xx),
routing (keyword, dedicated number, reply to an ECO message from the pool,
unmatched -> operator inbox), messages/recived, premium/*, quiz/view, the MO
callback, and isolation between accounts."""
import contextlib
import http.server
import os
import re
import sqlite3
import sys
import threading
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402

DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


class Receiver:
    """Answers OK to every callback and records its query."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                q = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
                with receiver.lock:
                    receiver.calls.append(q)
                body = b"OK"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def find(self, **want):
        with self.lock:
            return [c for c in self.calls if all(c.get(k) == v for k, v in want.items())]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class InboundTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rx = Receiver()
        cls.b = Bramka()
        b = cls.b
        b.admin("account", "add", "other", "--password", "other-pass", "--eco", "100",
                "--full", "100")
        cls.other = b.admin("token", "add", "other").stdout.strip()
        add = lambda *a: int(b.admin("inbound", "add", *a).stdout.strip())  # noqa: E731
        add("--kind", "nd", "--number", "+48500000100", "--keyword", "pizza", "--account", "demo")
        add("--kind", "nd", "--number", "+48500000100", "--keyword", "TAXI", "--account", "other")
        add("--kind", "ndi", "--number", "500000101", "--account", "demo")
        add("--kind", "ndi", "--number", "+48500000102", "--account", "other")
        add("--kind", "sc", "--number", "7100", "--keyword", "VOTE", "--account", "demo")
        add("--kind", "sci", "--number", "7101", "--account", "demo")
        add("--kind", "premium", "--number", "71200", "--keyword", "QUIZ", "--account", "demo",
            "--price", "2.46", "--answers", "2")
        add("--kind", "pool", "--number", "+48500000200")
        cls.quiz = int(b.admin("quiz", "add", "--account", "demo", "--name", "Konkurs",
                               "--number", "71200", "--keyword", "quiz",
                               "--options", "A,B,C").stdout.strip())
        with open(b.config) as f:  # the receiver is on 127.0.0.1 (SSRF guard, ADR 0025)
            text = f.read().replace("allow_private_urls = false", "allow_private_urls = true")
        with open(b.config, "w") as f:
            f.write(text)
        b.admin("account", "callbacks", "demo", "--mo-url",
                f"http://127.0.0.1:{cls.rx.port}/mo?from=#NUMER#&to=#NADAWCA#&text=#WIADOMOSC#")
        b.start()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()
        cls.rx.close()

    # ---- helpers ---------------------------------------------------------------------
    def mo(self, frm, to, text):
        self.b.admin("simnet", "mo", "--from", frm, "--to", to, "--text", text)

    def inbox(self, token="demo", **params):
        return self.b.api("messages/recived", params, token=token)

    def wait_text(self, text, token="demo", **params):
        found = {}

        def seen():
            for item in self.inbox(token=token, limit=500, **params)["items"]:
                if item["text"] == text:
                    found["item"] = item
                    return True
            return False
        wait_until(seen, 15, what=f"incoming message {text!r}")
        return found["item"]

    def operator_inbox(self):
        return self.b.admin("inbound", "inbox", "--limit", "500").stdout

    # ---- routing through simnet ---------------------------------------------------------
    def test_keyword_routing_and_isolation(self):
        item = self.wait_text_after(lambda: self.mo("+48600100001", "+48500000100", "Pizza duza"),
                                    "Pizza duza")
        self.assertEqual(item["type"], "nd")
        self.assertEqual(item["phone"], "+48600100001")
        self.assertTrue(DATE.match(item["recived"]))
        self.assertEqual(item["recived"], item["received"])
        self.assertIsNone(item["message_id"])
        self.assertIs(item["blacklist"], False)
        self.mo("+48600100001", "48500000100", "taxi na dworzec")
        other = self.wait_text("taxi na dworzec", token=self.other)
        self.assertEqual(other["type"], "nd")
        # Neither account sees the other's messages.
        texts = [i["text"] for i in self.inbox(limit=500)["items"]]
        self.assertNotIn("taxi na dworzec", texts)
        texts = [i["text"] for i in self.inbox(token=self.other, limit=500)["items"]]
        self.assertNotIn("Pizza duza", texts)

    def wait_text_after(self, action, text, **kw):
        action()
        return self.wait_text(text, **kw)

    def test_unmatched_messages_go_to_the_operator_inbox(self):
        self.mo("+48600100002", "+48500000100", "burger please")  # unknown keyword
        self.mo("+48600100002", "+48500000999", "nobody's number")
        wait_until(lambda: "burger please" in self.operator_inbox()
                   and "nobody's number" in self.operator_inbox(), 15,
                   what="the operator inbox")
        for token in ("demo", self.other):
            texts = [i["text"] for i in self.inbox(token=token, limit=500)["items"]]
            self.assertNotIn("burger please", texts)

    def test_every_number_kind(self):
        self.mo("+48600100003", "+48500000101", "to my ndi")
        self.mo("+48600100003", "7100", "vote yes")
        self.mo("+48600100003", "7101", "anything at all")
        self.assertEqual(self.wait_text("to my ndi")["type"], "ndi")
        self.assertEqual(self.wait_text("vote yes")["type"], "sc")
        self.assertEqual(self.wait_text("anything at all")["type"], "sci")
        # Filters: type, ndi, phone (JSON and form), dates.
        for form in (False, True):
            with self.subTest(form=form):
                r = self.b.api("messages/recived", {"type": "ndi", "limit": 500}, form=form)
                self.assertIn("to my ndi", [i["text"] for i in r["items"]])
                self.assertTrue(all(i["type"] == "ndi" for i in r["items"]))
                r = self.b.api("messages/received", {"ndi": "+48500000101", "limit": 500},
                               form=form)
                self.assertEqual({i["to_number"] for i in r["items"]}, {"+48500000101"})
                r = self.b.api("messages/recived", {"phone": ["600100003"], "limit": 500},
                               form=form)
                self.assertEqual({i["phone"] for i in r["items"]}, {"+48600100003"})
                r = self.b.api("messages/recived", {"date_from": "2000-01-01",
                                                    "date_to": "2000-01-02"}, form=form)
                self.assertEqual(r["items"], [])
                self.assertEqual(r["paging"], {"page": 1, "count": 1})
        # Bad input names the problem.
        r = self.b.api("messages/recived", {"type": "bogus"})
        self.assertEqual(r["error"]["code"], 1006)
        self.assertIn("type", r["error"]["message"])
        r = self.b.api("messages/recived", {"date_from": "yesterday-ish"}, form=True)
        self.assertEqual(r["error"]["code"], 1006)

    def test_read_marking(self):
        self.mo("+48600100004", "+48500000101", "read me once")
        self.wait_text("read me once")
        first = self.inbox(read=True, limit=500)["items"]
        self.assertIn("read me once", [i["text"] for i in first])
        again = self.inbox(read=True, limit=500)["items"]
        self.assertNotIn("read me once", [i["text"] for i in again])
        # Still listed without `read`.
        self.assertIn("read me once", [i["text"] for i in self.inbox(limit=500)["items"]])

    # ---- replies --------------------------------------------------------------------------
    def test_reply_to_an_eco_message_is_tied_to_it(self):
        r = self.b.api("messages/send_sms", {"phone": "+48600100005", "text": "Przyjedziesz?",
                                             "details": True})
        self.assertEqual(r["queued"], 1, r)
        msg_id = r["items"][0]["id"]
        view = self.b.api("messages/view", {"id": msg_id})
        self.assertEqual(view["sender"], "+48500000200")  # the pool number
        self.mo("+48600100005", "+48500000200", "Przyjade o 16")
        item = self.wait_text("Przyjade o 16")
        self.assertEqual(item["type"], "eco")
        self.assertEqual(item["message_id"], msg_id)
        texts = [i["text"] for i in self.inbox(token=self.other, limit=500)["items"]]
        self.assertNotIn("Przyjade o 16", texts)

    def test_auto_reply_test_number(self):
        r = self.b.api("messages/send_sms", {"phone": "+48600000950", "text": "ping",
                                             "details": True}, token=self.other)
        self.assertEqual(r["queued"], 1, r)
        item = self.wait_text("Re: ping", token=self.other)
        self.assertEqual(item["type"], "eco")
        self.assertEqual(item["message_id"], r["items"][0]["id"])

    # ---- send_nd / send_ndi ---------------------------------------------------------------
    def test_send_nd_and_send_ndi(self):
        for form in (False, True):
            with self.subTest(form=form):
                text = f"nd test {form}"
                r = self.b.api("messages/send_nd", {"phone": "500600700", "text": text}, form=form)
                self.assertEqual(r, {"success": True})
                item = self.wait_text("PIZZA " + text)  # the keyword routes it here
                self.assertEqual(item["type"], "nd")
                self.assertEqual(item["phone"], "+48500600700")
                text = f"ndi test {form}"
                r = self.b.api("messages/sendNdi", {"phone": "500600700", "text": text,
                                                    "ndi_number": "+48500000101"}, form=form)
                self.assertEqual(r, {"success": True})
                self.assertEqual(self.wait_text(text)["type"], "ndi")
        r = self.b.api("messages/send_ndi", {"phone": "500600700", "text": "x",
                                             "ndi_number": "+48500000102"})  # other's NDI
        self.assertEqual(r["error"]["code"], 1006)
        self.assertIn("ndi_number", r["error"]["message"])
        self.assertEqual(self.b.api("messages/send_nd", {"text": "x"})["error"]["code"], 2000)
        r = self.b.api("messages/send_nd", {"phone": "12", "text": "x"}, form=True)
        self.assertEqual(r["error"]["code"], 2001)

    # ---- premium and quizzes --------------------------------------------------------------
    def test_premium_answer_limit(self):
        self.mo("+48600100006", "71200", "QUIZ b")
        self.wait_text("QUIZ b", type="pre")
        items = self.b.api("premium/index")["items"]
        pre = [i for i in items if i["text"] == "QUIZ b"][0]
        self.assertEqual(pre["to_number"], "71200")
        self.assertEqual(pre["from_number"], "+48600100006")
        self.assertEqual(pre["limit"], 2)
        self.assertTrue(DATE.match(pre["date"]))
        params = {"phone": "600100006", "text": "Dziekujemy", "gate": "71200", "id": pre["id"]}
        self.assertTrue(self.b.api("premium/send", params)["success"])
        self.assertTrue(self.b.api("premium/send", params, form=True)["success"])
        r = self.b.api("premium/send", params)
        self.assertEqual(r["error"]["code"], 4201)
        left = [i for i in self.b.api("premium/index")["items"] if i["id"] == pre["id"]][0]
        self.assertEqual(left["limit"], 0)
        self.assertEqual(self.b.api("premium/send", dict(params, id=999999))["error"]["code"],
                         4201)
        # Another account cannot answer it.
        r = self.b.api("premium/send", params, token=self.other)
        self.assertEqual(r["error"]["code"], 4201)
        self.assertEqual(self.b.api("premium/index", token=self.other)["items"], [])
        self.assertEqual(self.b.api("premium/send", {"id": pre["id"]})["error"]["code"], 2000)

    def test_quiz_view_counts_answers(self):
        for frm, answer in (("+48600100010", "a"), ("+48600100011", "A"), ("+48600100012", "C"),
                            ("+48600100013", "Z")):
            self.mo(frm, "71200", "quiz " + answer + " !")
        for answer in ("a", "A", "C", "Z"):
            self.wait_text("quiz " + answer + " !", type="pre")
        for form in (False, True):
            r = self.b.api("quiz/view", {"id": self.quiz}, form=form)
            self.assertEqual(r["id"], self.quiz)
            self.assertEqual(r["name"], "Konkurs")
            counts = {i["id"]: i["count"] for i in r["items"]}
            self.assertGreaterEqual(counts[1], 2)
            self.assertGreaterEqual(counts[3], 1)
        self.assertEqual(self.b.api("quiz/view", {"id": 424242})["error"]["code"], 1004)
        self.assertEqual(self.b.api("quiz/view", {"id": self.quiz}, token=self.other)
                         ["error"]["code"], 1004)
        self.assertEqual(self.b.api("quiz/view", {})["error"]["code"], 2000)

    def test_show_contact_and_blacklist(self):
        g = self.b.api("groups/add", {"name": "Klienci inbound"})["id"]
        self.b.api("contacts/add", {"phone": "600100030", "group_id": g, "first_name": "Jan",
                                    "last_name": "Kowalski"})
        self.b.api("blacklist/add", {"phone": "600100031"})
        self.mo("+48600100030", "+48500000101", "from a contact")
        self.mo("+48600100031", "+48500000101", "from a blacklisted number")
        self.wait_text("from a blacklisted number")
        for form in (False, True):
            items = {i["text"]: i for i in self.b.api(
                "messages/recived", {"show_contact": True, "limit": 500}, form=form)["items"]}
            c = items["from a contact"]["contact"]
            self.assertEqual((c["first_name"], c["last_name"]), ("Jan", "Kowalski"))
            self.assertIs(items["from a blacklisted number"]["blacklist"], True)
            self.assertIsNone(items["from a blacklisted number"]["contact"])
        self.assertNotIn("contact", self.inbox(limit=1)["items"][0])

    # ---- callbacks and XML --------------------------------------------------------------------
    def test_mo_callback_reaches_the_receiver(self):
        self.mo("+48600100020", "+48500000101", "callback me")
        self.wait_text("callback me")
        wait_until(lambda: self.rx.find(text="callback me"), 15, what="the MO callback")
        call = self.rx.find(text="callback me")[0]
        self.assertEqual(call["from"], "+48600100020")
        self.assertEqual(call["to"], "+48500000101")
        # The other account has no MO URL: nothing for its messages.
        self.assertEqual(self.rx.find(text="taxi na dworzec"), [])

    def test_xml(self):
        self.mo("+48600100021", "+48500000101", "xml please")
        self.wait_text("xml please")
        status, body = self.b.api("messages/recived", {"limit": 5}, fmt=".xml")
        self.assertEqual(status, 200)
        self.assertIn(b"<recived>", body)
        self.assertIn(b"<received>", body)


def injections_left(b):
    db = os.path.join(b.dir, "data", "bramka.db")
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as c:
        return c.execute("SELECT COUNT(*) FROM injected_mo").fetchone()[0]


class InboundRestartTest(unittest.TestCase):
    """Injections wait in the store while serve is down; the inbox survives kill -9."""

    def test_injection_queued_while_stopped_and_inbox_after_kill9(self):
        b = Bramka()
        try:
            b.admin("inbound", "add", "--kind", "ndi", "--number", "+48500000101", "--account",
                    "demo")
            b.admin("simnet", "mo", "--from", "+48600100040", "--to", "+48500000101", "--text",
                    "sent while bramka was down")
            b.start()

            def texts():
                return [i["text"] for i in b.api("messages/recived", {"limit": 500})["items"]]
            wait_until(lambda: "sent while bramka was down" in texts(), 15,
                       what="the queued injection")
            # simnet delivers an injection at least once, like an SMSC whose deliver_sm was
            # not answered: it removes the entry only after the inbox row is committed, so a
            # kill -9 between the two delivers it again. Kill once it is removed.
            wait_until(lambda: injections_left(b) == 0, 15, what="the injection removed")
            b.kill9()
            b.start()
            self.assertEqual(texts().count("sent while bramka was down"), 1)
            self.assertEqual(b.stop(), 0)
        finally:
            b.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
