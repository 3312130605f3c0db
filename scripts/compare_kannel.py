#!/usr/bin/env python3
"""Kannel vs bramka on the same path (issue 11; docs/performance/sessions1-3.md "Kannel side by
side (issue 11)", the latest run in docs/performance.md):
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
max-pending-submits = WINDOW; bramka release build, SQLite, every answer after an fdatasync'd commit (durable),
its SMPP connector with window = WINDOW, no TPS limit on either.

Usage: BRAMKA_BIN=build/release/src/app/bramka scripts/compare_kannel.py [N] [CONNECTIONS] [WINDOW] [RUNS] [RECIPIENTS]
Defaults: 10000 messages, 32 connections, window 100, 3 runs each (alternating; medians),
1 recipient per request. GATEWAYS=kannel (or bramka) runs only that gateway (default
kannel,bramka): e.g. Kannel alone at several connection counts, or two bramka binaries
alternated by calling the script once per binary and run (docs/performance/session11-http.md).
RECIPIENTS > 1: the bulk shape, N / RECIPIENTS requests each naming RECIPIENTS numbers
(Kannel: sendsms `to` with the numbers separated by spaces, one message per number; bramka:
a `phone` list).

Exactly N messages: wrk keeps CONNECTIONS requests in flight; once the N-th real request
is sent, each connection waits 600 s before its next one (wrk's delay(); the run ends at the
N-th answer long before), which would be refused by the gateway's authentication anyway
(wrong password / token: no message). A few such extras still reach the gateway (wrk
sends some before consulting delay(), e.g. on a reconnect): their refusals (Kannel 403,
bramka HTTP 200 with error 1001 or, once throttled, 1012) are told apart by their answer
and neither count as accepted nor end the run. So both gateways get exactly N messages, the
simulator (`--quiet`, its counters at exit) reports how many submit_sm it saw, and the
gateway's own count of accepted messages is checked against N (session 4's runs sent
N + ~25: the requests in flight when the N-th answer came).
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
RECIPIENTS = int(sys.argv[5]) if len(sys.argv) > 5 else 1
REQUESTS = (N + RECIPIENTS - 1) // RECIPIENTS
BEARERBOX = shutil.which("bearerbox") or "/usr/sbin/bearerbox"
SMSBOX = shutil.which("smsbox") or "/usr/sbin/smsbox"

# wrk (one thread; it drives all connections): N requests, then exits at the N-th answer
# (wrk.thread:stop() would still wait for -d); numbers vary per request.
WRK_LUA = r"""
function init(args)
  total = tonumber(args[1]); kind = args[2]; token = args[3]; per = tonumber(args[4])
  sent = 0; answered = 0; ok = 0; extra = 0; statuses = {}
  -- wrk calls request() once after init to check the script (it discards the result):
  -- that call gets a refused extra, not the first real request.
  checked = false
end
function numbers(first, sep, plus)
  local t = {}
  for i = 0, per - 1 do t[#t + 1] = plus .. string.format("48500%06d", (first + i) % 1000000) end
  return table.concat(t, sep)
end
function delay()
  -- Called before each next request: once the N real requests are out, a connection
  -- waits (the run ends at the last real answer) instead of sending the refused extras.
  if sent >= total then return 600000 end
  return 0
end
function request()
  local real = checked and sent < total
  checked = true
  if real then sent = sent + 1 else extra = extra + 1 end
  local first = (sent - 1) * per
  if kind == "kannel" then
    local pw = real and "foobar" or "wrong"
    return wrk.format("GET", "/cgi-bin/sendsms?username=tester&password=" .. pw
      .. "&from=Bramka&to=" .. numbers(first, "+", "%2B") .. "&text=bench+message&dlr-mask=1")
  end
  local tok = real and token or "wrong"
  local phones = per == 1 and ('"' .. numbers(first, "", "") .. '"')
    or ('["' .. numbers(first, '","', "") .. '"]')
  return wrk.format("POST", "/messages/send_sms", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tok}, '{"phone":' .. phones .. ',"text":"bench message"}')
