"""The provider's client libraries against the real binary (issue 14, docs/integration.md).

Of the official SerwerSMS.pl API v2 clients (spec §1), only the Node one can be installed
here from a registry this project uses: npm `serwersms.pl` 1.0.8, with `request`, which it
requires without declaring it (package.json; scripts/install-deps.sh runs npm install).
tests/support/serwersms_node.js runs it unchanged, its `api_url` set to bramka's, and this
test checks what a customer's Node code sees: sending (send_sms with a list of phones and
send_personalized with a list of messages, both as the client's PHP-bracket form), the
delivery report reaching `delivered`, one message, the balances, and a wrong password
answered with the 1001 envelope. The PHP, Python, Java, Ruby, Perl, C# and Bash clients are
on no registry this machine reaches (PyPI, Packagist, Maven, NuGet, RubyGems, GitHub): their
wire shapes are covered by tests/integration/test_api_send.py and test_bad_input.py, and
docs/integration.md says their examples were written from the spec.
"""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DRIVER = os.path.join(ROOT, "tests", "support", "serwersms_node.js")
HAVE_NODE_CLIENT = (shutil.which("node") is not None
                    and os.path.exists(os.path.join(ROOT, "node_modules", "serwersms.pl"))
                    and os.path.exists(os.path.join(ROOT, "node_modules", "request")))


@unittest.skipUnless(HAVE_NODE_CLIENT, "node or npm serwersms.pl/request missing "
                     "(scripts/install-deps.sh installs them)")
class NodeClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka().start()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def node(self, *steps, username="demo", password="demo"):
        """Runs the steps through the client; returns each answer decoded."""
        r = subprocess.run(["node", DRIVER, self.b.url("/"), username, password,
                            json.dumps([list(s) for s in steps])],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(body) for body in json.loads(r.stdout)]

    def test_send_report_view_limits(self):
        sent, = self.node(("oMessages", "sendSms", [{
            "phone": ["500600700", "+48600700800"], "text": "Kod: 1234",
            "details": True}]))
        self.assertIs(sent.get("success"), True, sent)
        self.assertEqual((sent["queued"], sent["unsent"]), (2, 0))
        self.assertEqual([i["phone"] for i in sent["items"]], ["+48500600700", "+48600700800"])
        ids = [i["id"] for i in sent["items"]]

        def delivered():
            report, = self.node(("oMessages", "reports", [{"id": ids}]))
            self.assertIn("items", report, report)
            statuses = {i["id"]: i["status"] for i in report["items"]}
            return statuses if statuses == {i: "delivered" for i in ids} else None
        wait_until(delivered, timeout=60, interval=0.2, what="both messages delivered")

        view, limits = self.node(("oMessages", "view", [{"id": ids[0]}]),
                                 ("oAccount", "limits", []))
        self.assertEqual((view["id"], view["status"], view["text"]),
                         (ids[0], "delivered", "Kod: 1234"))
        self.assertEqual([i["type"] for i in limits["items"]][:2], ["eco", "full"])

    def test_send_personalized_and_full_sender(self):
        sent, = self.node(("oMessages", "sendPersonalized", [{
            "messages": [{"phone": "500600700", "text": "Pierwsza"},
                         {"phone": "600700800", "text": "Druga: z dwukropkiem"}],
            "sender": "INFORMACJA", "details": True}]))
        self.assertIs(sent.get("success"), True, sent)
        self.assertEqual([(i["phone"], i["text"]) for i in sent["items"]],
                         [("+48500600700", "Pierwsza"), ("+48600700800", "Druga: z dwukropkiem")])
        view, = self.node(("oMessages", "view", [{"id": sent["items"][1]["id"]}]))
        self.assertEqual((view["sender"], view["type"]), ("INFORMACJA", "full"))

    def test_wrong_password_and_bad_input(self):
        denied, = self.node(("oMessages", "sendSms", [{"phone": ["500600700"], "text": "x"}]),
                            password="wrong")
        self.assertEqual(denied["error"]["code"], 1001, denied)
        self.assertEqual(denied["error"]["type"], "InvalidUser")
        no_text, = self.node(("oMessages", "sendSms", [{"phone": ["500600700"]}]))
        self.assertIn("error", no_text)
        self.assertIn("text", no_text["error"]["message"])


if __name__ == "__main__":
    unittest.main()
