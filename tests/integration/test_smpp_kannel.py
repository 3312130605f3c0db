"""The SMPP server (issue 4) against Kannel 1.4.5 (Debian `kannel`): bearerbox binds to
bramka as a transceiver with the demo SMPP login, a message sent through smsbox's sendsms
HTTP interface with dlr-mask 31 is stored and delivered in bramka (simnet), and the
delivery receipt comes back over SMPP and reaches the dlr-url, served by this test.
Loopback only; Kannel's own ports are picked free (it cannot take port 0); bounded waits."""
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, free_port, wait_until  # noqa: E402

HAVE_KANNEL = shutil.which("bearerbox") or os.path.exists("/usr/sbin/bearerbox")
BEARERBOX = shutil.which("bearerbox") or "/usr/sbin/bearerbox"
SMSBOX = shutil.which("smsbox") or "/usr/sbin/smsbox"


class DlrReceiver:
    """A tiny HTTP server recording the query of every request (Kannel's dlr-url calls)."""

    def __init__(self):
        self.calls = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.calls.append(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def kannel_conf(d, smpp_port, admin_port, smsbox_port, sendsms_port, mo_url=None):
    # Incoming messages (issue 6): smsbox hands every MO to `mo_url` and answers nothing.
    mo = f"""
group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "{mo_url}"
""" if mo_url else ""
    return mo + f"""
group = core
admin-port = {admin_port}
admin-password = secret
status-password = secret
admin-allow-ip = "127.0.0.1"
smsbox-port = {smsbox_port}
box-allow-ip = "127.0.0.1"
log-file = "{d}/bearerbox.log"
log-level = 1
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = bramka
host = 127.0.0.1
port = {smpp_port}
transceiver-mode = true
smsc-username = demo
smsc-password = demo
system-type = ""
reconnect-delay = 1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox_port}
sendsms-port = {sendsms_port}
sendsms-interface = 127.0.0.1
log-file = "{d}/smsbox.log"
log-level = 1

group = sendsms-user
username = tester
password = foobar
max-messages = 10
concatenation = true
"""


@unittest.skipUnless(HAVE_KANNEL, "kannel missing (scripts/install-deps.sh)")
class SmppKannelTest(unittest.TestCase):
    def setUp(self):
        self.procs = []
        self.outputs = []
        self.kdir = tempfile.mkdtemp(prefix="bramka-kannel-")
        self.b = Bramka().start()
        self.dlr = DlrReceiver()

    def tearDown(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for f in self.outputs:
            f.close()
        self.dlr.stop()
        code = self.b.stop()
        log = self.b.read_log()
        self.b.cleanup()
        shutil.rmtree(self.kdir, ignore_errors=True)
        self.assertEqual(code, 0, f"bramka serve exited {code}:\n{log}")

    def kannel_logs(self):
        text = ""
        for name in ("bearerbox.log", "smsbox.log"):
            path = os.path.join(self.kdir, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    text += f"--- {name}\n" + f.read()[-3000:]
        return text

    def wait(self, predicate, timeout, what):
        try:
            return wait_until(predicate, timeout, 0.1, what)
        except AssertionError as e:
            raise AssertionError(f"{e}\n{self.kannel_logs()}\n--- bramka\n{self.b.read_log()}")

    def start_kannel(self):
        self.admin_port, smsbox_port, self.sendsms_port = free_port(), free_port(), free_port()
        conf = os.path.join(self.kdir, "kannel.conf")
        mo_url = f"http://127.0.0.1:{self.dlr.port}/mo?kind=mo&from=%p&to=%P&text=%a"
        with open(conf, "w") as f:
            f.write(kannel_conf(self.kdir, self.b.smpp_port, self.admin_port, smsbox_port,
                                self.sendsms_port, mo_url))
        for binary, name in ((BEARERBOX, "bearerbox"), (SMSBOX, "smsbox")):
            out = open(os.path.join(self.kdir, name + ".out"), "wb")
            self.outputs.append(out)
            self.procs.append(subprocess.Popen([binary, conf], stdout=out, stderr=subprocess.STDOUT))
            if name == "bearerbox":
                self.wait(self.kannel_online, 20, "Kannel's SMPP link to bramka to be online")
        self.wait(self.sendsms_ready, 20, "smsbox sendsms to answer")

    def kannel_online(self):
        try:
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.admin_port}/status.txt?password=secret", timeout=2) as r:
                return "(online" in r.read().decode(errors="replace")
        except OSError:
            return False

    def sendsms_ready(self):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms", timeout=2)
        except urllib.error.HTTPError:
            return True  # answering (with an error for the empty request)
        except OSError:
            return False
        return True

    def sendsms(self, **params):
        q = urllib.parse.urlencode(dict(username="tester", password="foobar", **params))
        try:
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms?{q}", timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def send_and_wait_delivered(self, text, tag):
        dlr_url = f"http://127.0.0.1:{self.dlr.port}/dlr?type=%d&fid=%F&to=%P&tag={tag}"
        status, body = self.sendsms(**{"from": "Bramka", "to": "+48500600700", "text": text,
                                       "dlr-mask": "31", "dlr-url": dlr_url})
        self.assertEqual(status, 202, body)
        self.assertIn("Accepted", body)

        # Kannel reports the SMSC's acceptance (type 8) with bramka's id, then the receipt.
        def delivered_dlr():
            return [c for c in self.dlr.calls if c.get("type") == "1" and c.get("tag") == tag]
        calls = self.wait(delivered_dlr, 30, "the delivery report at the dlr-url")
        fid = calls[0]["fid"]
        self.assertRegex(fid, r"^[0-9a-f]{10}$")
        m = self.b.api("messages/view", {"id": fid})
        self.assertEqual(m.get("status"), "delivered", m)
        self.assertEqual(m.get("text"), text)
        self.assertEqual(m.get("sender"), "Bramka")
        self.assertEqual(m.get("phone"), "+48500600700")
        acks = [c for c in self.dlr.calls if c.get("type") == "8" and c.get("tag") == tag]
        self.assertTrue(acks and acks[0]["fid"] == fid, self.dlr.calls)
        return fid

    def test_incoming_message_reaches_kannel_as_deliver_sm(self):
        # Issue 6: an MO for the demo account's NDI goes out as deliver_sm on Kannel's
        # transceiver bind; smsbox passes it to its sms-service URL.
        self.b.admin("inbound", "add", "--kind", "ndi", "--number", "+48500000101",
                     "--account", "demo")
        self.start_kannel()
        self.b.admin("simnet", "mo", "--from", "+48600100050", "--to", "+48500000101",
                     "--text", "Hello Kannel, this is MO")

        def mo_calls():
            return [c for c in self.dlr.calls if c.get("kind") == "mo"]
        call = self.wait(mo_calls, 30, "the MO at Kannel's sms-service")[0]
        self.assertEqual(call["text"], "Hello Kannel, this is MO")
        self.assertEqual(call["from"], "+48600100050")
        self.assertIn("48500000101", call["to"])

    def test_send_through_kannel_with_delivery_report(self):
        self.start_kannel()
        self.send_and_wait_delivered("Hello from Kannel", "short")
        # A long text: Kannel splits it with a concatenation UDH (esm_class 0x43); bramka
        # stores one message with the whole text and answers every part with its id.
        self.send_and_wait_delivered("Long message from Kannel. " * 8, "long")


if __name__ == "__main__":
    unittest.main()
