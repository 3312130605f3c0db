#!/usr/bin/env python3
"""Where a serve's CPU goes per delivered message, end to end (docs/performance/session13-trickle.md).

One `compare_kannel.py`-shaped bramka run (wrk: N messages, CONNECTIONS connections,
RECIPIENTS per request; the `bramka smsc` simulator answering and reporting at once; window
WINDOW) that prints, per delivered message: each thread name's CPU and context switches
(from /proc/PID/task, summed over threads of that name), the simulator's CPU, the writer's
jobs and stage means, the delivery cycles and callback claims (/metrics), the HTTP request's
mean time.

Usage: scripts/e2e_thread_cpu.py BIN N CONNECTIONS RECIPIENTS [WINDOW]
  e.g. one per request: e2e_thread_cpu.py build/release/src/app/bramka 20000 32 1
       bulk:            e2e_thread_cpu.py build/release/src/app/bramka 60000 32 1000
Environment:
  NODELIVER=1  the same load with delivery off (the connector points at a closed port and
               simnet is off): what the accepts alone cost, to subtract.
  SYSC=1       also system calls per message and thread (perf stat --per-thread).
  PERF=FILE    also `perf record --call-graph dwarf` of the serve for PERF_SECS (4) seconds.
  EXTRA_TOML   appended to bramka.toml.
  SERVER_THREADS=N  [server] threads (the HTTP/SMPP I/O threads; 2 by default).
Run it under `flock /tmp/bramka-bench.lock`. Stdlib + wrk (+ perf for SYSC/PERF).
"""
import glob, os, re, sys, time
HERE = os.path.dirname(os.path.abspath(__file__))
BIN, N, CONNS, RECIP = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
WINDOW = int(sys.argv[5]) if len(sys.argv) > 5 else 100
sys.argv = ["compare_kannel.py", str(N), str(CONNS), str(WINDOW), "1", str(RECIP)]
os.environ["BRAMKA_BIN"] = BIN
sys.path.insert(0, HERE)
import compare_kannel as ck  # noqa
from harness import Bramka, wait_until  # noqa
from smsc import connector_toml, route_toml  # noqa

def snap(pid):
    out = {}
    for t in glob.glob(f"/proc/{pid}/task/*"):
        try:
            name = open(t + "/comm").read().strip()
            st = open(t + "/status").read()
            v = int(st.split("voluntary_ctxt_switches:")[1].split()[0])
            nv = int(st.split("nonvoluntary_ctxt_switches:")[1].split()[0])
            f = open(t + "/stat").read().rsplit(")", 1)[1].split()
            cpu = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
            out[t.rsplit("/", 1)[1]] = (name, v, nv, cpu)
        except Exception:
            pass
    return out

KEYS = ['bramka_store_write_stage_seconds_count{stage="total"}',
        'bramka_store_write_batch_part_seconds_count{part="commit"}',
        'bramka_store_write_stage_seconds_count{stage="fsync"}',
        'bramka_callbacks_claims_total', 'bramka_callbacks_wakeups_total',
        'bramka_dispatch_cycles_total{while="accepting"}', 'bramka_dispatch_cycles_total{while="quiet"}',
        'bramka_store_checkpoint_seconds_count', 'bramka_store_background_checkpoint_seconds_count']
def metrics(b):
    _, _, body = b.raw("/metrics", method="GET")
    d = {}
    for line in body.decode().splitlines():
        if line.startswith("#"): continue
        k, _, v = line.rpartition(" ")
        d[k] = float(v)
    return d

