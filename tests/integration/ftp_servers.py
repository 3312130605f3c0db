"""Real FTP servers from Debian for the SMS-via-FTP tests (PEERS.md "FTP servers").

PyFtpd: pyftpdlib (python3-pyftpdlib, python3-openssl) run by /usr/bin/python3 as a child,
unprivileged, virtual users, optional explicit FTPS, optional throttled downloads.
PureFtpd: pure-ftpd with virtual users (pure-pw), optional explicit FTPS; needs root.
Both listen on 127.0.0.1 only and are started and stopped by the test. Stdlib only.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN_PYTHON = "/usr/bin/python3"  # pyenv's python3 cannot import Debian's modules


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port, proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"FTP server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if s.recv(64).startswith(b"220"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError(f"FTP server on {port} not ready after {timeout}s")


def make_certificate(dir_):
    """A self-signed certificate for 127.0.0.1; returns (cert, key)."""
    cert, key = os.path.join(dir_, "ftp-cert.pem"), os.path.join(dir_, "ftp-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def pyftpdlib_available():
    return subprocess.run([DEBIAN_PYTHON, "-c", "import pyftpdlib, OpenSSL"],
                          capture_output=True).returncode == 0


def pure_ftpd_available():
    return os.geteuid() == 0 and shutil.which("pure-ftpd") and shutil.which("pure-pw")


class PyFtpd:
    """users: {name: (password, folder)}. tls: (cert, key) for optional explicit FTPS."""

    def __init__(self, users, tls=None, throttle=0, port=0):
        self.users, self.tls, self.throttle = users, tls, throttle
        self.port = port or _free_port()
        self.proc = None
        self.log = None
        self.start()

    def start(self):
        args = [DEBIAN_PYTHON, os.path.join(HERE, "pyftpd_server.py"), "--port", str(self.port),
                "--users", json.dumps(self.users), "--throttle", str(self.throttle)]
        if self.tls:
            args += ["--cert", self.tls[0], "--key", self.tls[1]]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        _wait_port(self.port, self.proc)
        return self

    def wait_line(self, prefix, timeout=30.0):
        """Reads the server's stdout until a line starting with `prefix` (RETR-START ...)."""
        import select
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith(prefix):
                    return line
                if not line and self.proc.poll() is not None:
                    break
        raise AssertionError(f"pyftpdlib printed no {prefix!r} within {timeout}s")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    stop = kill


class PureFtpd:
    """users: {name: (password, folder)}; TLS optional (-Y 1) with cert."""

    def __init__(self, work_dir, users, cert_key):
        self.port = _free_port()
        self.dir = work_dir
        passwd, pdb = os.path.join(work_dir, "pureftpd.passwd"), os.path.join(work_dir, "pureftpd.pdb")
        # The users are written in pure-pw's passwd format with a SHA-512 crypt(3) hash (a few
        # ms to check), not with `pure-pw useradd`: Debian's pure-pw hashes with argon2id and
        # tunes its passes (t=511..1023) to about 2 s on this machine, the cost of every login.
        # The test polls each source every second and a poll logs in again as soon as the last
        # one ends, so the two pure-ftpd sources kept the 2-core CI machine busy hashing for the
        # rest of the test, and with the machine loaded the answer to PASS came after
        # connect_timeout_s (libcurl bounds the whole log-in with it): "FTP list ... timed out
        # after 10000 ms with 0 bytes received" and no result file
        # (docs/performance/session12-ftpflake.md). pure-ftpd checks a hash that is
        # not argon2 or scrypt with crypt(3); a wrong password is still refused (530).
        lines = []
        for name, (password, folder) in users.items():
            os.chmod(folder, 0o777)
            hashed = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password + "\n",
                                    text=True, check=True, capture_output=True,
                                    timeout=30).stdout.strip()
            assert hashed.startswith("$6$"), hashed
            # login:hash:uid:gid:gecos:home (/./ = chrooted there), then 12 empty limits.
            lines.append(":".join([name, hashed, "65534", "65534", "", folder + "/./"] + [""] * 12))
        with open(passwd, "w") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run(["pure-pw", "mkdb", pdb, "-f", passwd], check=True, capture_output=True,
                       timeout=30)
        lo = 30000 + (self.port % 20000)
        self.proc = subprocess.Popen(
            ["pure-ftpd", "-S", f"127.0.0.1,{self.port}", "-l", f"puredb:{pdb}", "-E", "-j",
             "-H", "-u", "1", "-Y", "1", "-2", f"{cert_key[0]},{cert_key[1]}",
             "-p", f"{lo}:{lo + 200}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_port(self.port, self.proc)

    def stop(self):
        """Stops the server and every session process it forked (one per connection): a
        session left behind would recreate its user's folder (-j) after the test removed it."""
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # sessions that outlived the parent
            except ProcessLookupError:
                pass
        self.proc = None
