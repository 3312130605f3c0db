#!/usr/bin/env python3
"""SMS via FTP: a hanging server holds up only its own source (docs/adr/0026).

Two sources of the demo account: the first on a server that accepts the connection and then
never says a word (with [ftp] timeouts of 300 s, bramka waits on it for minutes), the second
on a real pyftpdlib. A file put on the second is processed while the first poll still
hangs: the poller hands sources to a pool of workers (ingest/ftp/poller.h). Before, one
thread polled every source in turn and the file waited for the hanging poll's timeout.
bramka stops cleanly in the middle of the hanging poll. Loopback, ports chosen by the
kernel, bounded waits. Stdlib only."""
import os
import shutil
import socket
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Bramka, wait_until  # noqa: E402
import ftp_servers  # noqa: E402
from test_ftp_ingest import add_source, put, read_result, set_ftp_config  # noqa: E402


class SilentServer:
    """Accepts TCP connections and never answers (not even the FTP greeting)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self.accepted.append(conn)

    def connections(self):
        with self._lock:
            return len(self.accepted)

    def stop(self):
        self.sock.close()
        with self._lock:
            for c in self.accepted:
                c.close()


def main():
    if not ftp_servers.pyftpdlib_available():
        print("SKIP: python3-pyftpdlib / python3-openssl missing (scripts/install-deps.sh)")
        return 0
    work = tempfile.mkdtemp(prefix="bramka-ftp-apart-")
    os.chmod(work, 0o755)
    folder = os.path.join(work, "alice")
    os.mkdir(folder)
    os.chmod(folder, 0o777)
    silent = SilentServer()
    py = None
    b = None
    try:
        py = ftp_servers.PyFtpd({"alice": ("alice-pw-1", folder)})
        b = Bramka()
        set_ftp_config(b.config, tick_ms=100, connect_timeout_s=300, stall_timeout_s=300)
        # The hanging source first: a poller that serves sources one by one polls it first.
        add_source(b, "demo", f"ftp://bob:bob-pw-2@127.0.0.1:{silent.port}/")
        add_source(b, "demo", f"ftp://alice:alice-pw-1@127.0.0.1:{py.port}/")
        b.start()
        wait_until(lambda: silent.connections() > 0, 30, what="the hanging source's poll to start")
        put(folder, "apart.txt", b"500600700;Not held up by another source\n")
        rows = read_result(folder, "apart.txt", timeout=60)
        assert len(rows) == 1 and rows[1][0][1] == "OK", rows
        # The hanging poll is still going (300 s timeouts), and does not hold up a stop.
        assert b.stop() == 0, b.read_log()
        print("ok: a hanging FTP server holds up only its own source")
        return 0
    except Exception:
        if b:
            print(b.read_log())
        raise
    finally:
        silent.stop()
        if py:
            py.stop()
        if b:
            b.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