smsc = ck.simulator()
NODELIVER = bool(os.environ.get("NODELIVER"))
from harness import free_port
b = Bramka(extra_config=connector_toml("smsc", free_port() if NODELIVER else smsc.port, window=WINDOW) + route_toml(["smsc"]))
try:
    with open(b.config) as f:
        text = f.read().replace('log_level = "info"', 'log_level = "warn"')
    if NODELIVER: text = text.replace("[simnet]                          # the built-in simulated network (default route)\nenabled = true", "[simnet]\nenabled = false")
    if os.environ.get("SERVER_THREADS"):
        text = re.sub(r"(?m)^threads = \d+", "threads = " + os.environ["SERVER_THREADS"], text, count=1)
    extra = os.environ.get("EXTRA_TOML", "")
    with open(b.config, "w") as f:
        f.write(text + ("\n" + extra.replace("\\n", "\n") + "\n" if extra else ""))
    b.admin("account", "topup", "demo", "--eco", str(N * 4))
    b.start()
    if not NODELIVER: wait_until(lambda: 'bramka_connector_bound{connector="smsc"} 1' in b.raw("/metrics", method="GET")[2].decode(), 30, 0.05, "bind")
    token = open(os.path.join(b.dir, "demo-token.txt")).read().strip()
    m0 = metrics(b); s0 = snap(b.proc.pid); sm0 = snap(smsc.proc.pid)
    t0 = time.monotonic()
    perf = None
    if os.environ.get("PERF"):
        import subprocess
        perf = subprocess.Popen(["perf", "record", "-o", os.environ["PERF"], "--call-graph", "dwarf,16384", "-F", "499", "-p", str(b.proc.pid), "--", "sleep", os.environ.get("PERF_SECS", "4")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pstat = None
    if os.environ.get("SYSC"):
        import subprocess
        ev = ",".join("syscalls:sys_enter_" + x for x in ["fdatasync","pwrite64","futex","sendmsg","sendto","recvfrom","recvmsg","epoll_wait","write","writev","read","readv","epoll_ctl","timerfd_settime"])
        pstat = subprocess.Popen(["perf", "stat", "--per-thread", "-x,", "-e", ev + ",context-switches", "-p", str(b.proc.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ok, secs = ck.wrk(b.http_port, "bramka", token)
    msgs = ok * RECIP
    if not NODELIVER: wait_until(lambda: ck.metric(b, 'bramka_messages{status="delivered"}') >= msgs, 900, 0.02, "receipts")
    total = time.monotonic() - t0
    if perf: perf.wait()
    if pstat:
        import signal
        pstat.send_signal(signal.SIGINT); err = pstat.communicate()[1]
        rows = {}
        for line in err.splitlines():
            f = line.split(",")
            if len(f) > 3 and f[1].strip().isdigit():
                th = f[0].rsplit("-", 1)[0]
                rows.setdefault(th, {}); ev = f[3].replace("syscalls:sys_enter_", "")
                rows[th][ev] = rows[th].get(ev, 0) + int(f[1])
        for th, evs in sorted(rows.items()):
            line = " ".join(f"{k}={v/msgs:.3f}" for k, v in sorted(evs.items()) if v / msgs >= 0.005)
            if line: print(f"  sys {th:16} {line}")
    s1 = snap(b.proc.pid); sm1 = snap(smsc.proc.pid); m1 = metrics(b)
    n = msgs
    print(f"msgs {n} accept {n/secs:,.0f}/s e2e {n/total:,.0f}/s load {os.getloadavg()[0]:.1f}")
    agg = {}
    for k, (name, v, nv, cpu) in s1.items():
        if k not in s0: continue
        dv, dn, dc = v - s0[k][1], nv - s0[k][2], cpu - s0[k][3]
        a = agg.setdefault(name, [0, 0, 0, 0.0]); a[0] += 1; a[1] += dv; a[2] += dn; a[3] += dc
    tv = tn = tc = 0
    for name, (cnt, dv, dn, dc) in sorted(agg.items(), key=lambda x: -x[1][3]):
        tv += dv; tn += dn; tc += dc
        if dv + dn > n * 0.01 or dc > 0.01:
            print(f"  {name:16} x{cnt:<3} cpu_us/msg {1e6*dc/n:6.1f}  vol/msg {dv/n:.3f} invol/msg {dn/n:.3f}")
    print(f"  {'serve total':16}      cpu_us/msg {1e6*tc/n:6.1f}  vol/msg {tv/n:.3f} invol/msg {tn/n:.3f}  msg/CPU-s {n/max(tc,1e-9):,.0f}")
    sc = sum(x[3] for x in sm1.values()) - sum(sm0[k][3] for k in sm1 if k in sm0)
    print(f"  simulator cpu_us/msg {1e6*sc/n:.1f}")
    for key in KEYS:
        d = m1.get(key, 0) - m0.get(key, 0)
        print(f"  {key}: {d:.0f} ({d/n:.3f}/msg)")
    for st in ["queued","batch","sync_wait","fsync","handoff","total"]:
        c = m1.get(f'bramka_store_write_stage_seconds_count{{stage="{st}"}}',0) - m0.get(f'bramka_store_write_stage_seconds_count{{stage="{st}"}}',0)
        su = m1.get(f'bramka_store_write_stage_seconds_sum{{stage="{st}"}}',0) - m0.get(f'bramka_store_write_stage_seconds_sum{{stage="{st}"}}',0)
        print(f"  stage {st:10} mean {1e6*su/max(c,1):8.0f} us")
    for pt in ["others","commit"]:
        c = m1.get(f'bramka_store_write_batch_part_seconds_count{{part="{pt}"}}',0) - m0.get(f'bramka_store_write_batch_part_seconds_count{{part="{pt}"}}',0)
        su = m1.get(f'bramka_store_write_batch_part_seconds_sum{{part="{pt}"}}',0) - m0.get(f'bramka_store_write_batch_part_seconds_sum{{part="{pt}"}}',0)
        print(f"  part {pt:10} mean {1e6*su/max(c,1):8.0f} us (sum {su:.3f} s)")
    hc = sum(v for k, v in m1.items() if k.startswith("bramka_http_request_duration_seconds_count")) - sum(v for k, v in m0.items() if k.startswith("bramka_http_request_duration_seconds_count"))
    hs = sum(v for k, v in m1.items() if k.startswith("bramka_http_request_duration_seconds_sum")) - sum(v for k, v in m0.items() if k.startswith("bramka_http_request_duration_seconds_sum"))
    print(f"  http request mean {1e6*hs/max(hc,1):.0f} us over {hc:.0f}")
    for key in sorted(m1):
        if key.startswith("bramka_http_requests_total") or key.startswith("bramka_connector_submits_total"):
            d = m1[key] - m0.get(key, 0)
            if d: print(f"  {key}: {d:.0f}")
finally:
    b.stop(); b.cleanup(); smsc.stop()
