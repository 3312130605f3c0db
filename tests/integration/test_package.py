"""The Debian package (issue 14, docs/adr/0018): cpack builds it from the build tree that
holds BRAMKA_BIN (no rebuild), it carries the binary and the systemd unit, and in a clean
directory (dpkg -x, maintainer scripts run with DPKG_ROOT as dpkg --root does) the first
configure writes /etc/bramka/bramka.toml and /var/lib/bramka, the installed binary
answers /healthz, a second configure (an upgrade) keeps config and data, and purge
removes them. Skipped where cpack or dpkg-deb is missing."""
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, wait_until  # noqa: E402

BUILD_DIR = os.path.abspath(os.path.join(os.path.dirname(BIN), "..", ".."))
HAVE_TOOLS = all(shutil.which(t) for t in ("cpack", "dpkg-deb")) and os.path.exists(
    os.path.join(BUILD_DIR, "CPackConfig.cmake"))


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@unittest.skipUnless(HAVE_TOOLS, "cpack/dpkg-deb or the build tree's CPackConfig.cmake missing")
class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bramka-deb-")
        out = os.path.join(cls.tmp, "out")
        r = subprocess.run(["cpack", "-G", "DEB", "-B", out], cwd=BUILD_DIR, capture_output=True,
                           text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        debs = glob.glob(os.path.join(out, "*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.root = os.path.join(cls.tmp, "root")
        cls.control = os.path.join(cls.tmp, "control")
        subprocess.run(["dpkg-deb", "-x", cls.deb, cls.root], check=True, timeout=120)
        subprocess.run(["dpkg-deb", "-e", cls.deb, cls.control], check=True, timeout=60)
        cls.proc = None

    @classmethod
    def tearDownClass(cls):
        if cls.proc and cls.proc.poll() is None:
            cls.proc.kill()
            cls.proc.wait()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def script(self, name, *args):
        env = dict(os.environ, DPKG_ROOT=self.root)
        r = subprocess.run([os.path.join(self.control, name), *args], env=env,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, f"{name} {args}: {r.stdout}{r.stderr}")

    def test_contents_and_lifecycle(self):
        info = subprocess.run(["dpkg-deb", "-f", self.deb], capture_output=True, text=True,
                              check=True).stdout
        self.assertIn("Package: bramka", info)
        self.assertRegex(info, r"Depends:.*passwd")
        names = subprocess.run(["dpkg-deb", "-c", self.deb], capture_output=True, text=True,
                               check=True).stdout
        self.assertIn("./usr/bin/bramka", names)
        self.assertIn("./usr/lib/systemd/system/bramka.service", names)
        for script in ("postinst", "prerm", "postrm"):
            self.assertTrue(os.access(os.path.join(self.control, script), os.X_OK), script)
        with open(os.path.join(self.root, "usr/lib/systemd/system/bramka.service")) as f:
            unit = f.read()
        self.assertIn("User=bramka", unit)
        self.assertIn("ExecStart=/usr/bin/bramka serve --config /etc/bramka/bramka.toml", unit)

        # First install.
        self.script("postinst", "configure", "")
        conf = os.path.join(self.root, "etc/bramka/bramka.toml")
        state = os.path.join(self.root, "var/lib/bramka")
        with open(conf) as f:
            text = f.read()
        self.assertIn('data_dir = "/var/lib/bramka/data"', text)
        self.assertIn('path = "/var/lib/bramka/data/bramka.db"', text)
        self.assertIn('cert_file = "/var/lib/bramka/tls/cert.pem"', text)
        self.assertTrue(os.path.exists(os.path.join(state, "tls/cert.pem")))
        self.assertEqual(os.stat(conf).st_mode & 0o777, 0o640)
        conf_sum = sha(conf)

        # The installed binary serves. This directory is not the machine's root: a
        # copy of the config points into it and takes port 0.
        run_conf = os.path.join(self.tmp, "run.toml")
        text = text.replace("/var/lib/bramka", state)
        text = re.sub(r"(?m)^(port|https_port|tls_port) = \d+", r"\1 = 0", text)
        with open(run_conf, "w") as f:
            f.write(text)
        binary = os.path.join(self.root, "usr/bin/bramka")
        self.assertEqual(subprocess.run([binary, "admin", "--config", run_conf, "account", "add",
                                         "acme", "--password", "pw"], capture_output=True,
                                        timeout=60).returncode, 0)
        self.serve_and_check_health(binary, run_conf, state)

        # An upgrade (configure again, from the previous version) keeps config and data.
        self.script("postinst", "configure", "0.0.9")
        self.assertEqual(sha(conf), conf_sum)
        listed = subprocess.run([binary, "admin", "--config", run_conf, "account", "list"],
                                capture_output=True, text=True, timeout=60)
        self.assertIn("acme", listed.stdout)

        # Remove keeps the data; purge removes config and data.
        self.script("prerm", "remove")
        self.script("postrm", "remove")
        self.assertTrue(os.path.exists(conf))
        self.script("postrm", "purge")
        self.assertFalse(os.path.exists(os.path.join(self.root, "etc/bramka")))
        self.assertFalse(os.path.exists(state))

    def serve_and_check_health(self, binary, run_conf, state):
        listeners = os.path.join(state, "data", "listeners.json")
        log = open(os.path.join(self.tmp, "serve.log"), "wb")
        type(self).proc = subprocess.Popen([binary, "serve", "--config", run_conf], stdout=log,
                                           stderr=subprocess.STDOUT)
        try:
            def healthy():
                if self.proc.poll() is not None:
                    raise AssertionError(f"serve exited {self.proc.returncode}")
                if not os.path.exists(listeners):
                    return False
                with open(listeners) as f:
                    port = json.load(f)["http"]
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                        return r.status == 200
                except OSError:
                    return False
            wait_until(healthy, 20, 0.05, "the installed bramka to answer /healthz")
        finally:
            self.proc.terminate()
            self.assertEqual(self.proc.wait(timeout=30), 0)
            log.close()


if __name__ == "__main__":
    unittest.main()
