"""The API over HTTPS with a real TLS client (issue 3): curl trusting the certificate that
`bramka init` wrote, refusing it without the CA, TLS below 1.2 refused, and a plain-text
request on the TLS port dropped without harm."""
import json
import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka().start()
        cls.ca = os.path.join(cls.b.dir, "tls", "cert.pem")

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def curl(self, *args):
        return subprocess.run(["curl", "-sS", "--max-time", "20", *args],
                              capture_output=True, text=True, timeout=30)

    def url(self, action):
        return f"https://127.0.0.1:{self.b.https_port}/{action}"

    def test_curl_with_the_ca_sends_and_reads(self):
        r = self.curl("--cacert", self.ca, "-H", "Authorization: Bearer " + self.b.token,
                      "-H", "Content-Type: application/json",
                      "-d", json.dumps({"phone": "500600700", "text": "over TLS", "details": True}),
                      self.url("messages/send_sms.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        sent = json.loads(r.stdout)
        self.assertEqual(sent["queued"], 1, sent)
        r = self.curl("--cacert", self.ca, "-d", "username=demo&password=demo&id=" +
                      sent["items"][0]["id"], self.url("messages/view"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["text"], "over TLS")
        r = self.curl("--cacert", self.ca, "-d", "username=demo&password=demo",
                      self.url("account/limits.xml"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("<response>", r.stdout)

    def test_curl_without_the_ca_refuses_the_certificate(self):
        r = self.curl(self.url("account/limits"))
        self.assertEqual(r.returncode, 60, r.stderr)  # CURLE_PEER_FAILED_VERIFICATION

    def test_tls_below_1_2_is_refused(self):
        # SECLEVEL=0 lifts Debian's client-side floor, so it is bramka that refuses.
        r = self.curl("--cacert", self.ca, "--tlsv1", "--tls-max", "1.1",
                      "--ciphers", "DEFAULT@SECLEVEL=0", self.url("account/limits"))
        self.assertEqual(r.returncode, 35, r.stderr)  # CURLE_SSL_CONNECT_ERROR
        self.assertIn("alert", r.stderr)
        r = self.curl("--cacert", self.ca, "--tlsv1.2", "--tls-max", "1.2",
                      "-d", "username=demo&password=demo", self.url("account/limits"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("items", json.loads(r.stdout))

    def test_plain_http_on_the_tls_port_is_dropped_and_the_server_stays_up(self):
        with socket.create_connection(("127.0.0.1", self.b.https_port), timeout=10) as s:
            s.sendall(b"POST /account/limits HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        self.assertNotIn(b"items", data)
        r = self.curl("--cacert", self.ca, "-d", "username=demo&password=demo",
                      self.url("account/limits"))
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
