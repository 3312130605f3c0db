"""Runs `bramka smsc` (the SMSC simulator) for integration tests: port 0, its ports read
from the first JSON line it prints, its event lines collected in a thread. Stdlib only."""
import json
import subprocess
import threading


class Smsc:
    def __init__(self, bin_path, *misbehave, receipt_delay_ms=50, system_id=None, password=None,
                 quiet=False, window=None):
        # quiet: no event lines (benchmarks: two lines per message cost the simulator and
        # this reader ~10 us of CPU per message); count() of submits and receipts after stop().
        self.quiet = quiet
        self.stats = None
        args = [bin_path, "smsc", "--port", "0", "--receipt-delay-ms", str(receipt_delay_ms)]
        if quiet:
            args.append("--quiet")
        if window:  # deliver_sm unanswered per bind (default 100)
            args += ["--window", str(window)]
        for m in misbehave:
            args += ["--misbehave", m]
        if system_id:
            args += ["--system-id", system_id, "--password", password or ""]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.events = []
        self._lock = threading.Lock()
        first = self.proc.stdout.readline()  # bounded: the process prints it at once or exits
        if not first:
            raise AssertionError(f"bramka smsc exited with {self.proc.wait(timeout=10)}")
        self.port = json.loads(first)["port"]
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        try:
            for line in self.proc.stdout:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                with self._lock:
                    if event.get("event") == "stats":  # the last line, at exit
                        self.stats = event
                    else:
                        self.events.append(event)
        except (ValueError, OSError):  # closed by stop()
            pass

    def count(self, kind):
        if self.quiet:
            if self.stats is None:
                raise AssertionError("a quiet simulator has counts only after stop()")
            return self.stats[{"submit": "submits", "receipt": "receipts"}[kind]]
        with self._lock:
            return sum(1 for e in self.events if e.get("event") == kind)

    def submitted_ids(self):
        with self._lock:
            return [e["id"] for e in self.events if e.get("event") == "submit"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=10)  # it reads the stats line, then EOF
        self.proc.stdout.close()


def connector_toml(name, port, system_id="bramka", password="pw", **extra):
    lines = ["", "[[connector]]", f'name = "{name}"', 'host = "127.0.0.1"', f"port = {port}",
             f'system_id = "{system_id}"', f'password = "{password}"', "reconnect_s = 1",
             "reconnect_max_s = 2", "response_timeout_s = 3"]
    for k, v in extra.items():
        lines.append(f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}")
    return "\n".join(lines) + "\n"


def route_toml(connectors, prefixes=None):
    lines = ["", "[[route]]", "connectors = [" + ", ".join(f'"{c}"' for c in connectors) + "]"]
    if prefixes:
        lines.append("prefixes = [" + ", ".join(f'"{p}"' for p in prefixes) + "]")
    return "\n".join(lines) + "\n"

