#!/usr/bin/env python3
"""SMS via FTP (issue 7, spec §8, ADR 0012) against two real FTP servers from Debian:
pyftpdlib (plain and explicit FTPS, patched as PEERS.md says) and pure-ftpd (plain and
explicit FTPS; needs root). Self-signed certificate trusted with --ca.

Covers: every format variant (; , : TAB, quoted CSV, header row, numbers-only), each
encoding (UTF-8, ISO-8859-2, Windows-1250), bad lines, a 5 MB file (accepted) and one
byte more (refused), delete / move / keep, the same name twice, a server killed in the
middle of a download, kill -9 of bramka in the middle of a 10,000-line file (no line sent
twice, none lost), two accounts' files never mixed, `ftp list` and /metrics status, admin
errors, passwords never stored or logged in plain text. Stdlib only.
"""
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Bramka, wait_until  # noqa: E402
import ftp_servers  # noqa: E402

PASSWORDS = ["alice-pw-1", "bob-pw-2", "carol-pw-3", "dave-pw-4", "eve-pw-5", "frank-pw-6"]


def set_ftp_config(path, **values):
    """Rewrites keys of the [ftp] table that `bramka init` wrote (the last table)."""
    text = open(path).read()
    head, ftp = text.split("\n[ftp]", 1)
    for k, v in values.items():
        ftp, n = re.subn(rf"^{k} = \S+", f"{k} = {v}", ftp, flags=re.M)
        assert n == 1, k
    open(path, "w").write(head + "\n[ftp]" + ftp)


def put(folder, name, data):
    """Writes atomically (temp name first) so that a poll never sees half a file."""
    tmp = os.path.join(folder, "." + name + ".part")
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o666)
    os.rename(tmp, os.path.join(folder, name))


def read_result(folder, name, timeout=30):
    path = os.path.join(folder, name + ".result")
    wait_until(lambda: os.path.exists(path), timeout, what=f"{name}.result in {folder}")
    wait_until(lambda: open(path, "rb").read().count(b"\n") >= 2, 5, what="a complete result")
    rows = {}
    for line in open(path, encoding="utf-8").read().splitlines()[2:]:
        no, phone, status, rest = line.split(";", 3)
        rows.setdefault(int(no), []).append((phone, status, rest))
    return rows


class Db:
    def __init__(self, b):
        self.path = os.path.join(b.dir, "data", "bramka.db")

    def query(self, sql, *args):
        c = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        try:
            return c.execute(sql, args).fetchall()
        finally:
            c.close()

    def message(self, msg_id):
        rows = self.query("SELECT account_id, phone, sender, text, unicode, source FROM messages "
                          "WHERE id = ?", msg_id)
        assert len(rows) == 1, msg_id
        return rows[0]

    def source(self, sid):
        return self.query("SELECT last_poll_ms, last_error, files_processed, lines_processed "
                          "FROM ftp_sources WHERE id = ?", sid)[0]


def add_source(b, account, url, *extra):
    out = b.admin("ftp", "add", account, "--url", url, "--interval", "1", *extra).stdout
    m = re.search(r"ftp source (\d+) of", out)
    assert m, out
    for pw in PASSWORDS:
        assert pw not in out, "password printed"
    return int(m.group(1))


def ok(rows, line):
    phone, status, rest = rows[line][0]
    assert status == "OK", (line, rows[line])
    return rest


def err(rows, line, fragment=""):
    phone, status, rest = rows[line][0]
    assert status == "ERROR", (line, rows[line])
    assert fragment in rest, (line, rest)
    return rest


