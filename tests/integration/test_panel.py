"""The web panel (issue 10, docs/adr/0017) through the real binary.

test_browser: Debian's Chromium driven by playwright-core (tests/support/panel_e2e.js):
log in (a wrong password first), send a message and watch it become delivered, import
contacts from CSV, request a sender name and approve it as the operator, create an SMPP
user, set up an FTP source; a screenshot of every page is taken (the path is printed) and
kept in $BRAMKA_ARTEFACT_DIR if set, or in a temp folder when a check failed.
The other tests speak HTTP directly: the session cookie's attributes, CSRF and origin
checks, sessions that survive a restart, static assets with CSP and ETags.
Loopback, port 0, bounded waits."""
import http.cookies
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
E2E = os.path.join(ROOT, "tests", "support", "panel_e2e.js")
HAVE_BROWSER = (shutil.which("node") and os.path.exists("/usr/bin/chromium")
                and os.path.isdir(os.path.join(ROOT, "node_modules", "playwright-core")))
OPERATOR_PASSWORD = "operator-pass-1"
PAGES = ["login", "dashboard", "send", "send-375px", "messages", "contacts", "senders",
         "integrations", "inbox", "templates", "subaccounts", "blacklist", "op-accounts", "op-signups", "op-senders", "op-numbers",
         "op-inbox", "op-health"]


class PanelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka()
        cls.b.admin("panel", "password", "--password", OPERATOR_PASSWORD)
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.b.stop()
        log = cls.b.read_log()
        cls.b.cleanup()
        assert code == 0, f"bramka serve exited {code}:\n{log}"

    # ---- HTTP helpers ------------------------------------------------------------------
    def post(self, path, body, cookie=None, csrf=None, https=False, origin=None):
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        if csrf:
            headers["X-CSRF-Token"] = csrf
        if origin:
            headers["Origin"] = origin
        status, hdrs, data = self.b.raw(path, json.dumps(body).encode(), headers, https=https)
        return status, hdrs, json.loads(data or b"{}")

    def get(self, path, cookie=None, headers=None):
        h = dict(headers or {})
        if cookie:
            h["Cookie"] = cookie
        return self.b.raw(path, headers=h, method="GET")

    def login(self, https=False, operator=False):
        if operator:
            status, hdrs, body = self.post("/panel/api/operator/login", {"password": OPERATOR_PASSWORD},
                                           https=https)
        else:
            status, hdrs, body = self.post("/panel/api/login", {"username": "demo", "password": "demo"},
                                           https=https)
        self.assertEqual(status, 200, body)
        set_cookie = hdrs["Set-Cookie"]
        return set_cookie, set_cookie.split(";", 1)[0], body["csrf"]

    # ---- tests -------------------------------------------------------------------------
    @unittest.skipUnless(HAVE_BROWSER, "node, playwright-core or /usr/bin/chromium missing (scripts/install-deps.sh)")
    def test_browser(self):
        base = os.environ.get("BRAMKA_ARTEFACT_DIR") or tempfile.mkdtemp(prefix="bramka-panel-")
        shots = os.path.join(base, "panel-screenshots")
        os.makedirs(shots, exist_ok=True)
        # A signup for the operator to approve in the browser (account/add, spec §4.12).
        # (The demo account may not ask for accounts: 4312.)
        self.b.admin("account", "add", "reseller", "--password", "reseller-pw")
        r = self.b.api("account/add", {"first_name": "Anna", "last_name": "Nowak", "company": "Nowa Firma",
                                       "email": "anna@nowa.example", "phone": "500100300"},
                       token=None, credentials=("reseller", "reseller-pw"))
        self.assertTrue(r.get("success"), r)
        env = dict(os.environ, BASE_URL=f"http://127.0.0.1:{self.b.http_port}", SHOTS_DIR=shots,
                   OPERATOR_PASSWORD=OPERATOR_PASSWORD)
        r = subprocess.run(["node", E2E], cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
        print(r.stdout)
        print(f"panel screenshots: {shots}")
        self.assertEqual(r.returncode, 0, f"{r.stdout}\n{r.stderr}\n{self.b.read_log()}")
        for page in PAGES:
            self.assertTrue(os.path.getsize(os.path.join(shots, page + ".png")) > 1000, page)
        # What the browser did is real: seen through the API and bramka admin.
        senders = self.b.api("senders/index")["items"]
        self.assertIn({"name": "PANELTEST", "status": "authorized"},
                      [{"name": s["name"], "status": s["status"]} for s in senders])
        groups = self.b.api("groups/index", {"search": "Import z panelu"})["items"]
        self.assertEqual([g["count"] for g in groups if g["name"] == "Import z panelu"], [2])
        self.assertIn("panel1", self.b.admin("smpp-user", "list").stdout)
        ftp = self.b.admin("ftp", "list", "demo").stdout
        self.assertIn("127.0.0.1", ftp)
        self.assertNotIn("tajne", ftp)
        sql = self.b.admin("sql", "list", "demo").stdout
        self.assertIn("klient@127.0.0.1:1/sms", sql)
        self.assertNotIn("sekret", sql)
        self.assertIn("nowafirma", self.b.admin("account", "list").stdout)
        if not os.environ.get("BRAMKA_ARTEFACT_DIR"):
            shutil.rmtree(base)  # kept only when a check failed, or in the artefact folder asked for

    def test_cookie_csrf_and_origin(self):
        set_cookie, cookie, csrf = self.login()
        morsel = http.cookies.SimpleCookie(set_cookie)["bramka_panel"]
        self.assertEqual(len(morsel.value), 64)
        self.assertTrue(morsel["httponly"])
        self.assertEqual(morsel["samesite"], "Strict")
        self.assertFalse(morsel["secure"])  # plain HTTP
        _, secure_cookie, _ = self.login(https=True)
        status, hdrs, _ = self.post("/panel/api/login", {"username": "demo", "password": "demo"},
                                    https=True)
        self.assertIn("Secure", hdrs["Set-Cookie"])

        limits = "/panel/api/v2/account/limits"
        status, _, body = self.post(limits, {}, cookie=cookie)
        self.assertEqual((status, body["error"]["code"]), (403, "csrf"))
        status, _, body = self.post(limits, {}, cookie=cookie, csrf="0" * 32)
        self.assertEqual(status, 403)
        status, _, body = self.post(limits, {}, cookie=cookie, csrf=csrf, origin="http://evil.example")
        self.assertEqual((status, body["error"]["code"]), (403, "origin"))
        status, _, body = self.post(limits, {}, cookie=cookie, csrf=csrf)
        self.assertEqual(status, 200)
        self.assertEqual(body["items"][0]["type"], "eco")
        # Form encoding reaches the same action (the API's decoders).
        status, _, data = self.b.raw(limits, b"show_type=1", {"Cookie": cookie, "X-CSRF-Token": csrf,
                                     "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(json.loads(data)["account"]["type"], "prepaid")
        # No session: 401, whatever the token.
        status, _, _ = self.post(limits, {}, csrf=csrf)
        self.assertEqual(status, 401)
        # A customer is not the operator, and the operator is not a customer.
        self.assertEqual(self.get("/panel/api/op/accounts", cookie=cookie)[0], 403)
        _, op_cookie, op_csrf = self.login(operator=True)
        self.assertEqual(self.post(limits, {}, cookie=op_cookie, csrf=op_csrf)[0], 403)
        status, _, data = self.get("/panel/api/op/accounts", cookie=op_cookie)
        self.assertEqual(status, 200)
        self.assertIn("demo", [a["name"] for a in json.loads(data)["items"]])
        # Wrong passwords: 401 naming the field.
        status, _, body = self.post("/panel/api/login", {"username": "demo", "password": "nope"})
        self.assertEqual((status, body["error"]["field"]), (401, "password"))
        status, _, body = self.post("/panel/api/operator/login", {"password": "nope"})
        self.assertEqual(status, 401)

    def test_login_is_throttled_like_the_api(self):
        self.b.admin("account", "add", "slowpoke", "--password", "right-one")
        for _ in range(10):
            status, _, body = self.post("/panel/api/login", {"username": "slowpoke", "password": "bad"})
            self.assertEqual(status, 401, body)
        status, _, body = self.post("/panel/api/login", {"username": "slowpoke", "password": "right-one"})
        self.assertEqual((status, body["error"]["code"], body["error"]["field"]), (429, "throttled", "password"))
        # The API refuses the name for the same reason (1012): one throttle.
        r = self.b.api("account/limits", token=None, credentials=("slowpoke", "right-one"))
        self.assertEqual(r["error"]["code"], 1012)

    def test_sessions_survive_a_restart_until_logout(self):
        _, cookie, csrf = self.login()
        self.b.stop()
        self.b.start()
        status, _, data = self.get("/panel/api/session", cookie=cookie)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(data), {"kind": "customer", "account": "demo", "csrf": csrf})
        status, hdrs, _ = self.post("/panel/api/logout", {}, cookie=cookie, csrf=csrf)
        self.assertEqual(status, 200)
        self.assertIn("Max-Age=0", hdrs["Set-Cookie"])
        self.assertEqual(self.get("/panel/api/session", cookie=cookie)[0], 401)

    def test_assets(self):
        status, hdrs, body = self.get("/panel/")
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["Content-Type"], "text/html; charset=utf-8")
        csp = hdrs["Content-Security-Policy"]
        self.assertIn("default-src 'none'", csp)
        self.assertIn("script-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(hdrs["X-Content-Type-Options"], "nosniff")
        self.assertIn(b'src="app.js"', body)
        status, hdrs2, body2 = self.get("/panel/index.html", headers={"If-None-Match": hdrs["ETag"]})
        self.assertEqual((status, body2), (304, b""))
        for name, ctype in [("app.js", "text/javascript; charset=utf-8"),
                            ("style.css", "text/css; charset=utf-8"), ("icon.svg", "image/svg+xml")]:
            status, h, _ = self.get("/panel/" + name)
            self.assertEqual((status, h["Content-Type"]), (200, ctype), name)
        self.assertEqual(self.get("/panel/nope.js")[0], 404)
        self.assertEqual(self.get("/panel/../bramka.toml")[0], 404)
        # The API is untouched next to the panel.
        self.assertEqual(self.b.api("account/limits")["items"][0]["type"], "eco")


if __name__ == "__main__":
    unittest.main(verbosity=2)
