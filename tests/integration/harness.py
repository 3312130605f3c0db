"""Starts the real bramka binary for integration tests and talks to it.

Everything runs on 127.0.0.1 with ports chosen by the kernel (port 0): the
server writes the ports it bound to <dir>/data/listeners.json, and readiness is
GET /healthz answering 200 -- polled with a deadline, never a fixed sleep.
Standard library only.
"""
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

BIN = os.environ.get("BRAMKA_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "release", "src", "app", "bramka")


def free_port():
    """A TCP port that was free a moment ago, for peers that cannot take port 0 (Kannel)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=10.0, interval=0.02, what="condition"):
    """Polls `predicate` until it returns a truthy value or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Bramka:
    """One `bramka init` folder and, while started, one `bramka serve`."""

    def __init__(self, demo=True, extra_config="", init_args=()):
        self.dir = tempfile.mkdtemp(prefix="bramka-it-")
        args = [BIN, "init", self.dir, "--http-port", "0", "--https-port", "0", "--smpp-port", "0",
                "--smpp-tls-port", "0"]
        if demo:
            args.append("--demo")
        args += list(init_args)  # e.g. ["--store", "postgres://..."] (docs/adr/0022)
        out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout
        self.token = None
        for line in out.splitlines():
            if line.startswith("token: "):
                self.token = line.split(": ", 1)[1].strip()
        self.config = os.path.join(self.dir, "bramka.toml")
        if extra_config:
            with open(self.config, "a") as f:
                f.write(extra_config)
        self.proc = None
        self.log = None
        self.http_port = None
        self.https_port = None
        self.smpp_port = None
        self.smpp_tls_port = None

    # ---- process -------------------------------------------------------------------
    def start(self, timeout=15.0):
        listeners = os.path.join(self.dir, "data", "listeners.json")
        if os.path.exists(listeners):
            os.remove(listeners)
        self.log = open(os.path.join(self.dir, "serve.log"), "ab")
        self.proc = subprocess.Popen([BIN, "serve", "--config", self.config],
                                     stdout=self.log, stderr=subprocess.STDOUT)

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"bramka serve exited with {self.proc.returncode}:\n{self.read_log()}")
            if not os.path.exists(listeners):
                return False
            with open(listeners) as f:
                ports = json.load(f)
            self.http_port, self.https_port = ports["http"], ports["https"]
            self.smpp_port, self.smpp_tls_port = ports.get("smpp"), ports.get("smpp_tls")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False
        wait_until(ready, timeout, what="bramka serve to become healthy")
        return self

    def stop(self, timeout=20.0):
        """SIGTERM, and the exit code (0 when it drained cleanly)."""
        if not self.proc:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.log.close()
        self.proc = None
        return code

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()
        self.proc = None

    def cleanup(self):
        if self.proc:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def read_log(self):
        try:
            with open(os.path.join(self.dir, "serve.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def admin(self, *words, check=True):
        r = subprocess.run([BIN, "admin", "--config", self.config, *words],
                           capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise AssertionError(f"bramka admin {' '.join(words)} failed: {r.stderr}")
        return r

    # ---- HTTP --------------------------------------------------------------------------
    def url(self, path, https=False):
        if https:
            return f"https://127.0.0.1:{self.https_port}{path}"
        return f"http://127.0.0.1:{self.http_port}{path}"

    def raw(self, path, body=b"", headers=None, https=False, method="POST", timeout=30):
        """Returns (http status, headers, body bytes)."""
        req = urllib.request.Request(self.url(path, https), data=body if method != "GET" else None,
                                     headers=headers or {}, method=method)
        ctx = None
        if https:
            ctx = ssl.create_default_context(cafile=os.path.join(self.dir, "tls", "cert.pem"))
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=ctx) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def api(self, action, params=None, token="demo", form=False, credentials=None, fmt="",
            https=False):
        """Calls an API v2 action and returns the decoded JSON answer.

        token="demo" uses the demo token; credentials=(user, password) sends them
        in the body instead; form=True sends application/x-www-form-urlencoded
        with PHP brackets for lists, as the Node client does."""
        params = dict(params or {})
        headers = {}
        if credentials:
            params["username"], params["password"] = credentials
        elif token:
            headers["Authorization"] = "Bearer " + (self.token if token == "demo" else token)
        if form:
            pairs = []
            for k, v in params.items():
                if isinstance(v, list):
                    pairs += [(f"{k}[{i}]", str(x)) for i, x in enumerate(v)]
                else:
                    pairs.append((k, "1" if v is True else "0" if v is False else str(v)))
            body = urllib.parse.urlencode(pairs).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(params).encode()
            headers["Content-Type"] = "application/json"
        status, hdrs, data = self.raw("/" + action + fmt, body, headers, https=https)
        if fmt == ".xml":
            return status, data
        if status != 200:
            raise AssertionError(f"{action}: HTTP {status}: {data[:500]!r}")
        return json.loads(data)
