"""API v2 media and number checks (issue 3): files/* (add by URL and by upload,
index, view, delete), messages/send_mms, messages/send_voice with a WAV file or
text-to-speech (simnet writes what it "played" as a WAV under the data dir),
phones/check and phones/lookup answered by simnet, and tenant isolation.

Files are served by a Python http.server on port 0; everything is polled with
bounded waits."""
import base64
import functools
import http.server
import json
import os
import shutil
import struct
import sys
import tempfile
import threading
import unittest
import uuid
import wave

sys.path.insert(0, os.path.dirname(__file__))
from harness import Bramka, wait_until  # noqa: E402


def wav_bytes(rate=8000, channels=1, bits=16, seconds=1.0):
    frames = int(rate * seconds)
    data = b"\x00\x01" * (frames * channels * bits // 16)
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * bits // 8,
                      channels * bits // 8, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # bramka hangs up on oversized files on purpose


def multipart(fields, files):
    """(body, content type) for multipart/form-data; files: name -> (filename, type, bytes)."""
    boundary = "----bramka" + uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").encode()
    for k, (filename, ctype, data) in files.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{filename}\"\r\n"
                f"Content-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, "multipart/form-data; boundary=" + boundary


class MediaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.files = tempfile.mkdtemp(prefix="bramka-media-")
        samples = {"voice.wav": wav_bytes(), "tts22k.wav": wav_bytes(rate=22050),
                   "pic.png": PNG, "tool.exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
                   "big.png": PNG + b"\x00" * (1100 * 1024)}
        for name, data in samples.items():
            with open(os.path.join(cls.files, name), "wb") as f:
                f.write(data)
        handler = functools.partial(Quiet, directory=cls.files)
        cls.httpd = QuietServer(("127.0.0.1", 0), handler)
        cls.base = f"http://127.0.0.1:{cls.httpd.server_address[1]}"
        threading.Thread(target=cls.httpd.serve_forever, daemon=True).start()
        cls.b = Bramka(extra_config="\n[media]\nallow_private_urls = true\n").start()  # fetches from 127.0.0.1
        cls.b.admin("account", "add", "beta", "--password", "pw-beta", "--mms", "5", "--voice", "5",
                    "--hlr", "5")

    @classmethod
    def tearDownClass(cls):
        cls.b.cleanup()
        cls.httpd.shutdown()
        shutil.rmtree(cls.files, ignore_errors=True)

    # ---- helpers ------------------------------------------------------------------------
    def beta(self, action, params=None, form=False):
        return self.b.api(action, params, token=None, credentials=("beta", "pw-beta"), form=form)

    def limit(self, kind, who=None):
        r = (who or self.b.api)("account/limits")
        return {i["type"]: i["value"] for i in r["items"]}[kind]

    def add_ok(self, params, form=False):
        r = self.b.api("files/add", params, form=form)
        self.assertIs(r.get("success"), True, r)
        self.assertRegex(r["id"], r"^[0-9a-f]{10}$")
        return r["id"]

    def wait_final(self, message_id, who=None):
        api = who or self.b.api

        def done():
            v = api("messages/view", {"id": message_id})
            return v if v["status"] in ("delivered", "undelivered", "unsent") else None
        return wait_until(done, timeout=20, what=f"message {message_id} to be final")

    def voice_wav(self, message_id):
        return os.path.join(self.b.dir, "data", "simnet", "voice", message_id + ".wav")

    # ---- files/* ------------------------------------------------------------------------
    def test_files_add_by_url_index_view_delete(self):
        voice = self.add_ok({"type": "voice", "url": self.base + "/voice.wav", "name": "Demo wav"})
        pic = self.add_ok({"type": "mms", "url": self.base + "/pic.png"}, form=True)
        index = self.b.api("files/index", {"type": "voice"})
        mine = [i for i in index["items"] if i["id"] == voice]
        self.assertEqual(len(mine), 1, index)
        self.assertEqual(set(mine[0]), {"id", "name", "size", "type", "date"})
        self.assertEqual((mine[0]["name"], mine[0]["type"], mine[0]["size"]),
                         ("Demo wav", "voice", len(wav_bytes())))
        self.assertRegex(mine[0]["date"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertNotIn(pic, [i["id"] for i in index["items"]])  # filtered by type
        form_index = self.b.api("files/index", {"type": "mms"}, form=True)
        self.assertIn(pic, [i["id"] for i in form_index["items"]])
        status, xml = self.b.api("files/index", {"type": "voice"}, fmt=".xml")
        self.assertEqual(status, 200)
        self.assertIn(f"<id>{voice}</id>".encode(), xml)
        self.assertIn(b"<type>voice</type>", xml)
        view = self.b.api("files/view", {"id": pic, "type": "mms"}, form=True)
        self.assertEqual((view["id"], view["name"], view["type"], view["size"]),
                         (pic, "pic.png", "mms", len(PNG)))
        self.assertEqual(self.b.api("files/delete", {"id": pic, "type": "mms"}), {"success": True})
        self.assertEqual(self.b.api("files/view", {"id": pic})["error"]["code"], 1004)
        self.assertEqual(self.b.api("files/delete", {"id": pic}, form=True)["error"]["code"], 1004)

    def test_files_add_by_upload(self):
        body, ctype = multipart({"type": "mms", "username": "demo", "password": "demo",
                                 "system": "client_php"}, {"file": ("kot.gif", "image/gif", GIF)})
        status, _, data = self.b.raw("/files/add.json", body, {"Content-Type": ctype})
        self.assertEqual(status, 200)
        r = json.loads(data)
        self.assertIs(r.get("success"), True, r)
        view = self.b.api("files/view", {"id": r["id"]})
        self.assertEqual((view["name"], view["size"], view["type"]), ("kot.gif", len(GIF), "mms"))
        # base64 in a JSON body (as send_mms `file` is sent)
        fid = self.add_ok({"type": "mms", "file": base64.b64encode(PNG).decode(), "name": "b64.png"})
        self.assertEqual(self.b.api("files/view", {"id": fid})["size"], len(PNG))

    def test_files_add_errors(self):
        cases = [
            ({"type": "video", "url": self.base + "/pic.png"}, 1006),              # bad type
            ({"url": self.base + "/pic.png"}, 2000),                               # no type
            ({"type": "mms"}, 2000),                                               # no url/file
            ({"type": "mms", "url": "file:///etc/passwd"}, 1006),                  # bad scheme
            ({"type": "mms", "url": "ftp://127.0.0.1/pic.png"}, 1006),             # bad scheme
            ({"type": "mms", "url": self.base + "/tool.exe"}, 4601),               # not allowed
            ({"type": "voice", "url": self.base + "/pic.png"}, 4601),              # not a WAV
            ({"type": "voice", "url": self.base + "/tts22k.wav"}, 4601),           # 22050 Hz
            ({"type": "mms", "url": self.base + "/big.png"}, 4602),                # oversized
            ({"type": "mms", "url": self.base + "/missing.png"}, 4603),            # HTTP 404
            ({"type": "mms", "file": "not base64!"}, 1006),
            ({"type": "mms", "url": self.base + "/pic.png",
              "file": base64.b64encode(PNG).decode()}, 1006),                     # both
        ]
        for params, code in cases:
            for form in (False, True):
                with self.subTest(params=params, form=form):
                    r = self.b.api("files/add", params, form=form)
                    self.assertEqual(r.get("error", {}).get("code"), code, r)
        r = self.b.api("files/add", {"type": "voice", "url": self.base + "/tts22k.wav"})
        self.assertIn("8000 Hz", r["error"]["message"])

    # ---- sending with files -------------------------------------------------------------
    def test_send_mms_reaches_delivered(self):
        pic = self.add_ok({"type": "mms", "url": self.base + "/pic.png"})
        before = int(self.limit("mms"))
        r = self.b.api("messages/send_mms", {"phone": "500600700", "title": "MMS Title",
                                             "file_id": pic, "details": True})
        self.assertEqual((r["success"], r["queued"], r["unsent"]), (True, 1, 0), r)
        item = r["items"][0]
        self.assertEqual((item["phone"], item["status"], item["parts"]), ("+48500600700", "queued", 1))
        view = self.wait_final(item["id"])
        self.assertEqual((view["status"], view["type"], view["text"]), ("delivered", "mms", "MMS Title"))
        self.assertEqual(int(self.limit("mms")), before - 1)
        rep = self.b.api("messages/reports", {"id": [item["id"]]})
        self.assertEqual(rep["items"][0]["attachments"], [{"id": pic}])
        # form encoding, files as base64 `file[]`
        r = self.b.api("messages/send_mms", {"phone": "500600701", "title": "Z formularza",
                                             "file": [base64.b64encode(GIF).decode()]}, form=True)
        self.assertEqual(r["queued"], 1, r)

    def test_send_mms_errors(self):
        pic = self.add_ok({"type": "mms", "url": self.base + "/pic.png"})
        voice = self.add_ok({"type": "voice", "url": self.base + "/voice.wav"})
        cases = [
            ({"phone": "500600700", "file_id": pic}, 2000),                        # no title
            ({"phone": "500600700", "title": "t"}, 2000),                          # no file
            ({"phone": "500600700", "title": "x" * 41, "file_id": pic}, 3102),    # title > 40
            ({"phone": "500600700", "title": "t", "file_id": "0123456789"}, 1004),
            ({"phone": "500600700", "title": "t", "file_id": voice}, 1004),       # a voice file
            ({"title": "t", "file_id": pic}, 2000),                                # no phone
        ]
        for params, code in cases:
            for form in (False, True):
                with self.subTest(params=params, form=form):
                    r = self.b.api("messages/send_mms", params, form=form)
                    self.assertEqual(r.get("error", {}).get("code"), code, r)

    def test_send_voice_file_is_played_as_is(self):
        voice = self.add_ok({"type": "voice", "url": self.base + "/voice.wav"})
        r = self.b.api("messages/send_voice", {"phone": "500600700", "file_id": voice, "details": True})
        self.assertEqual(r["queued"], 1, r)
        mid = r["items"][0]["id"]
        view = self.wait_final(mid)
        self.assertEqual((view["status"], view["type"]), ("delivered", "voice"))
        with open(self.voice_wav(mid), "rb") as f:
            self.assertEqual(f.read(), wav_bytes())
        # errors: text and file together; an MMS file; unknown id
        pic = self.add_ok({"type": "mms", "url": self.base + "/pic.png"})
        for params, code in (({"phone": "500600700", "file_id": voice, "text": "hi"}, 1006),
                             ({"phone": "500600700", "file_id": pic}, 1004),
                             ({"phone": "500600700", "file_id": "ffffffffff"}, 1004)):
            with self.subTest(params=params):
                self.assertEqual(self.b.api("messages/send_voice", params, form=True)
                                 .get("error", {}).get("code"), code)

    def test_text_to_speech_writes_a_wav(self):
        r = self.b.api("messages/send_voice", {"phone": "500600702", "text": "Dzień dobry, to jest test",
                                               "details": True})
        self.assertEqual(r["queued"], 1, r)
        mid = r["items"][0]["id"]
        self.assertEqual(self.wait_final(mid)["status"], "delivered")
        path = self.voice_wav(mid)
        self.assertTrue(os.path.exists(path), self.b.read_log())
        with wave.open(path) as w:
            self.assertEqual((w.getnchannels(), w.getsampwidth()), (1, 2))
            self.assertGreater(w.getnframes() / w.getframerate(), 0.5)

    # ---- phones/check, phones/lookup ---------------------------------------------------------
    def test_phones_check_single_and_multi(self):
        before = int(self.limit("hlr"))
        ok = self.b.api("phones/check", {"phone": "500600700"})
        self.assertEqual(set(ok), {"phone", "status", "imsi", "network", "ported", "network_ported",
                                   "description"})
        self.assertEqual((ok["phone"], ok["status"], ok["description"]), ("+48500600700", "OK", None))
        self.assertIsInstance(ok["imsi"], int)
        self.assertEqual(ok["imsi"] // 100, 260)  # MCC of Poland
        self.assertIsInstance(ok["network"], str)
        self.assertIsInstance(ok["ported"], bool)
        absent = self.b.api("phones/check", {"phone": "+48600000101"}, form=True)
        self.assertEqual((absent["status"], absent["description"]), ("ERR", "ABSENT_SUBSCRIBER_SM"))
        multi = self.b.api("phones/check", {"phone": "500600700,600000150,600000250"})
        self.assertEqual((multi["status"], multi["process"]), ("done", 100))
        self.assertEqual([(i["phone"], i["status"], i["description"]) for i in multi["items"]],
                         [("+48500600700", "OK", None), ("+48600000150", "ERR", "ABSENT_SUBSCRIBER_SM"),
                          ("+48600000250", "ERR", "UNKNOWN_SUBSCRIBER")])
        multi_form = self.b.api("phones/check", {"phone": ["500600700", "600700800"]}, form=True)
        self.assertEqual(len(multi_form["items"]), 2)
        self.assertEqual(int(self.limit("hlr")), before - 1 - 1 - 3 - 2)
        # lookup: network membership, from the lookup balance
        lookup_before = int(self.limit("lookup"))
        lk = self.b.api("phones/lookup", {"phone": "600000150"})
        self.assertEqual(lk["status"], "OK")  # absent, but a member of its network
        lk = self.b.api("phones/lookup", {"phone": ["600000150", "600000250"]}, form=True)
        self.assertEqual([i["status"] for i in lk["items"]], ["OK", "ERR"])
        self.assertEqual(int(self.limit("lookup")), lookup_before - 3)
        self.assertEqual(self.b.api("phones/lookup", {}, form=True)["error"]["code"], 2000)
        status, xml = self.b.api("phones/check", {"phone": "500600700"}, fmt=".xml")
        self.assertIn(b"<status>OK</status>", xml)
        # bad input
        self.assertEqual(self.b.api("phones/check", {})["error"]["code"], 2000)
        self.assertEqual(self.b.api("phones/check", {"phone": "12"}, form=True)["error"]["code"], 2001)
        self.assertEqual(self.b.api("phones/check", {"id": "6970aa5525"})["error"]["code"], 1004)

    def test_phones_check_balance_exhausted(self):
        self.b.admin("account", "add", "gamma", "--password", "pw-gamma", "--hlr", "1")
        gamma = functools.partial(self.b.api, token=None, credentials=("gamma", "pw-gamma"))
        self.assertEqual(gamma("phones/check", {"phone": "500600700"})["status"], "OK")
        r = gamma("phones/check", {"phone": "500600700"})
        self.assertEqual(r["error"]["code"], 4701, r)
        self.assertEqual(gamma("phones/lookup", {"phone": "500600700"})["error"]["code"], 4702)

    # ---- isolation ----------------------------------------------------------------------------
    def test_isolation_between_accounts(self):
        pic = self.add_ok({"type": "mms", "url": self.base + "/pic.png"})
        voice = self.add_ok({"type": "voice", "url": self.base + "/voice.wav"})
        self.assertNotIn(pic, [i["id"] for i in self.beta("files/index")["items"]])
        self.assertEqual(self.beta("files/view", {"id": pic})["error"]["code"], 1004)
        self.assertEqual(self.beta("files/delete", {"id": pic}, form=True)["error"]["code"], 1004)
        r = self.beta("messages/send_mms", {"phone": "500600700", "title": "t", "file_id": pic})
        self.assertEqual(r["error"]["code"], 1004)
        r = self.beta("messages/send_voice", {"phone": "500600700", "file_id": voice})
        self.assertEqual(r["error"]["code"], 1004)
        self.assertEqual(self.b.api("files/view", {"id": pic})["id"], pic)  # still A's
        # B's own file works for B and is invisible to A
        body, ctype = multipart({"type": "mms", "username": "beta", "password": "pw-beta"},
                                {"file": ("b.png", "image/png", PNG)})
        _, _, data = self.b.raw("/files/add", body, {"Content-Type": ctype})
        own = json.loads(data)["id"]
        self.assertEqual(self.b.api("files/view", {"id": own})["error"]["code"], 1004)
        r = self.beta("messages/send_mms", {"phone": "500600700", "title": "t", "file_id": own})
        self.assertEqual(r["queued"], 1, r)


if __name__ == "__main__":
    unittest.main()
