"""A chaos TCP proxy for integration tests: forwards 127.0.0.1:<port> to a target and
cuts every connection after a number of bytes (client -> server), so an SMPP link dies
mid-window. Also (reliability area) `mode="stall"`: after the bytes, stop forwarding but
keep both sockets open (a silent, half-dead link); `delay_s`: every chunk is held that
long in both directions (a slow link). Stdlib only; runs in threads of the test process."""
import socket
import threading
import time


class ChaosProxy:
    def __init__(self, target_port, cut_after_bytes=600, cuts=3, mode="cut", delay_s=0.0):
        """Cuts the first `cuts` connections after `cut_after_bytes` upstream bytes each;
        later connections are left alone (so the test can finish)."""
        self.target_port = target_port
        self.mode = mode
        self.delay_s = delay_s
        self.stalled = []  # sockets of stalled links, closed by stop()
        self.cut_after_bytes = cut_after_bytes
        self.cuts_left = cuts
        self.cuts_done = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
                limit = self.cut_after_bytes if self.cuts_left > 0 else None
                if limit is not None:
                    self.cuts_left -= 1
            pair = {"closed": False}
            threading.Thread(target=self._pipe, args=(client, server, limit, pair), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, None, pair), daemon=True).start()

    def _pipe(self, src, dst, limit, pair):
        sent = 0
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                if self.delay_s:
                    time.sleep(self.delay_s)  # the slow link itself, not a test wait
                if pair.get("stalled"):
                    continue  # a stalled link drops what the other side says too
                if limit is not None and sent + len(data) >= limit and self.mode == "stall":
                    dst.sendall(data[: max(0, limit - sent)])
                    with self._lock:
                        self.cuts_done += 1
                        self.stalled += [src, dst]
                        pair["stalled"] = True
                    while not self._stopped and src.recv(4096):
                        pass  # swallow everything: the peer hears nothing more
                    return
                if limit is not None and sent + len(data) >= limit:
                    # Forward part of it, then cut both ways: a PDU dies half-written.
                    dst.sendall(data[: max(0, limit - sent)])
                    with self._lock:
                        self.cuts_done += 1
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def stop(self):
        self._stopped = True
        self._listener.close()
        for s in self.stalled:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
