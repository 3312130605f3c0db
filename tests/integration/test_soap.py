"""SOAP (issue 9, spec §10, docs/adr/0016) through the real binary with real SOAP
clients: python3-zeep (Debian) and npm `soap` (tests/support/soap_client.js) each load
the WSDL from /soap?wsdl and call every operation, checking the answers and the faults
(the API's code, type and message); PHP-style rpc/encoded envelopes, credentials by
HTTP Basic, Bearer, elements and WS-Security, the API's IP allowlist (1003) and login
throttling (1012), tenant isolation, and hostile bodies (malformed XML,
billion laughs, external entities, deep nesting, oversized) answered with a fault while
bramka keeps serving.

zeep is a Debian package that a pyenv python cannot import: the test re-runs itself
under /usr/bin/python3 when needed (PEERS.md)."""
import base64
import json
import os
import re
import subprocess
import sys
import unittest

DEBIAN_PYTHON = "/usr/bin/python3"


def _use_debian_python():
    try:
        import zeep  # noqa: F401
        return
    except ImportError:
        pass
    if (os.path.exists(DEBIAN_PYTHON) and not os.environ.get("BRAMKA_SOAP_REEXEC")
            and subprocess.run([DEBIAN_PYTHON, "-c", "import zeep"],
                               capture_output=True).returncode == 0):
        os.environ["BRAMKA_SOAP_REEXEC"] = "1"
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


_use_debian_python()

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402

try:
    import requests
    import zeep
    import zeep.exceptions
    import zeep.transports
    HAVE_ZEEP = True
except ImportError:
    HAVE_ZEEP = False

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NODE_CLIENT = os.path.join(ROOT, "tests", "support", "soap_client.js")
HAVE_NODE_SOAP = (subprocess.run(["node", "--version"], capture_output=True).returncode == 0
                  if os.path.exists(os.path.join(ROOT, "node_modules", "soap")) else False)

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
GIF += b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
MAX_BODY = 256 * 1024


class Fault(Exception):
    def __init__(self, code, type_, message):
        super().__init__(f"{code} {type_}: {message}")
        self.code, self.type, self.message = code, type_, message


class Bytes(bytes):
    """A base64Binary argument: zeep takes the bytes, node-soap their base64 text."""


def as_list(value):
    """An answer's list, whichever way the client parsed it: [] for an empty element."""
    if value in (None, "", {}):
        return []
    if isinstance(value, dict) and set(value) == {"item"}:
        value = value["item"]
    return value if isinstance(value, list) else [value]


