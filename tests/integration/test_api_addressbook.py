"""API v2 address book through the real binary (issue 3): groups/* (spec §4.14),
contacts/* (§4.15) with import in all three `contact` shapes, blacklist/* (§4.18),
templates/* (§4.21), sending to group_id/contact_id, and tenant isolation.

Every action is driven in JSON and in form encoding, happy path and bad input."""
import json
import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka  # noqa: E402

DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
FORMS = (False, True)  # JSON, then form encoding


class AddressBookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka().start()
        cls.b.admin("account", "add", "other", "--password", "pw-other", "--eco", "100")
        cls.other = cls.b.admin("token", "add", "other").stdout.strip()

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    # ---- helpers ---------------------------------------------------------------------
    def api(self, action, params=None, form=False, token="demo"):
        return self.b.api(action, params, form=form, token=token)

    def code(self, answer):
        self.assertIn("error", answer, answer)
        return answer["error"]["code"]

    def form_raw(self, action, pairs, token="demo"):
        """A form body built by hand (nested brackets, as Node's `qs` sends them)."""
        body = urllib.parse.urlencode(pairs).encode()
        tok = self.b.token if token == "demo" else token
        status, _, data = self.b.raw("/" + action, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "Bearer " + tok})
        self.assertEqual(status, 200)
        return json.loads(data)

    def new_group(self, name, token="demo"):
        r = self.api("groups/add", {"name": name}, token=token)
        self.assertIs(r.get("success"), True, r)
        self.assertIsInstance(r["id"], int)
        return r["id"]

    def new_contact(self, phone, group_id=None, token="demo", **fields):
        params = {"phone": phone, **fields}
        if group_id is not None:
            params["group_id"] = group_id
        r = self.api("contacts/add", params, token=token)
        self.assertIs(r.get("success"), True, r)
        self.assertIsInstance(r["id"], int)
        return r["id"]

    # ---- groups (spec §4.14) -----------------------------------------------------------
    def test_groups(self):
        for form in FORMS:
            with self.subTest(form=form):
                tag = "F" if form else "J"
                r = self.api("groups/add", {"name": f"Test API {tag}"}, form=form)
                self.assertIs(r["success"], True, r)
                gid = r["id"]
                self.assertEqual(self.code(self.api("groups/add", {}, form=form)), 2000)
                self.assertEqual(self.code(self.api("groups/add", {"name": "  "}, form=form)), 2000)

                self.new_contact("600700801", gid)
                view = self.api("groups/view", {"id": gid}, form=form)
                self.assertEqual(view, {"id": gid, "name": f"Test API {tag}", "count": 1})
                self.assertEqual(self.api("groups/view", {"id": str(gid)}, form=form)["id"], gid)
                missing = self.api("groups/view", {"id": 999999}, form=form)
                self.assertEqual(self.code(missing), 1004)
                self.assertIn("999999", missing["error"]["message"])
                self.assertEqual(self.code(self.api("groups/view", {"id": "abc"}, form=form)), 1006)
                self.assertEqual(self.code(self.api("groups/view", {}, form=form)), 2000)

                r = self.api("groups/edit", {"id": gid, "name": f"Renamed {tag}"}, form=form)
                self.assertEqual(r, {"success": True, "id": gid})
                self.assertEqual(self.api("groups/view", {"id": gid})["name"], f"Renamed {tag}")
                self.assertEqual(self.code(self.api("groups/edit", {"id": gid}, form=form)), 2000)
                self.assertEqual(
                    self.code(self.api("groups/edit", {"id": 999999, "name": "x"}, form=form)), 1004)

                check = self.api("groups/check", {"phone": "+48600700801"}, form=form)
                self.assertIn((gid, f"Renamed {tag}"),
                              [(i["group_id"], i["group_name"]) for i in check["items"]])
                self.assertTrue(all(isinstance(i["id"], int) for i in check["items"]))
                self.assertEqual(self.code(self.api("groups/check", {"phone": "12"}, form=form)),
                                 2001)
                self.assertEqual(self.code(self.api("groups/check", {}, form=form)), 2000)

    def test_groups_index_search_paging_sort(self):
        names = ["Idx Gamma", "Idx alpha", "Idx Beta"]
        ids = [self.new_group(n) for n in names]
        for form in FORMS:
            with self.subTest(form=form):
                r = self.api("groups/index", {"search": "idx", "page": 1, "limit": 2}, form=form)
                self.assertEqual(r["paging"], {"page": 1, "count": 2})
                self.assertEqual([g["id"] for g in r["items"]], ids[:2])
                self.assertEqual(set(r["items"][0]), {"id", "name", "count"})
                r = self.api("groups/index", {"search": "IDX", "page": 2, "limit": 2}, form=form)
                self.assertEqual([g["name"] for g in r["items"]], ["Idx Beta"])
                r = self.api("groups/index", {"search": "Idx", "sort": "name", "order": "desc"},
                             form=form)
                self.assertEqual([g["name"] for g in r["items"]],
                                 ["Idx alpha", "Idx Gamma", "Idx Beta"])
                r = self.api("groups/index", {"search": "nothing like it"}, form=form)
                self.assertEqual(r, {"paging": {"page": 1, "count": 1}, "items": []})
                self.assertEqual(self.code(self.api("groups/index", {"sort": "size"}, form=form)),
                                 1006)
                self.assertEqual(self.code(self.api("groups/index", {"order": "up"}, form=form)),
                                 1006)
                self.assertEqual(self.code(self.api("groups/index", {"page": "x"}, form=form)),
                                 1006)
        # Node-style: credentials in a form body; and the XML rendering (spec §1.7).
        r = self.b.api("groups/index", {"search": "Idx", "limit": 1}, form=True, token=None,
                       credentials=("demo", "demo"))
        self.assertEqual(r["paging"]["count"], 3, r)
        status, xml = self.b.api("groups/index", {"search": "Idx", "limit": 1}, fmt=".xml")
        self.assertEqual(status, 200)
        self.assertIn(b"<paging><page>1</page><count>3</count></paging>", xml)
        self.assertIn(b"<name>Idx Gamma</name>", xml)

    def test_groups_delete_with_and_without_contacts(self):
        for form in FORMS:
            with self.subTest(form=form):
                keep = self.new_group("Keep contacts")
                kept = self.new_contact("600700811", keep)
                self.assertEqual(self.api("groups/delete", {"id": keep}, form=form),
                                 {"success": True})
                self.assertEqual(self.code(self.api("groups/view", {"id": keep})), 1004)
                self.assertEqual(self.api("contacts/view", {"id": kept})["phone"], "+48600700811")

                drop = self.new_group("Drop contacts")
                dropped = self.new_contact("600700812", drop)
                self.assertEqual(self.api("groups/delete", {"id": drop, "delete_contacts": True},
                                          form=form), {"success": True})
                self.assertEqual(self.code(self.api("contacts/view", {"id": dropped})), 1004)
                self.assertEqual(self.code(self.api("groups/delete", {"id": drop}, form=form)),
                                 1004)
                self.assertEqual(self.code(self.api("groups/delete", {}, form=form)), 2000)

    # ---- contacts (spec §4.15) ----------------------------------------------------------
    def test_contacts_add_view_edit_delete(self):
        g1 = self.new_group("Contacts one")
        g2 = self.new_group("Contacts two")
        for form in FORMS:
            with self.subTest(form=form):
                r = self.api("contacts/add", {
                    "group_id": [g1, g2], "phone": "500 600 800", "first_name": "John",
                    "last_name": "Doe", "email": "john@example.com", "company": "ACME",
                    "tax_id": "1234563218", "address": "Prosta 1", "city": "Łódź",
                    "description": "Dodatkowy opis"}, form=form)
                self.assertIs(r["success"], True, r)
                cid = r["id"]
                view = self.api("contacts/view", {"id": cid}, form=form)
                self.assertEqual(view, {
                    "id": cid, "phone": "+48500600800", "email": "john@example.com",
                    "company": "ACME", "first_name": "John", "last_name": "Doe",
                    "tax_id": "1234563218", "address": "Prosta 1", "city": "Łódź",
                    "description": "Dodatkowy opis", "blacklist": False})
                self.assertEqual(self.code(self.api("contacts/add", {"group_id": g1}, form=form)),
                                 2000)
                bad = self.api("contacts/add", {"group_id": g1, "phone": "12"}, form=form)
                self.assertEqual(self.code(bad), 2001)
                self.assertIn("12", bad["error"]["message"])
                unknown = self.api("contacts/add", {"group_id": 999999, "phone": "500600800"},
                                   form=form)
                self.assertEqual(self.code(unknown), 1004)
                self.assertIn("group 999999", unknown["error"]["message"])
                self.assertEqual(self.code(self.api("contacts/add", {
                    "group_id": "x", "phone": "500600800"}, form=form)), 1006)

                r = self.api("contacts/edit", {"id": cid, "group_id": g2, "phone": "500600700",
                                               "email": "test@mail.com"}, form=form)
                self.assertEqual(r, {"success": True, "id": cid})
                view = self.api("contacts/view", {"id": cid})
                self.assertEqual((view["phone"], view["email"], view["first_name"]),
                                 ("+48500600700", "test@mail.com", "John"))
                listed = self.api("contacts/index", {"group_id": g1})["items"]
                self.assertNotIn(cid, [c["id"] for c in listed])
                self.assertEqual(self.code(self.api("contacts/edit", {"id": cid, "phone": "1"},
                                                    form=form)), 2001)
                self.assertEqual(self.code(self.api("contacts/edit", {"phone": "500600700"},
                                                    form=form)), 2000)
                self.assertEqual(self.code(self.api("contacts/edit", {"id": 999999, "city": "x"},
                                                    form=form)), 1004)

                self.assertEqual(self.api("contacts/delete", {"id": cid}, form=form),
                                 {"success": True})
                self.assertEqual(self.code(self.api("contacts/view", {"id": cid}, form=form)), 1004)
                self.assertEqual(self.code(self.api("contacts/delete", {"id": cid}, form=form)),
                                 1004)
                self.assertEqual(self.code(self.api("contacts/delete", {"id": "1x"}, form=form)),
                                 1006)

    def test_contacts_index(self):
        g = self.new_group("Index group")
        a = self.new_contact("600700901", g, first_name="Zofia", city="Gdańsk")
        b = self.new_contact("600700902", g, first_name="Adam", city="Warszawa")
        loose = self.new_contact("600700903", first_name="Loose", last_name="Nogroup")
        for form in FORMS:
            with self.subTest(form=form):
                r = self.api("contacts/index", {"group_id": g}, form=form)
                self.assertEqual(r["paging"], {"page": 1, "count": 1})
                self.assertEqual([c["id"] for c in r["items"]], [a, b])
                first = r["items"][0]
                self.assertEqual(list(first), [
                    "id", "phone", "email", "company", "first_name", "last_name", "tax_id",
                    "address", "city", "description", "blacklist", "group_id", "group_name"])
                self.assertEqual((first["group_id"], first["group_name"], first["blacklist"]),
                                 (g, "Index group", False))
                r = self.api("contacts/index", {"group_id": g, "sort": "first_name"}, form=form)
                self.assertEqual([c["id"] for c in r["items"]], [b, a])
                r = self.api("contacts/index", {"group_id": g, "sort": "city", "order": "desc"},
                             form=form)
                self.assertEqual([c["id"] for c in r["items"]], [b, a])
                r = self.api("contacts/index", {"group_id": g, "limit": 1, "page": 2}, form=form)
                self.assertEqual(r["paging"], {"page": 2, "count": 2})
                self.assertEqual([c["id"] for c in r["items"]], [b])
                r = self.api("contacts/index", {"group_id": "none", "search": "nogroup"},
                             form=form)
                self.assertEqual([c["id"] for c in r["items"]], [loose])
                self.assertIsNone(r["items"][0]["group_id"])
                r = self.api("contacts/index", {"search": "600700902"}, form=form)
                self.assertEqual([c["id"] for c in r["items"]], [b])
                self.assertEqual(self.code(self.api("contacts/index", {"sort": "age"}, form=form)),
                                 1006)
                self.assertEqual(self.code(self.api("contacts/index", {"group_id": "some"},
                                                    form=form)), 1006)
                self.assertEqual(self.code(self.api("contacts/index", {"group_id": 999999},
                                                    form=form)), 1004)

    # ---- contacts/import: the three `contact` shapes ----------------------------------
    def imported(self, r, correct, failed):
        self.assertIs(r.get("success"), True, r)
        self.assertEqual((r["correct"], r["failed"]), (correct, failed))
        self.assertIsInstance(r["id"], int)
        listed = self.api("contacts/index", {"group_id": r["id"]})["items"]
        return [(c["phone"], c["first_name"], c["group_id"]) for c in listed]

    def test_import_json_array(self):  # PHP, Symfony
        r = self.api("contacts/import", {"group_name": "Import JSON", "contact": [
            {"phone": "500600700", "first_name": "John"},
            {"phone": "not a number", "first_name": "Bad"},
            {"phone": 600700800, "email": "n@example.com", "last_name": "Num"}]})
        gid = r["id"]
        self.assertEqual(self.imported(r, 2, 1), [("+48500600700", "John", gid),
                                                  ("+48600700800", "", gid)])
        self.assertEqual(self.api("groups/view", {"id": gid})["name"], "Import JSON")

    def test_import_form_brackets(self):  # Node
        r = self.form_raw("contacts/import", [
            ("group_name", "Import form"),
            ("contact[0][phone]", "500600701"), ("contact[0][first_name]", "Anna"),
            ("contact[1][phone]", "12"),
            ("contact[2][phone]", "+48600700801"), ("contact[2][company]", "ACME")])
        gid = r["id"]
        self.assertEqual(self.imported(r, 2, 1), [("+48500600701", "Anna", gid),
                                                  ("+48600700801", "", gid)])

    def test_import_json_encoded_string(self):  # Ruby, Java, C#, Delphi
        rows = json.dumps([{"phone": "500600702", "first_name": "Ewa"}, {"phone": ""}])
        for form in FORMS:
            with self.subTest(form=form):
                r = self.api("contacts/import", {"group_name": f"Import string {form}",
                                                 "contact": rows}, form=form)
                gid = r["id"]
                self.assertEqual(self.imported(r, 1, 1), [("+48500600702", "Ewa", gid)])

    def test_import_errors(self):
        for form in FORMS:
            with self.subTest(form=form):
                self.assertEqual(self.code(self.api("contacts/import", {
                    "contact": json.dumps([{"phone": "500600700"}])}, form=form)), 2000)
                self.assertEqual(self.code(self.api("contacts/import", {"group_name": "x"},
                                                    form=form)), 2000)
                self.assertEqual(self.code(self.api("contacts/import", {
                    "group_name": "x", "contact": "500600700"}, form=form)), 1006)
                self.assertEqual(self.code(self.api("contacts/import", {
                    "group_name": "x", "contact": "[{broken"}, form=form)), 1006)

    # ---- blacklist (spec §4.18) -----------------------------------------------------------
    def test_blacklist(self):
        for form, phone in ((False, "500600720"), (True, "500600721")):
            with self.subTest(form=form):
                e164 = "+48" + phone
                r = self.api("blacklist/add", {"phone": phone}, form=form)
                self.assertIs(r["success"], True, r)
                self.assertIsInstance(r["id"], int)
                self.assertEqual(self.api("blacklist/add", {"phone": e164}, form=form)["id"],
                                 r["id"])
                self.assertEqual(self.api("blacklist/check", {"phone": phone}, form=form),
                                 {"exists": True})
                listed = self.api("blacklist/index", {"phone": e164}, form=form)
                self.assertEqual(listed["paging"], {"page": 1, "count": 1})
                self.assertEqual(len(listed["items"]), 1)
                item = listed["items"][0]
                self.assertEqual((item["id"], item["phone"]), (r["id"], e164))
                self.assertRegex(item["added"], DATE)
                self.assertEqual(self.code(self.api("blacklist/add", {"phone": "abc"}, form=form)),
                                 2001)
                self.assertEqual(self.code(self.api("blacklist/add", {}, form=form)), 2000)
                self.assertEqual(self.code(self.api("blacklist/check", {}, form=form)), 2000)
                self.assertEqual(self.code(self.api("blacklist/index", {"phone": "x1"}, form=form)),
                                 2001)
                self.assertEqual(self.api("blacklist/delete", {"phone": phone}, form=form),
                                 {"success": True})
                self.assertEqual(self.api("blacklist/check", {"phone": phone}, form=form),
                                 {"exists": False})
                # Spec §2.3: a number that is not listed is a soft failure.
                self.assertEqual(self.api("blacklist/delete", {"phone": phone}, form=form),
                                 {"success": False})
                self.assertEqual(self.code(self.api("blacklist/delete", {}, form=form)), 2000)
        # By entry id as well; an unknown id is 1004.
        entry = self.api("blacklist/add", {"phone": "500600722"})["id"]
        self.assertEqual(self.api("blacklist/delete", {"id": entry}), {"success": True})
        self.assertEqual(self.code(self.api("blacklist/delete", {"id": entry})), 1004)

    def test_blacklist_index_paging(self):
        ids = [self.api("blacklist/add", {"phone": f"50060073{i}"})["id"] for i in range(3)]
        r = self.api("blacklist/index", {"page": 1, "limit": 500})
        listed = [i["id"] for i in r["items"]]
        self.assertEqual([i for i in listed if i in ids], ids)
        total_pages = self.api("blacklist/index", {"limit": 1})["paging"]["count"]
        self.assertGreaterEqual(total_pages, 3)
        last = self.api("blacklist/index", {"limit": 1, "page": total_pages})
        self.assertEqual(len(last["items"]), 1)
        for i in range(3):
            self.api("blacklist/delete", {"phone": f"50060073{i}"})

    def test_blacklist_refuses_and_release_allows_sending(self):
        phone = "500600740"
        self.api("blacklist/add", {"phone": phone})
        r = self.api("messages/send_sms", {"phone": phone, "text": "Hi", "details": True})
        self.assertEqual((r["queued"], r["unsent"]), (0, 1), r)
        self.assertEqual(r["items"][0]["status"], "unsent")
        self.assertEqual(r["items"][0]["error_code"], 3105)
        self.assertEqual(self.api("blacklist/delete", {"phone": phone}), {"success": True})
        r = self.api("messages/send_sms", {"phone": phone, "text": "Hi", "details": True})
        self.assertEqual((r["queued"], r["unsent"]), (1, 0), r)
        self.assertRegex(r["items"][0]["id"], r"^[0-9a-f]{10}$")

    # ---- templates (spec §4.21) ----------------------------------------------------------
    def test_templates(self):
        for form in FORMS:
            with self.subTest(form=form):
                tag = "F" if form else "J"
                r = self.api("templates/add", {"name": f"Zima {tag}", "text": "Treść wiadomości"},
                             form=form)
                self.assertIs(r["success"], True, r)
                t1 = r["id"]
                t2 = self.api("templates/add", {"name": f"Lato {tag}", "text": "Druga"},
                              form=form)["id"]
                self.assertEqual(self.api("templates/view", {"id": t1}, form=form),
                                 {"id": t1, "name": f"Zima {tag}", "text": "Treść wiadomości"})
                items = self.api("templates/index", {"sort": "name", "order": "asc"},
                                 form=form)["items"]
                mine = [t["id"] for t in items if t["id"] in (t1, t2)]
                self.assertEqual(mine, [t2, t1])
                items = self.api("templates/index", {"sort": "name", "order": "desc"},
                                 form=form)["items"]
                self.assertEqual([t["id"] for t in items if t["id"] in (t1, t2)], [t1, t2])
                self.assertEqual(self.api("templates/edit", {"id": t1, "name": f"Zima {tag}",
                                                             "text": "Edited"}, form=form),
                                 {"success": True, "id": t1})
                self.assertEqual(self.api("templates/view", {"id": t1})["text"], "Edited")
                self.assertEqual(self.api("templates/delete", {"id": t2}, form=form),
                                 {"success": True})
                self.assertEqual(self.code(self.api("templates/view", {"id": t2}, form=form)), 1004)

                self.assertEqual(self.code(self.api("templates/add", {"name": "x"}, form=form)),
                                 2000)
                self.assertEqual(self.code(self.api("templates/add", {"text": "x"}, form=form)),
                                 2000)
                self.assertEqual(self.code(self.api("templates/index", {"sort": "text"},
                                                    form=form)), 1006)
                self.assertEqual(self.code(self.api("templates/edit", {"id": t1}, form=form)), 2000)
                self.assertEqual(self.code(self.api("templates/edit", {"id": t2, "text": "x"},
                                                    form=form)), 1004)
                self.assertEqual(self.code(self.api("templates/delete", {"id": t2}, form=form)),
                                 1004)
                self.assertEqual(self.code(self.api("templates/view", {}, form=form)), 2000)

    # ---- sending to groups and contacts (spec §4.1) ---------------------------------------
    def test_send_to_group_and_contacts_once_each(self):
        g = self.new_group("Send group")
        self.new_contact("500600750", g)
        self.new_contact("500600751", g)
        c = self.new_contact("+48500600752")
        for form in FORMS:
            with self.subTest(form=form):
                r = self.api("messages/send_sms", {
                    "phone": "500600750", "group_id": [g], "contact_id": c, "text": "Promocja",
                    "details": True}, form=form)
                self.assertEqual((r["queued"], r["unsent"]), (3, 0), r)
                self.assertEqual([i["phone"] for i in r["items"]],
                                 ["+48500600750", "+48500600751", "+48500600752"])
                for item in r["items"]:
                    self.assertEqual(self.api("messages/view", {"id": item["id"]})["text"],
                                     "Promocja")
                unknown = self.api("messages/send_sms", {"group_id": 999999, "text": "x"},
                                   form=form)
                self.assertEqual(self.code(unknown), 1004)
                self.assertIn("group 999999", unknown["error"]["message"])
                unknown = self.api("messages/send_sms", {"contact_id": [c, 999998], "text": "x"},
                                   form=form)
                self.assertEqual(self.code(unknown), 1004)
                self.assertIn("contact 999998", unknown["error"]["message"])
                self.assertEqual(self.code(self.api("messages/send_sms", {"text": "x"}, form=form)),
                                 2000)

    def test_send_personalized_to_group(self):
        g = self.new_group("Personal group")
        self.new_contact("500600760", g)
        self.new_contact("500600761", g)
        r = self.api("messages/send_personalized", {
            "messages": [{"phone": "500600760", "text": "Tylko dla Ciebie"}],
            "group_id": g, "text": "Dla grupy", "details": True})
        self.assertEqual([(i["phone"], i["text"]) for i in r["items"]],
                         [("+48500600760", "Tylko dla Ciebie"), ("+48500600761", "Dla grupy")])
        r = self.api("messages/send_personalized", {"group_id": g, "text": "Wszyscy",
                                                    "details": True}, form=True)
        self.assertEqual(r["queued"], 2, r)
        self.assertEqual(self.code(self.api("messages/send_personalized", {"group_id": g})), 2000)

    # ---- tenant isolation ------------------------------------------------------------------
    def test_isolation(self):
        g = self.new_group("A private group")
        c = self.new_contact("500600770", g, first_name="Secret")
        t = self.api("templates/add", {"name": "A template", "text": "A text"})["id"]
        e = self.api("blacklist/add", {"phone": "500600771"})["id"]
        other = self.other

        for form in FORMS:
            with self.subTest(form=form):
                def call(action, params):
                    return self.api(action, params, form=form, token=other)
                for action, params in (
                        ("groups/view", {"id": g}), ("groups/edit", {"id": g, "name": "Mine"}),
                        ("groups/delete", {"id": g, "delete_contacts": True}),
                        ("contacts/view", {"id": c}), ("contacts/edit", {"id": c, "city": "x"}),
                        ("contacts/delete", {"id": c}), ("contacts/index", {"group_id": g}),
                        ("contacts/add", {"group_id": g, "phone": "500600772"}),
                        ("templates/view", {"id": t}),
                        ("templates/edit", {"id": t, "text": "x"}),
                        ("templates/delete", {"id": t}), ("blacklist/delete", {"id": e}),
                        ("messages/send_sms", {"group_id": g, "text": "x"}),
                        ("messages/send_sms", {"contact_id": c, "text": "x"})):
                    self.assertEqual(self.code(call(action, params)), 1004, action)
                groups = call("groups/index", {"limit": 500})["items"]
                self.assertNotIn(g, [x["id"] for x in groups])
                contacts = call("contacts/index", {"limit": 500})["items"]
                self.assertNotIn(c, [x["id"] for x in contacts])
                self.assertNotIn(t, [x["id"] for x in call("templates/index", {})["items"]])
                self.assertEqual(call("groups/check", {"phone": "500600770"}), {"items": []})
                self.assertEqual(call("blacklist/check", {"phone": "500600771"}),
                                 {"exists": False})
                self.assertEqual(call("blacklist/index", {})["items"], [])
                self.assertEqual(call("blacklist/delete", {"phone": "500600771"}),
                                 {"success": False})

        # A's records are untouched, and B's own blacklist does not affect A.
        self.assertEqual(self.api("groups/view", {"id": g})["name"], "A private group")
        self.assertEqual(self.api("contacts/view", {"id": c})["first_name"], "Secret")
        self.assertEqual(self.api("templates/view", {"id": t})["text"], "A text")
        self.assertEqual(self.api("blacklist/check", {"phone": "500600771"}), {"exists": True})
        self.api("blacklist/add", {"phone": "500600770"}, token=other)
        self.assertIs(self.api("contacts/view", {"id": c})["blacklist"], False)
        r = self.api("messages/send_sms", {"group_id": g, "text": "Hi"})
        self.assertEqual(r["queued"], 1, r)


if __name__ == "__main__":
    unittest.main(verbosity=2)
