"""Operator experience through the real binary (issue 14, docs/adr/0018): the OpenAPI
document at /openapi.json against the routed actions; every metric the shipped Grafana
dashboard queries is exported by a running serve after a message went out through an
SMPP connector; JSON logs follow one message by message_id from ingest to receipt;
`bramka admin status`; a database from a newer bramka is refused. Loopback, port 0,
bounded waits."""
import json
import os
import re
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from harness import BIN, Bramka, wait_until  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "bramka.json")


def dashboard_metrics():
    """The bramka_* metric families the dashboard's queries use."""
    with open(DASHBOARD) as f:
        dash = json.load(f)
    names = set()
    for panel in dash["panels"]:
        for target in panel.get("targets", []):
            for name in re.findall(r"\bbramka_[a-z0-9_]+", target["expr"]):
                names.add(re.sub(r"_(bucket|sum|count)$", "", name)
                          if name.endswith(("_bucket", "_sum", "_count")) else name)
    return names


class OperatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smsc = Smsc(BIN)
        cls.b = Bramka(extra_config=connector_toml("smsc-a", cls.smsc.port) + route_toml(["smsc-a"]))
        with open(cls.b.config) as f:
            text = f.read()
        text = re.sub(r'log_format = "text"', 'log_format = "json"', text)
        text = re.sub(r'log_level = "info"', 'log_level = "debug"', text)
        with open(cls.b.config, "w") as f:
            f.write(text)
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.b.stop()
        log = cls.b.read_log()
        cls.smsc.stop()
        cls.b.cleanup()
        assert code == 0, f"bramka serve exited {code} on SIGTERM:\n{log}"

    def metrics_text(self):
        status, _, body = self.b.raw("/metrics", method="GET")
        self.assertEqual(status, 200)
        return body.decode()

    def send_one(self):
        wait_until(lambda: 'bramka_connector_bound{connector="smsc-a"} 1' in self.metrics_text(),
                   15, 0.05, "smsc-a to bind")
        r = self.b.api("messages/send_sms", {"phone": "500600700", "text": "follow me",
                                             "details": True})
        message_id = r["items"][0]["id"]

        def delivered():
            rep = self.b.api("messages/reports", {"id": [message_id]})["items"]
            return rep and rep[0]["status"] == "delivered"
        wait_until(delivered, 30, 0.05, f"message {message_id} to be delivered")
        return message_id

    # ---- OpenAPI ---------------------------------------------------------------------------
    def test_openapi_document_matches_the_routes(self):
        status, headers, body = self.b.raw("/openapi.json", method="GET")
        self.assertEqual(status, 200)
        self.assertIn("application/json", headers.get("Content-Type", ""))
        doc = json.loads(body)
        self.assertTrue(doc["openapi"].startswith("3."))
        self.assertIn("/messages/send_sms", doc["paths"])
        for path in doc["paths"]:
            action = "/error/1001" if path == "/error/{code}" else path
            # No credentials: an implemented action answers 1001 (or its own error
            # preview), an unknown one 1000.
            _, _, answer = self.b.raw(action, b"{}", {"Content-Type": "application/json"})
            code = json.loads(answer).get("error", {}).get("code")
            self.assertNotEqual(code, 1000, f"{path} is documented but not routed")
        _, _, answer = self.b.raw("/messages/no_such_action", b"{}",
                                  {"Content-Type": "application/json"})
        self.assertEqual(json.loads(answer)["error"]["code"], 1000)

    # ---- metrics, dashboard and logs --------------------------------------------------------
    def test_dashboard_metrics_are_exported_and_one_message_can_be_followed(self):
        message_id = self.send_one()
        wanted = dashboard_metrics()
        self.assertGreater(len(wanted), 15)
        # The receipt's metrics are counted just after the commit the report reads.
        scraped = {}

        def exported():
            scraped["text"] = self.metrics_text()
            scraped["missing"] = sorted(wanted - set(re.findall(r"^# TYPE (\S+) ", scraped["text"], re.M)))
            return not scraped["missing"] and re.search(
                r'bramka_receipt_latency_seconds_count\{connector="smsc-a"\} [1-9]', scraped["text"])
        try:
            wait_until(exported, 30, 0.05, "the dashboard's metrics")
        except AssertionError:
            self.assertEqual(scraped["missing"], [], "dashboard metrics not exported")
        text = scraped["text"]
        self.assertRegex(text, r'bramka_messages_in_total\{interface="http",result="accepted"\} [1-9]')
        self.assertRegex(text, r'bramka_receipt_latency_seconds_count\{connector="smsc-a"\} [1-9]')
        self.assertIn('bramka_messages_in_total{interface="smpp",result="accepted"} 0', text)

        def path_of_message():
            events = []
            for line in self.full_log().splitlines():
                if not line.startswith("{"):
                    continue
                entry = json.loads(line)  # every line is one JSON object
                if entry.get("message_id") == message_id:
                    events.append(entry["msg"].split(" message_id=")[0])
            return ("message receipt" in events) and events
        events = wait_until(path_of_message, 10, 0.05, "the receipt's log line")
        self.assertEqual(events[:2], ["message accepted", "message sent"], events)
        self.assertIn("message receipt", events)

    def full_log(self):
        with open(os.path.join(self.b.dir, "serve.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    # ---- admin status ---------------------------------------------------------------------
    def test_admin_status_summarises_health(self):
        wait_until(lambda: 'bramka_connector_bound{connector="smsc-a"} 1' in self.metrics_text(),
                   15, 0.05, "smsc-a to bind")
        r = self.b.admin("status", check=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("serve: pid", r.stdout)
        self.assertIn("/healthz ok", r.stdout)
        self.assertIn("smsc-a bound", r.stdout)
        self.assertRegex(r.stdout, r"queue: \d+ due, \d+ scheduled")
        self.assertIn("health: ok", r.stdout)


class StandaloneTest(unittest.TestCase):
    def setUp(self):
        self.b = Bramka()

    def tearDown(self):
        self.b.cleanup()

    def test_status_without_serve_and_newer_schema_refused(self):
        r = self.b.admin("status", check=False)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("serve: not running", r.stdout)
        self.assertIn("health: degraded", r.stdout)
        db = os.path.join(self.b.dir, "data", "bramka.db")
        with sqlite3.connect(db) as conn:
            (version,) = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
            conn.execute("UPDATE schema_version SET version = ?", (version + 1,))
        r = subprocess.run([BIN, "serve", "--config", self.b.config], capture_output=True,
                           text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"database schema version {version + 1} is newer than this bramka "
                      f"supports ({version})", r.stderr)
        self.assertFalse([f for f in os.listdir(os.path.dirname(db)) if ".pre-v" in f])

    def test_unknown_log_format_is_a_config_error(self):
        with open(self.b.config) as f:
            text = f.read().replace('log_format = "text"', 'log_format = "xml"')
        with open(self.b.config, "w") as f:
            f.write(text)
        r = subprocess.run([BIN, "serve", "--config", self.b.config], capture_output=True,
                           text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("log_format must be text, json or logfmt", r.stderr)


if __name__ == "__main__":
    unittest.main()