def normalize(value):
    """Plain dicts/lists/strings: the answer's XML shape (spec §1.7) as both clients see it."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k not in ("attributes", "$attributes")}
        if set(value) == {"item"}:
            return [normalize(v) for v in as_list(value)]
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if value is None:
        return ""
    return str(value) if not isinstance(value, str) else value


def element_to_python(el):
    """An lxml element (zeep hands `xsd:any` content over as elements) -> dict/list/str."""
    children = list(el)
    if not children:
        return el.text or ""
    names = [re.sub(r"^\{.*\}", "", c.tag) for c in children]
    if all(n == "item" for n in names):
        return [element_to_python(c) for c in children]
    out = {}
    for n, c in zip(names, children):
        v = element_to_python(c)
        if n in out:
            out[n] = out[n] if isinstance(out[n], list) else [out[n]]
            out[n].append(v)
        else:
            out[n] = v
    return out


class ZeepClient:
    name = "zeep"

    def __init__(self, wsdl, auth):
        session = requests.Session()
        if "bearer" in auth:
            session.headers["Authorization"] = "Bearer " + auth["bearer"]
        elif "basic" in auth:
            session.auth = tuple(auth["basic"])
        self.session = session
        transport = zeep.transports.Transport(session=session, timeout=10, operation_timeout=30)
        wsse = None
        if "wsse" in auth:
            from zeep.wsse.username import UsernameToken
            wsse = UsernameToken(*auth["wsse"])
        self.client = zeep.Client(wsdl, transport=transport, wsse=wsse)

    def operations(self):
        return sorted(self.client.service._operations)

    def call(self, op, **args):
        try:
            answer = self.client.service[op](**args)
        except zeep.exceptions.Fault as f:
            error = f.detail.find("{urn:bramka:soap}error") if f.detail is not None else None
            if error is None:
                raise AssertionError(f"{op}: fault without detail: {f.message}")
            raise Fault(int(error.findtext("code")), error.findtext("type"),
                        error.findtext("message"))
        if answer is None:
            return {}
        # The answer is `xsd:any`: zeep hands over the elements themselves.
        elements = answer if isinstance(answer, list) else answer["_value_1"] or []
        out = {}
        for el in elements:
            n = re.sub(r"^\{.*\}", "", el.tag)
            v = element_to_python(el)
            if n in out:
                out[n] = out[n] if isinstance(out[n], list) else [out[n]]
                out[n].append(v)
            else:
                out[n] = v
        return out

    def close(self):
        self.session.close()


class NodeClient:
    name = "node-soap"

    def __init__(self, wsdl, auth):
        self.auth = auth
        self.proc = subprocess.Popen(["node", NODE_CLIENT, wsdl], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        hello = json.loads(self.proc.stdout.readline() or '{"ready":false}')
        if not hello.get("ready"):
            raise AssertionError(f"node-soap could not load the WSDL: {hello}")
        self.ops = hello["operations"]

    def operations(self):
        return sorted(self.ops)

    def call(self, op, **args):
        def encode(v):
            if isinstance(v, Bytes):
                return base64.b64encode(v).decode()
            if isinstance(v, list):
                return [encode(x) for x in v]
            if isinstance(v, dict):
                return {k: encode(x) for k, x in v.items()}
            return v
        self.proc.stdin.write(json.dumps({"op": op, "args": encode(args), "auth": self.auth}) + "\n")
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"node-soap client died during {op}")
        r = json.loads(line)
        if r["ok"]:
            return normalize(r["result"] or {})
        fault = r.get("fault")
        if not fault:
            raise AssertionError(f"{op}: node-soap error without a fault: {r}")
        error = fault["detail"]["error"]
        raise Fault(int(error["code"]), error["type"], error["message"])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


class SoapTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bramka()
        with open(cls.b.config) as f:
            text = f.read()
        for key, value in (("max_body_bytes", MAX_BODY), ("max_failures_per_address", 0),
                           ("max_failures_per_username", 3)):
            text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
            assert n == 1, key
        with open(cls.b.config, "w") as f:
            f.write(text)
        cls.b.start()
        b = cls.b
        b.admin("account", "add", "other", "--password", "other-pass", "--eco", "10")
        cls.other_token = b.admin("token", "add", "other").stdout.strip()
        out = b.admin("payment", "add", "demo", "--type", "full", "--units", "10",
                      "--price", "12.30").stdout
        cls.payment_id = int(re.search(r"\(id (\d+)\)", out).group(1))
        b.admin("inbound", "add", "--kind", "nd", "--number", "+48500000100", "--keyword", "pizza",
                "--account", "demo")
        b.admin("inbound", "add", "--kind", "ndi", "--number", "500000101", "--account", "demo")
        cls.quiz = int(b.admin("quiz", "add", "--account", "demo", "--name", "Konkurs",
                               "--number", "71200", "--keyword", "quiz",
                               "--options", "A,B").stdout.strip())
        cls.wsdl = b.url("/soap?wsdl")

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()

    def alive(self):
        status, _, body = self.b.raw("/healthz", method="GET")
        self.assertEqual(status, 200)
        self.assertIn("items", self.b.api("account/limits"))

    # ---- every operation, through each real client -----------------------------------------
    def scenario(self, c):
        """Calls every operation of the WSDL once or more and checks the answers."""
        tag = c.name.replace("-", "")
        called = set()

        def call(op, **args):
            called.add(op)
            return c.call(op, **args)

        def fault(op, **args):
            with self.assertRaises(Fault, msg=op) as ctx:
                call(op, **args)
            return ctx.exception

        # messages
        r = call("Messages.sendSms", phone=["500600700", "+48600700800"], text="Zażółć SOAP",
                 details=True)
        self.assertEqual((r["success"], r["queued"], r["unsent"]), ("true", "2", "0"), r)
        items = as_list(r["items"])
        self.assertEqual([i["phone"] for i in items], ["+48500600700", "+48600700800"])
        self.assertRegex(items[0]["id"], r"^[0-9a-f]{10}$")
        sms_id = items[0]["id"]
        # The PHP client's $params as a key/value Map.
        r = call("Messages.sendSms", phone="500600701", text="x",
                 params={"item": [{"key": "details", "value": "1"},
                                  {"key": "unique_id", "value": "soap" + tag}]})
        self.assertEqual(as_list(r["items"])[0]["unique_id"], "soap" + tag)
        r = call("Messages.sendPersonalized",
                 messages=[{"phone": "500600700", "text": "A"}, {"phone": "600700800", "text": "B"}],
                 details=True)
        self.assertEqual([i["text"] for i in as_list(r["items"])], ["A", "B"])
        r = call("Messages.sendVoice", phone="500600700", text="Test głosowy", details=True)
        self.assertEqual(r["queued"], "1", r)
        r = call("Messages.sendMms", phone=["500600700"], title="Kot", file=[Bytes(GIF)],
                 details=True)
        self.assertEqual(r["queued"], "1", r)
        r = call("Messages.view", id=sms_id)
        self.assertEqual((r["id"], r["phone"], r["type"]), (sms_id, "+48500600700", "eco"))
        r = call("Messages.reports", id=[sms_id])
        self.assertEqual([i["id"] for i in as_list(r["items"])], [sms_id])
        self.assertEqual(r["paging"]["page"], "1")
        r = call("Messages.sendSms", phone="500600700", text="later", date="2099-01-01 10:00:00",
                 details=True)
        later = as_list(r["items"])[0]["id"]
        r = call("Messages.delete", id=[later])
        self.assertEqual((r["success"], r["correct"]), ("true", "1"), r)
        r = call("Messages.recived", type="eco", page=1, limit=10)
        self.assertIn("paging", r)
        self.assertEqual(call("Messages.sendNd", phone="500600700", text="PIZZA " + tag),
                         {"success": "true"})
        self.assertEqual(call("Messages.sendNdi", phone="500600700", text="ndi " + tag,
                              ndi_number="+48500000101"), {"success": "true"})
        self.assertIn("ndi_number", fault("Messages.sendNdi", phone="500600700", text="x",
                                          ndi_number="+48500000999").message)
        # files
        r = call("Files.add", type="mms", file=Bytes(GIF), name="kot.gif")
        self.assertEqual(r["success"], "true")
        file_id = r["id"]
        r = call("Files.index", type="mms")
        self.assertIn(file_id, [i["id"] for i in as_list(r["items"])])
        r = call("Files.view", id=file_id, type="mms")
        self.assertEqual((r["name"], r["size"]), ("kot.gif", str(len(GIF))))
        self.assertEqual(call("Files.delete", id=file_id, type="mms")["success"], "true")
        # premium, quiz
        self.assertIn("items", call("Premium.index"))
        self.assertEqual(fault("Premium.send", phone="500600700", text="x", gate="71200",
                               id=987654).code, 4201)
        self.assertEqual(fault("Quiz.view", id=987654).code, 1004)
        r = call("Quiz.view", id=self.quiz)
        self.assertEqual((r["id"], r["name"]), (str(self.quiz), "Konkurs"))
        # account
        self.assertEqual(fault("Account.add", phone="500600700", email="a@b.pl",
                               first_name="A", last_name="B", company="C").code, 4312)
        r = call("Account.limits", show_type=True)
        self.assertEqual([i["type"] for i in as_list(r["items"])][:2], ["eco", "full"])
        self.assertEqual(r["account"]["type"], "prepaid")
        self.assertIn("account_maintainer", call("Account.help"))  # unset fields are null: omitted
        self.assertIn("items", call("Account.messages"))
        # senders
        sender = ("Snd" + tag)[:11]
        self.assertEqual(call("Senders.add", name=sender), {"success": "true"})
        self.assertEqual(fault("Senders.add", name=sender).code, 4407)
        names = [s["name"] for s in as_list(call("Senders.index")["items"])]
        self.assertIn(sender, names)
        # groups
        r = call("Groups.add", name="Grupa " + tag)
        group = r["id"]
        r = call("Groups.index", search="Grupa " + tag)
        self.assertEqual([g["id"] for g in as_list(r["items"])], [group])
        self.assertEqual(call("Groups.view", id=int(group))["name"], "Grupa " + tag)
        self.assertEqual(call("Groups.edit", id=int(group), name="G2 " + tag)["success"], "true")
        # contacts
        r = call("Contacts.add", group_id=[group], phone="500600799", first_name="Jan")
        self.assertEqual(r["success"], "true")
        contact = r["id"]
        r = call("Contacts.index", group_id=group)
        self.assertEqual([x["phone"] for x in as_list(r["items"])], ["+48500600799"])
        self.assertEqual(call("Contacts.view", id=int(contact))["first_name"], "Jan")
        r = call("Contacts.edit", id=int(contact), group_id=[group], phone="500600799",
                 email="jan@example.com")
        self.assertEqual(r["success"], "true")
        r = call("Groups.check", phone="500600799")
        self.assertIn(group, [x["group_id"] for x in as_list(r["items"])])
        r = call("Contacts.import", group_name="Import " + tag,
                 contact=[{"phone": "500600711", "first_name": "A"},
                          {"phone": "500600712", "email": "b@example.com"}])
        self.assertEqual((r["success"], r["correct"], r["failed"]), ("true", "2", "0"), r)
        self.assertEqual(call("Contacts.delete", id=int(contact))["success"], "true")
        self.assertEqual(call("Groups.delete", id=int(group))["success"], "true")
        self.assertEqual(fault("Groups.view", id=int(group)).code, 1004)
        # phones
        r = call("Phones.check", phone="500600700")
        self.assertEqual((r["phone"], r["status"]), ("+48500600700", "OK"))
        self.assertEqual(call("Phones.lookup", phone=["500600700"])["phone"], "+48500600700")
        self.assertEqual(call("Phones.test", phone="500600700"), {"correct": "true"})
        self.assertEqual(call("Phones.test", phone="12"), {"correct": "false"})
        # subaccounts
        r = call("Subaccounts.add", subaccount_username="sub" + tag,
                 subaccount_password="haslo123", name="Sub")
        sub = r["id"]
        self.assertIn(sub, [s["id"] for s in as_list(call("Subaccounts.index")["items"])])
        self.assertEqual(call("Subaccounts.view", id=int(sub))["username"], "sub" + tag)
        r = call("Subaccounts.limit", id=int(sub), type="eco", value=5)
        self.assertEqual(r["success"], "true", r)
        self.assertEqual(call("Subaccounts.delete", id=int(sub))["success"], "true")
        # blacklist
        phone = "50060" + str(7000 + len(tag))
        self.assertEqual(call("Blacklist.add", phone=phone)["success"], "true")
        self.assertIn("+48" + phone, [x["phone"] for x in as_list(call("Blacklist.index")["items"])])
        self.assertEqual(call("Blacklist.check", phone=phone), {"exists": "true"})
        self.assertEqual(call("Blacklist.delete", phone=phone)["success"], "true")
        self.assertEqual(call("Blacklist.check", phone=phone), {"exists": "false"})
        # payments, stats
        r = call("Payments.index")
        self.assertIn(str(self.payment_id), [p["id"] for p in as_list(r["items"])])
        self.assertEqual(call("Payments.view", id=self.payment_id)["state"], "paid")
        r = call("Payments.invoice", id=self.payment_id)
        self.assertEqual(r["content_type"], "application/pdf")
        self.assertTrue(base64.b64decode(r["file"]).startswith(b"%PDF-"))
        self.assertIn("items", call("Stats.index", type="eco"))
        # templates
        r = call("Templates.add", name="Szablon " + tag, text="Treść")
        tpl = r["id"]
        self.assertIn(tpl, [t["id"] for t in as_list(call("Templates.index")["items"])])
        self.assertEqual(call("Templates.view", id=int(tpl))["text"], "Treść")
        self.assertEqual(call("Templates.edit", id=int(tpl), name="S2", text="T2")["success"],
                         "true")
        self.assertEqual(call("Templates.delete", id=int(tpl))["success"], "true")
        # errors: the API's code, type and message
        f = fault("Error.view", code="1001")
        self.assertEqual((f.code, f.type), (1001, "InvalidUser"))
        f = fault("Messages.sendSms", text="no recipients")
        self.assertEqual((f.code, f.type), (2000, "ValidationRequiredError"))
        self.assertIn("phone", f.message)
        self.assertEqual(fault("Messages.view", id="0000000000").code, 1004)
        self.assertEqual(sorted(called), c.operations(), "not every operation was called")

    def client(self, kind, auth=None):
        auth = auth if auth is not None else {"bearer": self.b.token}
        c = (ZeepClient if kind == "zeep" else NodeClient)(self.wsdl, auth)
        self.addCleanup(c.close)
        return c

    @unittest.skipUnless(HAVE_ZEEP, "python3-zeep missing (scripts/install-deps.sh)")
    def test_zeep_calls_every_operation(self):
        self.scenario(self.client("zeep"))

    @unittest.skipUnless(HAVE_NODE_SOAP, "node or npm soap missing (scripts/install-deps.sh)")
    def test_node_soap_calls_every_operation(self):
        self.scenario(self.client("node"))

    @unittest.skipUnless(HAVE_ZEEP, "python3-zeep missing (scripts/install-deps.sh)")
    def test_zeep_positional_arguments_and_ws_security(self):
        # Positional, in the PHP client's order: sendSms($phone, $text, $sender, $params).
        c = self.client("zeep")
        params = {"item": [{"key": "details", "value": "true"}]}
        r = c.client.service["Messages.sendSms"]("500600700", "Po kolei", "INFORMACJA", params)
        items = [el for el in r if el.tag == "items"][0]
        self.assertEqual(items[0].findtext("text"), "Po kolei")
        view = c.call("Messages.view", id=items[0].findtext("id"))
        self.assertEqual((view["sender"], view["type"]), ("INFORMACJA", "full"))
        # WS-Security UsernameToken (plain text password) in the SOAP Header.
        self.assertIn("items", self.client("zeep", {"wsse": ("demo", "demo")}).call("Account.limits"))
        with self.assertRaises(Fault) as ctx:
            self.client("zeep", {"wsse": ("demo", "nope")}).call("Account.limits")
        self.assertEqual(ctx.exception.code, 1001)

    @unittest.skipUnless(HAVE_ZEEP and HAVE_NODE_SOAP, "zeep or node-soap missing")
    def test_credentials(self):
        for kind in ("zeep", "node"):
            with self.subTest(client=kind):
                self.assertIn("items", self.client(kind, {"basic": ["demo", "demo"]})
                              .call("Account.limits"))
                with self.assertRaises(Fault) as ctx:
                    self.client(kind, {"basic": ["demo", "wrong"]}).call("Account.limits")
                self.assertEqual((ctx.exception.code, ctx.exception.type), (1001, "InvalidUser"))
                anon = self.client(kind, {})
                self.assertIn("items", anon.call("Account.limits", username="demo",
                                                 password="demo"))
                with self.assertRaises(Fault) as ctx:
                    anon.call("Account.limits")
                self.assertEqual(ctx.exception.code, 1001)
                # Tenant isolation: another account's records are not found.
                mine = self.client(kind).call("Groups.add", name="Mine " + kind)["id"]
                other = self.client(kind, {"bearer": self.other_token})
                with self.assertRaises(Fault) as ctx:
                    other.call("Groups.view", id=int(mine))
                self.assertEqual(ctx.exception.code, 1004)
                with self.assertRaises(Fault) as ctx:
                    other.call("Groups.delete", id=int(mine))
                self.assertEqual(ctx.exception.code, 1004)
                self.assertEqual(self.client(kind).call("Groups.view", id=int(mine))["name"],
                                 "Mine " + kind)

    def test_allowlist_and_throttling_are_the_apis(self):
        self.b.admin("account", "add", "walled", "--password", "wpw", "--eco", "5")
        self.b.admin("account", "allow-ip", "walled", "10.0.0.0/8")
        self.b.admin("account", "add", "victim", "--password", "right", "--eco", "5")

        def limits(user, password):
            body = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                    '<Account.limits/></s:Body></s:Envelope>')
            auth = base64.b64encode(f"{user}:{password}".encode()).decode()
            return self.post(body, {"Authorization": "Basic " + auth})[::2]

        code, _, text = self.fault_of(*limits("walled", "wpw"))
        self.assertEqual(code, 1003)
        self.assertIn("<type>InvalidIP</type>", text)
        for _ in range(3):
            self.assertEqual(self.fault_of(*limits("victim", "wrong"))[0], 1001)
        code, _, text = self.fault_of(*limits("victim", "right"))
        self.assertEqual(code, 1012)
        self.assertIn("<type>TooManyRequests</type>", text)

    # ---- raw envelopes: PHP's rpc/encoded, hostile bodies ----------------------------------
    def post(self, body, headers=None, https=False):
        h = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
        h.update(headers or {})
        if isinstance(body, str):
            body = body.encode()
        return self.b.raw("/soap", body, h, https=https)

    def fault_of(self, status, body, expected_status=500):
        self.assertEqual(status, expected_status, body[:300])
        text = body.decode()
        self.assertIn(f'xmlns:SOAP-ENV="{SOAP_NS}"', text)
        self.assertIn("<SOAP-ENV:Fault>", text)
        code = int(re.search(r"<code>(\d+)</code>", text).group(1))
        faultcode = re.search(r"<faultcode>SOAP-ENV:(\w+)</faultcode>", text).group(1)
        return code, faultcode, text

    def test_php_rpc_encoded_envelope(self):
        basic = "Basic " + base64.b64encode(b"demo:demo").decode()
        # As PHP's SoapClient writes $c->__soapCall('Messages.sendSms', [['500600700'], 'Hi',
        # null, ['details' => true]]) without a WSDL.
        envelope = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope '
            'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:bramka:soap" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:ns2="http://xml.apache.org/xml-soap" '
            'xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" '
            'SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body>'
            '<ns1:Messages.sendSms><param0 SOAP-ENC:arrayType="xsd:string[1]" '
            'xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:string">500600700</item></param0>'
            '<param1 xsi:type="xsd:string">Hi</param1><param2 xsi:nil="true"/>'
            '<param3 xsi:type="ns2:Map"><item><key xsi:type="xsd:string">details</key>'
            '<value xsi:type="xsd:boolean">true</value></item></param3></ns1:Messages.sendSms>'
            '</SOAP-ENV:Body></SOAP-ENV:Envelope>')
        status, headers, body = self.post(envelope, {"Authorization": basic,
                                                     "SOAPAction": '"urn:bramka:soap#Messages.sendSms"'})
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["Content-Type"].startswith("text/xml"))
        text = body.decode()
        self.assertIn("<ns1:Messages.sendSmsResponse", text)
        self.assertRegex(text, r"<success>true</success><queued>1</queued><unsent>0</unsent>"
                               r"<items><item><id>[0-9a-f]{10}</id><phone>\+48500600700</phone>")
        # Underscore names, over HTTPS, and the WSDL's https location.
        status, _, body = self.post(envelope.replace("Messages.sendSms", "Messages_sendSms"),
                                    {"Authorization": basic}, https=True)
        self.assertEqual(status, 200, body)
        self.assertIn(b"<ns1:Messages_sendSmsResponse", body)
        _, _, wsdl = self.b.raw("/soap?wsdl", method="GET", https=True)
        self.assertIn(f'location="https://127.0.0.1:{self.b.https_port}/soap"'.encode(), wsdl)
        # The provider's path (soap.serwersms.pl/server.php) works the same.
        _, _, wsdl = self.b.raw("/server.php?wsdl", method="GET")
        self.assertIn(f'location="http://127.0.0.1:{self.b.http_port}/server.php"'.encode(), wsdl)
        status, _, body = self.b.raw("/server.php", envelope.encode(),
                                     {"Authorization": basic, "Content-Type": "text/xml"})
        self.assertEqual(status, 200, body)

    def test_hostile_and_malformed_bodies_get_faults(self):
        ok = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
              '<Groups.add><name>{}</name></Groups.add></s:Body></s:Envelope>')
        lol = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10))
        cases = {
            "malformed": ok.format("x").replace("</Groups.add>", ""),
            "not an envelope": "<html><body>hi</body></html>",
            "json": '{"phone":"500600700"}',
            "empty": "",
            "billion laughs": f'<?xml version="1.0"?><!DOCTYPE lolz [{lol}]>' + ok.format("&lol9;"),
            "external entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
                               '"file:///etc/passwd">]>' + ok.format("&xxe;"),
            "parameter entity": '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>'
                                + ok.format("x"),
            "undeclared entity": ok.format("&xxe;"),
            "deep": ok.format("<a>" * 5000 + "</a>" * 5000),
            "unknown operation": ok.replace("Groups.add", "Groups.fly").format("x"),
        }
        auth = {"Authorization": "Bearer " + self.b.token}
        for name, body in cases.items():
            with self.subTest(name):
                code, faultcode, text = self.fault_of(*self.post(body, auth)[::2])
                self.assertEqual(faultcode, "Client")
                self.assertEqual(code, 1000 if name == "unknown operation" else 1006, text)
                self.assertNotIn("root:", text)  # /etc/passwd never leaks
        # Oversized: 413 with a fault (1011), then the connection closes.
        status, _, body = self.post("<a>" + "x" * (MAX_BODY + 10) + "</a>", auth)
        code, faultcode, _ = self.fault_of(status, body, expected_status=413)
        self.assertEqual((code, faultcode), (1011, "Client"))
        # bramka is still serving, SOAP included.
        self.alive()
        status, _, body = self.post(ok.format("After the storm"), auth)
        self.assertEqual(status, 200, body)
        self.assertIn(b"<success>true</success>", body)
        # The metrics count SOAP by operation.
        _, _, metrics = self.b.raw("/metrics", method="GET")
        self.assertRegex(metrics.decode(), r'action="soap/Groups.add",result="ok"')
        self.assertRegex(metrics.decode(), r'action="soap/unknown",result="error"')


if __name__ == "__main__":
    unittest.main(verbosity=2)
