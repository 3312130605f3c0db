#!/usr/bin/env python3
"""Kannel vs bramka on the same path (issue 11, docs/performance.md "Kannel side by side"):
HTTP in -> gateway -> SMPP out to `bramka smsc` (the SMSC simulator, receipts at once) ->
delivery receipts back into the gateway. Both gateways take the same load from wrk (same
connections, one message per request, keep-alive): Kannel's smsbox `sendsms` (GET, dlr-mask
1) and bramka's `messages/send_sms` (POST JSON). A fresh SMSC simulator per gateway.

Measured per gateway: accepted/s (requests answered 2xx, from wrk's start to the last
answer) and end to end messages/s: from the first request until the gateway has received
and matched the receipt of every accepted message (Kannel: bearerbox status.txt, the SMSC
link's received dlr count; bramka: /metrics bramka_messages{status="delivered"}). Neither
gateway then calls a client back (no dlr-url): both keep the receipt for the client.

Like for like: Kannel 1.4.5 (Debian), internal DLR storage, SMPP transceiver with
max-pending-submits = WINDOW; bramka release build, SQLite synchronous=FULL (durable),
its SMPP connector with window = WINDOW, no TPS limit on either.

Usage: BRAMKA_BIN=build/release/src/app/bramka scripts/compare_kannel.py [N] [CONNECTIONS] [WINDOW] [RUNS]
Defaults: 10000 messages, 32 connections, window 100, 3 runs each (alternating; medians).
Stdlib + wrk + kannel (scripts/install-deps.sh). Loopback only.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(here, "..", "tests", "support"))
from harness import BIN, Bramka, free_port, wait_until  # noqa: E402
from smsc import Smsc, connector_toml, route_toml  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
CONNS = int(sys.argv[2]) if len(sys.argv) > 2 else 32
WINDOW = int(sys.argv[3]) if len(sys.argv) > 3 else 100
RUNS = int(sys.argv[4]) if len(sys.argv) > 4 else 3
BEARERBOX = shutil.which("bearerbox") or "/usr/sbin/bearerbox"
SMSBOX = shutil.which("smsbox") or "/usr/sbin/smsbox"

# wrk (one thread; it drives all connections): N requests, then exits at the N-th answer
# (wrk.thread:stop() would still wait for -d); numbers vary per request.
WRK_LUA = r"""
function init(args)
  total = tonumber(args[1]); kind = args[2]; token = args[3]
  sent = 0; answered = 0; ok = 0
end
function request()
  sent = sent + 1
  local phone = string.format("48500%06d", sent % 1000000)
  if kind == "kannel" then
    return wrk.format("GET", "/cgi-bin/sendsms?username=tester&password=foobar&from=Bramka&to=%2B"
      .. phone .. "&text=bench+message&dlr-mask=1")
  end
  return wrk.format("POST", "/messages/send_sms", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token}, '{"phone":"' .. phone .. '","text":"bench message"}')
end
function response(status, headers, body)
  answered = answered + 1
  if status == 200 or status == 202 then ok = ok + 1 end
  if answered >= total then
    io.write(string.format("OK %d\n", ok))
    io.flush()
    os.exit(0)
  end
end
"""


def log(text):
    print(f"   [{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def wrk(port, kind, token=""):
    lua = os.path.join(tempfile.gettempdir(), f"compare_kannel_{os.getpid()}.lua")
    with open(lua, "w") as f:
        f.write(WRK_LUA)
    t0 = time.monotonic()
    out = subprocess.run(["wrk", "-t", "1", "-c", str(CONNS), "-d", "600s", "-s", lua,
                          f"http://127.0.0.1:{port}", "--", str(N), kind, token],
                         capture_output=True, text=True, timeout=700).stdout
    secs = time.monotonic() - t0
    m = re.search(r"^OK (\d+)$", out, re.M)
    if not m:
        raise SystemExit("wrk failed:\n" + out)
    return int(m.group(1)), secs


def kannel_conf(d, smsc_port, admin_port, smsbox_port, sendsms_port):
    return f"""
group = core
admin-port = {admin_port}
admin-password = secret
status-password = secret
admin-allow-ip = "127.0.0.1"
smsbox-port = {smsbox_port}
box-allow-ip = "127.0.0.1"
log-file = "{d}/bearerbox.log"
log-level = 2
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = smsc
host = 127.0.0.1
port = {smsc_port}
transceiver-mode = true
smsc-username = kannel
smsc-password = pw
system-type = ""
max-pending-submits = {WINDOW}
reconnect-delay = 1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox_port}
sendsms-port = {sendsms_port}
sendsms-interface = 127.0.0.1
log-file = "{d}/smsbox.log"
log-level = 2

