"""API v2 payments/* and stats/index (issue 3) through the real binary: top-ups sold
with `bramka admin payment`, the ledger and balances they change, invoices as PDF
(read back with poppler's pdftotext), per-request statistics, and isolation."""
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], check=True,
                              capture_output=True, text=True).stdout


class BillingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka().start()
        b = cls.b
        b.admin("account", "add", "other", "--password", "other-pass")
        cls.other_token = b.admin("token", "add", "other").stdout.strip()
        out = b.admin("payment", "add", "demo", "--type", "full", "--units", "1000",
                      "--price", "123.00", "--note", "Pakiet startowy").stdout
        cls.paid_id = int(re.search(r"\(id (\d+)\)", out).group(1))
        cls.paid_number = re.search(r"invoice (FV \d+/\d\d/\d{4})", out).group(1)
        out = b.admin("payment", "add", "demo", "--type", "eco", "--units", "10",
                      "--price", "5,5", "--unpaid", "--due-days", "7").stdout
        cls.unpaid_id = int(re.search(r"\(id (\d+)\)", out).group(1))

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def test_invoice_numbers_follow_the_month(self):
        month = time.strftime("%m/%Y")
        self.assertEqual(self.paid_number, f"FV 1/{month}")

    def test_admin_refuses_bad_orders(self):
        r = self.b.admin("payment", "add", "demo", "--units", "5", "--price", "12.345", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--price", r.stderr)
        r = self.b.admin("payment", "add", "nobody", "--units", "5", "--price", "1", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("nobody", r.stderr)
        r = self.b.admin("payment", "add", "demo", "--units", "0", "--price", "1", check=False)
        self.assertNotEqual(r.returncode, 0)
        r = self.b.admin("payment", "paid", "999999", check=False)
        self.assertNotEqual(r.returncode, 0)

    def test_index_lists_newest_first_with_paging(self):
        for form in (False, True):
            with self.subTest(form=form):
                r = self.b.api("payments/index", {"page": 1, "limit": 1}, form=form)
                self.assertEqual(r["paging"], {"page": 1, "count": 2})
                self.assertEqual(len(r["items"]), 1)
                item = r["items"][0]
                self.assertEqual(item["id"], self.unpaid_id)
                self.assertEqual(item["state"], "not_paid")
                self.assertEqual(item["total"], 5.5)
                self.assertEqual(item["paid"], 0.0)
                self.assertRegex(item["payment_to"], r"^\d{4}-\d\d-\d\d$")
                self.assertEqual(item["url"], f"/payments/invoice?id={self.unpaid_id}")
                r = self.b.api("payments/index", {"page": 2, "limit": 1}, form=form)
                self.assertEqual(r["items"][0]["id"], self.paid_id)
                self.assertEqual(r["items"][0]["state"], "paid")
                self.assertEqual(r["items"][0]["paid"], 123.0)

    def test_view_and_errors(self):
        r = self.b.api("payments/view", {"id": self.paid_id})
        self.assertEqual(r["number"], self.paid_number)
        self.assertEqual(r["total"], 123.0)
        self.assertEqual(self.b.api("payments/view", {})["error"]["code"], 2000)
        self.assertEqual(self.b.api("payments/view", {"id": 987654})["error"]["code"], 1004)
        self.assertEqual(self.b.api("payments/view", {"id": "abc"}, form=True)["error"]["code"],
                         1006)

    def test_topup_credits_the_balance_and_paying_does_not_credit_again(self):
        def units(kind):
            items = self.b.api("account/limits")["items"]
            return next(i["value"] for i in items if i["type"] == kind)
        before = int(units("full"))
        out = self.b.admin("payment", "add", "demo", "--type", "full", "--units", "250",
                           "--price", "30", "--unpaid").stdout
        pid = int(re.search(r"\(id (\d+)\)", out).group(1))
        self.assertEqual(int(units("full")), before + 250)
        self.b.admin("payment", "paid", str(pid))
        self.assertEqual(int(units("full")), before + 250)
        r = self.b.api("payments/view", {"id": pid})
        self.assertEqual((r["state"], r["paid"]), ("paid", 30.0))

    def test_invoice_is_a_pdf_with_the_numbers(self):
        body = json.dumps({"id": self.paid_id}).encode()
        for path in ("/payments/invoice", "/payments/invoice.json", "/payments/invoice.xml"):
            with self.subTest(path=path):
                status, headers, data = self.b.raw(path, body, {
                    "Content-Type": "application/json",
                    "Authorization": "Bearer " + self.b.token})
                self.assertEqual(status, 200)
                self.assertEqual(headers["Content-Type"], "application/pdf")
                self.assertTrue(data.startswith(b"%PDF-"), data[:40])
        text = pdf_text(data)
        self.assertIn("Faktura VAT " + self.paid_number, text)
        self.assertIn("demo", text)
        self.assertIn("100,00", text)   # net of 123,00 gross at 23 %
        self.assertIn("23,00", text)    # VAT
        self.assertIn("Razem do zapłaty: 123,00 PLN", text)
        self.assertIn("Zapłacono", text)
        self.assertIn("Uwagi: Pakiet startowy", text)
        # GET with the query string, as the `url` field says.
        status, headers, data = self.b.raw(f"/payments/invoice?id={self.unpaid_id}", b"", {
            "Authorization": "Bearer " + self.b.token}, method="GET")
        self.assertEqual(status, 200)
        self.assertIn("Termin płatności", pdf_text(data))
        r = self.b.api("payments/invoice", {"id": 424242})
        self.assertEqual(r["error"]["code"], 1004)

    def test_other_account_sees_nothing_of_demo(self):
        r = self.b.api("payments/index", {}, token=self.other_token)
        self.assertEqual(r["items"], [])
        self.assertEqual(r["paging"], {"page": 1, "count": 1})
        for action in ("payments/view", "payments/invoice"):
            r = self.b.api(action, {"id": self.paid_id}, token=self.other_token)
            self.assertEqual(r["error"]["code"], 1004, action)

    def wait_final(self, ids, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            statuses = [self.b.api("messages/view", {"id": i})["status"] for i in ids]
            if all(s in ("delivered", "undelivered", "unsent") for s in statuses):
                return statuses
            time.sleep(0.1)
        self.fail(f"messages not final in {timeout}s: {statuses}")

    def test_stats_group_each_request(self):
        eco = self.b.api("messages/send_sms", {
            "phone": ["500600700", "+48600000101", "600700800"], "text": "Statystyka",
            "details": True})
        full = self.b.api("messages/send_sms", {
            "phone": "500600701", "text": "Pelna", "sender": "INFORMACJA", "details": True})
        statuses = self.wait_final([i["id"] for i in eco["items"] + full["items"]])
        self.assertEqual(statuses, ["delivered", "undelivered", "delivered", "delivered"])
        eco_stat = self.b.api("messages/view", {"id": eco["items"][0]["id"]})
        r = self.b.api("stats/index", {"type": "eco"})
        rows = {row["text"]: row for row in r["items"]}
        row = rows["Statystyka"]
        self.assertEqual((row["delivered"], row["undelivered"], row["pending"], row["unsent"]),
                         (2, 1, 0, 0))
        self.assertEqual(row["type"], "eco")
        self.assertRegex(row["begin"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertNotIn("Pelna", rows)
        # The id is the stat_id messages/reports filters by.
        reports = self.b.api("messages/reports", {"stat_id": row["id"]})
        self.assertEqual(len(reports["items"]), 3)
        self.assertIn(eco_stat["id"], [m["id"] for m in reports["items"]])
        r = self.b.api("stats/index", {"type": "full"}, form=True)
        self.assertIn("Pelna", [x["text"] for x in r["items"]])
        # The API's dates are in the serve's zone (bramka.toml: Europe/Warsaw), not this
        # machine's: between 23:00 and 24:00 UTC they are already tomorrow there.
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Warsaw")).strftime("%Y-%m-%d")
        r = self.b.api("stats/index", {"begin": today, "end": today})
        self.assertGreaterEqual(len(r["items"]), 2)
        r = self.b.api("stats/index", {"begin": "2001-01-01", "end": "2001-01-31"})
        self.assertEqual(r["items"], [])
        self.assertEqual(self.b.api("stats/index", {"type": "sms"})["error"]["code"], 1006)
        self.assertEqual(self.b.api("stats/index", {"begin": "yesterday"})["error"]["code"], 1006)
        self.assertEqual(self.b.api("stats/index", {}, token=self.other_token)["items"], [])


if __name__ == "__main__":
    unittest.main()