def check_admin_errors(b, py_port):
    r = b.admin("ftp", "add", "demo", "--url", "http://u:p@127.0.0.1/", check=False)
    assert r.returncode != 0 and "ftp://" in r.stderr, r.stderr
    r = b.admin("ftp", "add", "nobody-here", "--url", "ftp://u:p@127.0.0.1/", check=False)
    assert r.returncode != 0 and "nobody-here" in r.stderr, r.stderr
    r = b.admin("ftp", "add", "demo", "--url", f"ftp://u:p@127.0.0.1:{py_port}/", "--tls", "maybe",
                check=False)
    assert r.returncode != 0 and "--tls" in r.stderr, r.stderr
    r = b.admin("ftp", "add", "demo", "--url", "ftp://u:secret-x@127.0.0.1/", "--after", "burn",
                check=False)
    assert r.returncode != 0 and "--after" in r.stderr and "secret-x" not in r.stderr, r.stderr


def main():
    if not ftp_servers.pyftpdlib_available():
        print("SKIP: python3-pyftpdlib / python3-openssl missing (scripts/install-deps.sh)")
        return 0
    work = tempfile.mkdtemp(prefix="bramka-ftp-")
    os.chmod(work, 0o755)
    servers = []
    b = None
    try:
        cert, key = ftp_servers.make_certificate(work)
        d = {}
        for n in ["alice", "bob", "carol", "dave", "eve", "frank"]:
            d[n] = os.path.join(work, n)
            os.mkdir(d[n])
            os.chmod(d[n], 0o777)
        py = ftp_servers.PyFtpd({"alice": (PASSWORDS[0], d["alice"]), "bob": (PASSWORDS[1], d["bob"]),
                                 "frank": (PASSWORDS[5], d["frank"])}, tls=(cert, key))
        servers.append(py)
        pure = None
        if ftp_servers.pure_ftpd_available():
            pure = ftp_servers.PureFtpd(work, {"carol": (PASSWORDS[2], d["carol"]),
                                               "dave": (PASSWORDS[3], d["dave"])}, (cert, key))
            servers.append(pure)
        else:
            print("NOTE: pure-ftpd needs root and the pure-ftpd package; its part is skipped")

        b = Bramka()
        key_file = os.path.join(b.dir, "data", "secret.key")  # written by bramka init
        assert os.stat(key_file).st_mode & 0o777 == 0o600, oct(os.stat(key_file).st_mode)
        set_ftp_config(b.config, tick_ms=100, batch_size=50, connect_timeout_s=10, stall_timeout_s=10)
        b.admin("account", "topup", "demo", "--eco", "1000000", "--full", "1000000")
        b.admin("account", "add", "other", "--password", "other-pw", "--eco", "100000", "--full", "100000")
        b.admin("sender", "approve", "other", "ACME")
        db = Db(b)
        demo_id = db.query("SELECT id FROM accounts WHERE name = 'demo'")[0][0]
        other_id = db.query("SELECT id FROM accounts WHERE name = 'other'")[0][0]
        check_admin_errors(b, py.port)

        # Sources: two accounts on each server, plain and FTPS.
        s_alice = add_source(b, "demo", f"ftp://alice:{PASSWORDS[0]}@127.0.0.1:{py.port}/")
        s_bob = add_source(b, "other", f"ftp://bob:{PASSWORDS[1]}@127.0.0.1:{py.port}", "--tls",
                           "explicit", "--ca", cert, "--text", "Bob numbers", "--after", "move",
                           "--move-dir", "done")
        sources = {s_alice: demo_id, s_bob: other_id}
        if pure:
            s_dave = add_source(b, "demo", f"ftp://dave:{PASSWORDS[3]}@127.0.0.1:{pure.port}/",
                                "--tls", "explicit", "--ca", cert, "--text", "Dave numbers",
                                "--sender", "INFORMACJA")
            s_carol = add_source(b, "other", f"ftp://carol:{PASSWORDS[2]}@127.0.0.1:{pure.port}/",
                                 "--after", "keep")
            sources.update({s_dave: demo_id, s_carol: other_id})
        # A wrong password: the source's error names the step (the PASS command) and the
        # server's answer, never the password.
        s_wrong = add_source(b, "demo", f"ftp://alice:not-alices-pw@127.0.0.1:{py.port}/")
        # Tenant isolation: another account cannot remove a source.
        r = b.admin("ftp", "remove", "other", str(s_alice), check=False)
        assert r.returncode != 0 and "no ftp source" in r.stderr, r.stderr
        stored = db.query("SELECT password_sealed FROM ftp_sources")
        for (sealed,) in stored:
            assert sealed.startswith("v1:") and not any(pw in sealed for pw in PASSWORDS)

        b.start()
        wait_until(lambda: db.source(s_wrong)[1] != "", 30, what="the wrong password reported")
        error = db.source(s_wrong)[1]
        assert "(last command PASS)" in error and "530" in error, error
        assert "not-alices-pw" not in error, error
        b.admin("ftp", "remove", "demo", str(s_wrong))

        # ---- formats and encodings (pyftpdlib, plain, delete) ----------------------------
        put(d["alice"], "spec.txt", (
            "500600700;Testwa wiadomosc;INFORMACJA\n"
            "500400300;Druga wiadomosc, tym razem eco;\n"
            "500400301;Trzecia wiadomość z polskimi znakami;INFORMACJA;1\n"
            "not-a-number;hello\n"
            "500400302;Bez polskich: zażółć;INFORMACJA;0\n"
            "500400303\n"
            "500400304;" + "x" * 919 + "\n").encode("utf-8"))
        put(d["alice"], "comma.csv", ("NUMER,WIADOMOSC,NAZWA_NADAWCY,POLSKIE_ZNAKI\r\n"
                                       "500600701,Zażółć gęślą jaźń,INFORMACJA,1\r\n"
                                       "500600702,Cześć, jak się masz,\r\n").encode("cp1250"))
        put(d["alice"], "colon.TXT", ("500600703:Świętość źródła:INFORMACJA:1\n"
                                       "500600704:Ćma:\n").encode("iso-8859-2"))
        put(d["alice"], "tab.txt", b"\xef\xbb\xbf" + ("500600705\t\"Quoted; \"\"text\"\"\"\tINFORMACJA\t1\n"
                                                       "\n\n+48 500 600 706\tSpaces in number\n").encode())
        put(d["alice"], "ignored.xls", b"500600799;not an input file\n")
        rows = read_result(d["alice"], "spec.txt")
        m = db.message(ok(rows, 1))
        assert m == (demo_id, "+48500600700", "INFORMACJA", "Testwa wiadomosc", 0, "ftp"), m
        m = db.message(ok(rows, 2))
        assert m[2] == "" and m[3] == "Druga wiadomosc, tym razem eco", m  # ECO
        m = db.message(ok(rows, 3))
        assert m[3] == "Trzecia wiadomość z polskimi znakami" and m[4] == 1, m
        err(rows, 4, "not a phone number")
        m = db.message(ok(rows, 5))
        assert m[3] == "Bez polskich: zazolc" and m[4] == 0, m  # transliterated
        err(rows, 6, "no message text")
        err(rows, 7, "918")
        rows = read_result(d["alice"], "comma.csv")
        assert rows[1][0][2] == "header row, not a message", rows[1]
        assert db.message(ok(rows, 2))[3] == "Zażółć gęślą jaźń"
        assert db.message(ok(rows, 3))[3] == "Czesc, jak sie masz"
        rows = read_result(d["alice"], "colon.TXT")
        assert db.message(ok(rows, 1))[3] == "Świętość źródła"
        assert db.message(ok(rows, 2))[3] == "Cma"
        rows = read_result(d["alice"], "tab.txt")
        assert db.message(ok(rows, 1))[3] == "Quoted; \"text\""
        m = db.message(ok(rows, 4))
        assert m[1] == "+48500600706" and m[3] == "Spaces in number", m
        wait_until(lambda: not os.path.exists(os.path.join(d["alice"], "spec.txt")), 10,
                   what="spec.txt deleted")
        assert os.path.exists(os.path.join(d["alice"], "ignored.xls"))
        assert not os.path.exists(os.path.join(d["alice"], "ignored.xls.result"))

        # The same name again is not processed again (spec §8).
        before = db.query("SELECT COUNT(*) FROM messages")[0][0]
        put(d["alice"], "spec.txt", b"500600709;again\n")
        # The poller's workers serve the sources side by side (ingest/ftp/poller.h); under a
        # loaded CI machine alice's next poll can still take seconds.
        wait_until(lambda: not os.path.exists(os.path.join(d["alice"], "spec.txt")), 30,
                   what="the repeated spec.txt removed")
        assert db.query("SELECT COUNT(*) FROM messages")[0][0] == before

        # ---- FTPS (pyftpdlib), numbers-only, move -----------------------------------------
        put(d["bob"], "numbers.txt", b"500600710\n500600711;500600712\t500600713\n")
        rows = read_result(d["bob"], "numbers.txt")
        ids = [r[2] for line in rows.values() for r in line]
        assert len(ids) == 4 and all(r[1] == "OK" for line in rows.values() for r in line), rows
        assert all(db.message(i)[0] == other_id and db.message(i)[3] == "Bob numbers" for i in ids)
        wait_until(lambda: os.path.exists(os.path.join(d["bob"], "done", "numbers.txt")), 10,
                   what="numbers.txt moved to done/")

        if pure:
            # ---- pure-ftpd: FTPS numbers-only with a sender; plain, keep, 5 MB ------------
            put(d["dave"], "numbers.csv", b"500600720,500600721\r\n500600722\r\n")
            put(d["dave"], "rows.txt", "500600723;Łódź;INFORMACJA;1\n".encode("iso-8859-2"))
            rows = read_result(d["dave"], "numbers.csv")
            for line in rows.values():
                for phone, status, mid in line:
                    assert status == "OK"
                    m = db.message(mid)
                    assert m[0] == demo_id and m[2] == "INFORMACJA" and m[3] == "Dave numbers", m
            assert sum(len(v) for v in rows.values()) == 3
            rows = read_result(d["dave"], "rows.txt")
            assert db.message(ok(rows, 1))[3] == "Łódź"
            limit = 5 * 1024 * 1024
            head = "500600730;Carol big;ACME\n".encode()
            put(d["carol"], "big5mb.txt", head + b"\n" * (limit - len(head)))
            put(d["carol"], "toobig.txt", head + b"\n" * (limit - len(head) + 1))
            put(d["carol"], "bad.txt", b"500600731;good one\n;\nabc;def\n500600732;Wrong sender;NOTMINE\n"
                                       b"500600733;good two\n")
            rows = read_result(d["carol"], "big5mb.txt", timeout=60)
            assert db.message(ok(rows, 1))[0:4] == (other_id, "+48500600730", "ACME", "Carol big")
            rows = read_result(d["carol"], "toobig.txt", timeout=60)
            assert rows[0][0][1] == "ERROR" and "larger than" in rows[0][0][2], rows
            rows = read_result(d["carol"], "bad.txt")
            ok(rows, 1), ok(rows, 5)
            err(rows, 2), err(rows, 3), err(rows, 4, "NOTMINE")
            assert os.path.exists(os.path.join(d["carol"], "bad.txt"))  # --after keep

        # ---- a server that goes away in the middle of a download --------------------------
        eve_dir = d["eve"]
        slow = ftp_servers.PyFtpd({"eve": (PASSWORDS[4], eve_dir)}, throttle=20000)
        servers.append(slow)
        s_eve = add_source(b, "demo", f"ftp://eve:{PASSWORDS[4]}@127.0.0.1:{slow.port}/")
        sources[s_eve] = demo_id
        lines = "".join(f"5006008{i:02d};Eve {i}\n" for i in range(20)).encode()
        put(eve_dir, "eve.txt", lines + b"\n" * 300_000)  # ~15 s at 20 kB/s
        slow.wait_line("RETR-START", timeout=30)
        slow.kill()
        wait_until(lambda: db.source(s_eve)[1] != "", 20, what="the broken download reported")
        assert db.query("SELECT COUNT(*) FROM messages WHERE unique_id LIKE ?", f"F{s_eve}H%")[0][0] == 0
        fast = ftp_servers.PyFtpd({"eve": (PASSWORDS[4], eve_dir)}, port=slow.port)
        servers.append(fast)
        rows = read_result(eve_dir, "eve.txt", timeout=60)
        assert len(rows) == 20 and all(r[0][1] == "OK" for r in rows.values()), rows
        wait_until(lambda: db.source(s_eve)[1] == "", 10, what="the error cleared")

        # ---- kill -9 of bramka in the middle of a 10,000-line file ------------------------
        s_frank = add_source(b, "other", f"ftp://frank:{PASSWORDS[5]}@127.0.0.1:{py.port}/",
                             "--tls", "explicit", "--ca", cert)
        sources[s_frank] = other_id
        n = 10_000
        put(d["frank"], "big.txt", "".join(f"51{i:07d};Message {i};ACME\n" for i in range(n)).encode())
        wait_until(lambda: db.source(s_frank)[3] > 0, 60, interval=0.005, what="frank's first lines")
        b.kill9()
        at_kill = db.source(s_frank)[3]
        print(f"kill -9 after {at_kill} of {n} lines recorded")
        b.start()
        rows = read_result(d["frank"], "big.txt", timeout=120)
        bad = [(k, v) for k, v in rows.items() if v[0][1] != "OK"]
        assert len(rows) == n and not bad, (len(rows), len(bad), bad[:5])
        count, distinct = db.query("SELECT COUNT(*), COUNT(DISTINCT unique_id) FROM messages "
                                   "WHERE unique_id LIKE ?", f"F{s_frank}H%")[0]
        assert count == n and distinct == n, (count, distinct)
        assert len({r[0][2] for r in rows.values()}) == n  # every line its own message
        assert db.query("SELECT COUNT(*) FROM messages WHERE phone LIKE '+4851%'")[0][0] == n

        # ---- accounts never mixed --------------------------------------------------------
        for sid, account in sources.items():
            wrong = db.query("SELECT COUNT(*) FROM messages WHERE unique_id LIKE ? AND account_id != ?",
                             f"F{sid}H%", account)[0][0]
            assert wrong == 0, (sid, wrong)
            assert db.query("SELECT COUNT(*) FROM messages WHERE unique_id LIKE ?",
                            f"F{sid}H%")[0][0] > 0, sid

        # ---- status: ftp list and /metrics ----------------------------------------------
        out = b.admin("ftp", "list").stdout
        assert f"alice@127.0.0.1:{py.port}" in out and "explicit TLS" in out, out
        assert not any(pw in out for pw in PASSWORDS)
        out_other = b.admin("ftp", "list", "other").stdout
        assert "alice@" not in out_other and "bob@" in out_other, out_other
        with urllib.request.urlopen(b.url("/metrics"), timeout=10) as r:
            metrics = r.read().decode()
        m = re.search(rf'bramka_ftp_lines_processed{{source="{s_frank}",account="{other_id}"}} (\S+)',
                      metrics)
        assert m and float(m.group(1)) == n, metrics[-2000:]
        assert f'bramka_ftp_files_processed{{source="{s_alice}",account="{demo_id}"}} 4' in metrics
        assert "bramka_ftp_last_poll_timestamp_seconds" in metrics
        log = open(os.path.join(b.dir, "serve.log"), encoding="utf-8", errors="replace").read()
        assert not any(pw in log for pw in PASSWORDS), "a password was logged"
        assert b.stop() == 0
        print("ok: SMS via FTP against pyftpdlib" + (" and pure-ftpd" if pure else ""))
        return 0
    except Exception:
        if b:
            print(b.read_log())
        raise
    finally:
        if b:
            b.cleanup()  # first: its poller would log in again while the servers stop
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