end
function response(status, headers, body)
  -- An extra (wrong credentials) can still reach the gateway (the check call's request, a
  -- reconnect): Kannel refuses it with 403, bramka with HTTP 200 and error 1001, or 1012
  -- once failed logins are throttled (API errors are HTTP 200, spec 1.6). It is not one of the `total` real requests, so it neither
  -- counts as accepted nor ends the run.
  local refused_extra = status == 403
    or (kind ~= "kannel" and (string.find(body, '"code":1001', 1, true) ~= nil
                              or string.find(body, '"code":1012', 1, true) ~= nil))
  local label = refused_extra and "extra" or tostring(status)
  statuses[label] = (statuses[label] or 0) + 1
  if refused_extra then return end
  answered = answered + 1
  local accepted = status == 202 or (status == 200 and (kind == "kannel"
    or string.find(body, '"success":true', 1, true) ~= nil))
  if accepted then ok = ok + 1 end
  -- The extras wait 600 s (delay above): once every real request is answered, the run ends.
  if answered >= total then
    io.write(string.format("OK %d\n", ok))
    for code, n in pairs(statuses) do io.write(string.format("STATUS %s %d\n", code, n)) end
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
    limit = max(60, N // 200)  # seconds: well over any run's; wrk prints no OK line then
    out = subprocess.run(["wrk", "-t", "1", "-c", str(CONNS), "-d", f"{limit}s", "-s", lua,
                          f"http://127.0.0.1:{port}", "--", str(REQUESTS), kind, token or "-",
                          str(RECIPIENTS)],
                         capture_output=True, text=True, timeout=limit + 60).stdout
    secs = time.monotonic() - t0
    m = re.search(r"^OK (\d+)$", out, re.M)
    if not m:
        raise SystemExit("wrk failed:\n" + out)
    codes = re.findall(r"^STATUS (\w+) (\d+)$", out, re.M)
    if any(c not in ("200", "202") for c, _ in codes):
        log(f"{kind}: answers by HTTP status: {dict(codes)}")
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


def cpu_s(pid):
    """utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def simulator():
    # SMSC_BIN: the simulator from another build; quiet: its counters come at exit.
    # SMSC_WINDOW: its deliver_sm window (default 100), the same for both gateways.
    return Smsc(os.environ.get("SMSC_BIN", BIN), receipt_delay_ms=0, quiet=True,
                window=int(os.environ.get("SMSC_WINDOW", "0")) or None)


def kannel_sent(admin_port):
    """Messages bearerbox has sent to the SMSC (status.txt: `SMS: received …, sent N …`)."""
    m = re.search(r"SMS: received \d+ \(\d+ queued\), sent (\d+)", kannel_status(admin_port))
    return int(m.group(1)) if m else -1


def run_kannel():
    smsc = simulator()
    d = tempfile.mkdtemp(prefix="bramka-compare-kannel-")
    procs = []
    result = {}
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
        cpu0 = sum(cpu_s(p.pid) for p, _ in procs)
        t0 = time.monotonic()
        ok, secs = wrk(sendsms_port, "kannel")
        messages = ok * RECIPIENTS
        log(f"kannel accepted {ok} requests ({messages} messages); waiting for receipts")
        wait_until(lambda: kannel_dlrs(admin_port) >= messages, 900, 0.05,
                   f"Kannel to receive {messages} receipts")
        # A connection wrk reopens (Kannel closes some) sends its next request at once,
        # without delay(): such an extra (refused, 403, no message) may be among the first N
        # answers while a real request is still out. Kannel's own count of messages sent to
        # the SMSC then gives the real number.
        sent = kannel_sent(admin_port)
        if sent > messages:
            log(f"kannel sent {sent} messages for {messages} accepted; waiting for all")
            messages = sent
            wait_until(lambda: kannel_dlrs(admin_port) >= messages, 900, 0.05,
                       f"Kannel to receive {messages} receipts")
        total = time.monotonic() - t0
        cpu = sum(cpu_s(p.pid) for p, _ in procs) - cpu0
        result = dict(accepted=messages, accept_s=secs, e2e_s=total, cpu=cpu,
                      gateway_sent=kannel_sent(admin_port), dlrs=kannel_dlrs(admin_port))
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
    result["smsc_submits"] = smsc.count("submit")
    return result


def metric(b, prefix):
    _, _, body = b.raw("/metrics", method="GET")
    total = 0
    for line in body.decode().splitlines():
        if line.startswith(prefix):
            total += int(float(line.split()[-1]))
    return total


def run_bramka():
    smsc = simulator()
    b = Bramka(extra_config=connector_toml("smsc", smsc.port, window=WINDOW) + route_toml(["smsc"]))
    result = {}
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
        cpu0 = cpu_s(b.proc.pid)
        t0 = time.monotonic()
        ok, secs = wrk(b.http_port, "bramka", token)
        messages = ok * RECIPIENTS
        log(f"bramka accepted {ok} requests ({messages} messages); waiting for receipts")
        wait_until(lambda: metric(b, 'bramka_messages{status="delivered"}') >= messages, 900, 0.05,
                   f"bramka to store {messages} receipts")
        total = time.monotonic() - t0
        cpu = cpu_s(b.proc.pid) - cpu0
        result = dict(accepted=messages, accept_s=secs, e2e_s=total, cpu=cpu,
                      gateway_sent=metric(b, "bramka_messages{"),
                      dlrs=metric(b, 'bramka_messages{status="delivered"}'))
    finally:
        b.stop()
        b.cleanup()
        smsc.stop()
    result["smsc_submits"] = smsc.count("submit")
    return result


def main():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=here).stdout.strip()
    print(f"== {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {commit}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; {REQUESTS * RECIPIENTS} messages, {RECIPIENTS} per "
          f"request, wrk -t1 -c{CONNS}, window {WINDOW}")
    gateways = os.environ.get("GATEWAYS", "kannel,bramka").split(",")
    results = {name: [] for name in gateways}
    for i in range(RUNS):
        for name, fn in (("kannel", run_kannel), ("bramka", run_bramka)):
            if name not in results:
                continue
            r = fn()
            r["accept_rate"] = r["accepted"] / r["accept_s"]
            r["e2e_rate"] = r["accepted"] / r["e2e_s"]
            r["per_cpu"] = r["accepted"] / max(r["cpu"], 0.01)
            results[name].append(r)
            print(f"   run {i + 1} {name}: accepted {r['accepted']} in {r['accept_s']:.2f} s "
                  f"({r['accept_rate']:,.0f}/s); all receipts in {r['e2e_s']:.2f} s "
                  f"({r['e2e_rate']:,.0f} msg/s end to end); gateway CPU {r['cpu']:.2f} s "
                  f"({r['per_cpu']:,.0f} msg/CPU-s); gateway counted {r['gateway_sent']} "
                  f"messages, {r['dlrs']} receipts; smsc saw {r['smsc_submits']} submit_sm; "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    med = {k: [statistics.median(r[f] for r in v) for f in ("accept_rate", "e2e_rate", "per_cpu")]
           for k, v in results.items()}
    print(f"-- median of {RUNS}   accepted/s   end to end msg/s   gateway msg/CPU-s")
    for k in ("kannel", "bramka"):
        if k in med:
            print(f"   {k:8} {med[k][0]:12,.0f} {med[k][1]:16,.0f} {med[k][2]:18,.0f}")
    if len(med) < 2:
        return
    ratio = [med["bramka"][i] / med["kannel"][i] for i in range(3)]
    print(f"   ratio    {ratio[0]:12.2f} {ratio[1]:16.2f} {ratio[2]:18.2f}")


if __name__ == "__main__":
    main()