group = sendsms-user
username = tester
password = foobar
max-messages = 1
"""


def kannel_status(admin_port):
    try:
        with urllib.request.urlopen(
                f"http://127.0.0.1:{admin_port}/status.txt?password=secret", timeout=5) as r:
            return r.read().decode(errors="replace")
    except OSError:
        return ""


def kannel_dlrs(admin_port):
    m = re.search(r"\(online[^)]*rcvd: sms \d+ \([^)]*\) / dlr (\d+)", kannel_status(admin_port))
    return int(m.group(1)) if m else -1


def run_kannel():
    smsc = Smsc(BIN, receipt_delay_ms=0)
    d = tempfile.mkdtemp(prefix="bramka-compare-kannel-")
    procs = []
    try:
        admin_port, smsbox_port, sendsms_port = free_port(), free_port(), free_port()
        conf = os.path.join(d, "kannel.conf")
        with open(conf, "w") as f:
            f.write(kannel_conf(d, smsc.port, admin_port, smsbox_port, sendsms_port))
        for binary in (BEARERBOX, SMSBOX):
            out = open(os.path.join(d, os.path.basename(binary) + ".out"), "wb")
            procs.append((subprocess.Popen([binary, conf], stdout=out, stderr=subprocess.STDOUT), out))
            if binary == BEARERBOX:
                wait_until(lambda: "(online" in kannel_status(admin_port), 30, 0.1,
                           "Kannel's SMPP link to the SMSC simulator")

        def sendsms_ready():
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{sendsms_port}/cgi-bin/sendsms", timeout=2)
            except urllib.error.HTTPError:
                return True
            except OSError:
                return False
            return True
        wait_until(sendsms_ready, 30, 0.1, "smsbox sendsms")
        log("kannel up; sending")
        t0 = time.monotonic()
        ok, secs = wrk(sendsms_port, "kannel")
        log(f"kannel accepted {ok}; waiting for receipts")
        wait_until(lambda: kannel_dlrs(admin_port) >= ok, 900, 0.05,
                   f"Kannel to receive {ok} receipts")
        total = time.monotonic() - t0
        return dict(accepted=ok, accept_s=secs, e2e_s=total,
                    smsc_submits=smsc.count("submit"))
    finally:
        for p, out in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            out.close()
        smsc.stop()
        shutil.rmtree(d, ignore_errors=True)


def delivered(b):
    _, _, body = b.raw("/metrics", method="GET")
    for line in body.decode().splitlines():
        if line.startswith('bramka_messages{status="delivered"}'):
            return int(float(line.split()[-1]))
    return 0


def run_bramka():
    smsc = Smsc(BIN, receipt_delay_ms=0)
    b = Bramka(extra_config=connector_toml("smsc", smsc.port, window=WINDOW) + route_toml(["smsc"]))
    try:
        with open(b.config) as f:
            text = f.read().replace('log_level = "info"', 'log_level = "warn"')
        with open(b.config, "w") as f:
            f.write(text)
        b.admin("account", "topup", "demo", "--eco", str(N * 4))
        b.start()

        def bound():
            _, _, body = b.raw("/metrics", method="GET")
            return 'bramka_connector_bound{connector="smsc"} 1' in body.decode()
        wait_until(bound, 30, 0.05, "the connector to bind")
        with open(os.path.join(b.dir, "demo-token.txt")) as f:
            token = f.read().strip()
        log("bramka up; sending")
        t0 = time.monotonic()
        ok, secs = wrk(b.http_port, "bramka", token)
        log(f"bramka accepted {ok}; waiting for receipts")
        wait_until(lambda: delivered(b) >= ok, 900, 0.05, f"bramka to store {ok} receipts")
        total = time.monotonic() - t0
        return dict(accepted=ok, accept_s=secs, e2e_s=total,
                    smsc_submits=smsc.count("submit"))
    finally:
        b.stop()
        b.cleanup()
        smsc.stop()


def main():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=here).stdout.strip()
    print(f"== {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {commit}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; {N} messages, wrk -t1 -c{CONNS}, window {WINDOW}")
    results = {"kannel": [], "bramka": []}
    for i in range(RUNS):
        for name, fn in (("kannel", run_kannel), ("bramka", run_bramka)):
            r = fn()
            r["accept_rate"] = r["accepted"] / r["accept_s"]
            r["e2e_rate"] = r["accepted"] / r["e2e_s"]
            results[name].append(r)
            print(f"   run {i + 1} {name}: accepted {r['accepted']} in {r['accept_s']:.2f} s "
                  f"({r['accept_rate']:,.0f}/s); all "
                  f"receipts in {r['e2e_s']:.2f} s ({r['e2e_rate']:,.0f} msg/s end to end); "
                  f"smsc saw {r['smsc_submits']} submit_sm; load {os.getloadavg()[0]:.1f}", flush=True)
    med = {k: (statistics.median(r["accept_rate"] for r in v),
               statistics.median(r["e2e_rate"] for r in v)) for k, v in results.items()}
    print(f"-- median of {RUNS}   accepted/s   end to end msg/s")
    for k in ("kannel", "bramka"):
        print(f"   {k:8} {med[k][0]:12,.0f} {med[k][1]:16,.0f}")
    print(f"   ratio    {med['bramka'][0] / med['kannel'][0]:12.2f} {med['bramka'][1] / med['kannel'][1]:16.2f}")


if __name__ == "__main__":
    main()
