"""pyftpdlib server for the SMS-via-FTP tests, run by /usr/bin/python3 (Debian's pyftpdlib).

--users JSON {name: [password, folder]}; --cert/--key turn on optional explicit FTPS
(AUTH TLS); --throttle N limits downloads to N bytes/s. Prints "RETR-START name" when a
download begins, so a test can kill the server in the middle of it.
"""
import argparse
import json
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
from pyftpdlib.servers import FTPServer

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--users", required=True)
p.add_argument("--cert")
p.add_argument("--key")
p.add_argument("--throttle", type=int, default=0)
a = p.parse_args()

auth = DummyAuthorizer()
for name, (password, folder) in json.loads(a.users).items():
    auth.add_user(name, password, folder, perm="elradfmwMT")

base = FTPHandler
if a.cert:
    from pyftpdlib.handlers import TLS_FTPHandler, SSLConnection

    # Debian's 1.5.7 closes the TLS data connection while its handshake is in progress
    # (upstream issue #604, fixed by pull request #612 in 1.5.8): patched as upstream did.
    def readable(self):
        return self._ssl_accepting or self._ssl_want_read or super(SSLConnection, self).readable()
    SSLConnection.readable = readable

    base = TLS_FTPHandler
    base.certfile = a.cert
    base.keyfile = a.key
    base.tls_control_required = False
    base.tls_data_required = False


class Handler(base):
    def ftp_RETR(self, file):
        print("RETR-START", file, flush=True)
        return super().ftp_RETR(file)


if a.throttle:
    class Throttled(ThrottledDTPHandler):
        read_limit = a.throttle
        write_limit = a.throttle
    if a.cert:
        from pyftpdlib.handlers import TLS_DTPHandler
        class ThrottledTls(TLS_DTPHandler, Throttled):
            pass
        Handler.dtp_handler = ThrottledTls
    else:
        Handler.dtp_handler = Throttled

Handler.authorizer = auth
Handler.passive_ports = None
server = FTPServer(("127.0.0.1", a.port), Handler)
import logging
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
server.serve_forever()
