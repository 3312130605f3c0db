"""Drivers for the real SMPP clients the SMPP server tests use (stdlib only)."""
import json
import os
import queue
import subprocess
import threading
import time

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
NODE_ESME = os.path.join(ROOT, "tests", "support", "node_esme.js")


class NodeEsme:
    """One node-smpp client session (tests/support/node_esme.js) driven step by step."""

    def __init__(self):
        self.proc = subprocess.Popen(["node", NODE_ESME], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.lines = queue.Queue()
        self.events = []
        self.replies = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def _pump(self, deadline):
        try:
            item = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return False
        if item is None:
            raise AssertionError("node ESME exited")
        if "event" in item:
            self.events.append(item)
        else:
            self.replies[item["id"]] = item
        return True

    def send(self, op, **kw):
        """Starts a step without waiting; wait_reply(its id) later."""
        self.next_id += 1
        cid = self.next_id
        self.proc.stdin.write(json.dumps(dict(kw, id=cid, op=op)) + "\n")
        self.proc.stdin.flush()
        return cid

    def call(self, op, timeout=15.0, **kw):
        return self.wait_reply(self.send(op, **kw), timeout, op)

    def wait_reply(self, cid, timeout=15.0, op="step"):
        deadline = time.monotonic() + timeout
        while cid not in self.replies:
            if not self._pump(deadline) and time.monotonic() >= deadline:
                raise AssertionError(f"node ESME: no answer to {op} within {timeout}s")
        return self.replies.pop(cid)

    def wait_event(self, kind, count=1, timeout=15.0):
        deadline = time.monotonic() + timeout
        while len([e for e in self.events if e["event"] == kind]) < count:
            if not self._pump(deadline) and time.monotonic() >= deadline:
                raise AssertionError(f"node ESME: fewer than {count} {kind} events in {timeout}s")
        return [e for e in self.events if e["event"] == kind]

    def connect_and_bind(self, port, system_id="demo", password="demo", kind="transceiver",
                         tls=False):
        assert self.call("connect", port=port, tls=tls)["ok"]
        return self.call("bind", type=kind, system_id=system_id, password=password)["status"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc.stdout.close()
