"""A minimal SMPP 3.4 ESME in the standard library, for reliability tests: bind,
pipelined submit_sm with a window, raw PDUs for malformed-input tests. Not a general
client: it reads only what it needs (command header, message_id of submit_sm_resp)."""
import socket
import struct

BIND_TRANSMITTER, BIND_TRANSCEIVER, SUBMIT_SM, UNBIND = 0x02, 0x09, 0x04, 0x06
ENQUIRE_LINK, GENERIC_NACK = 0x15, 0x80000000
RESP = 0x80000000


def cstr(s):
    return (s if isinstance(s, bytes) else s.encode()) + b"\0"


def pdu(command_id, seq, body=b"", status=0):
    return struct.pack(">IIII", 16 + len(body), command_id, status, seq) + body


def bind_body(system_id, password, system_type=""):
    return cstr(system_id) + cstr(password) + cstr(system_type) + bytes([0x34, 0, 0]) + cstr("")


def submit_body(dest, text, src="", registered=0, data_coding=0):
    data = text if isinstance(text, bytes) else text.encode()
    return (cstr("") + bytes([5, 0]) + cstr(src) + bytes([1, 1]) + cstr(dest)
            + bytes([0, 0, 0]) + cstr("") + cstr("") + bytes([registered, 0, data_coding, 0])
            + bytes([len(data)]) + data)


class Esme:
    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.seq = 0

    def next_seq(self):
        self.seq += 1
        return self.seq

    def send_raw(self, data):
        self.sock.sendall(data)

    def read_pdu(self):
        """(command_id, status, seq, body); raises ConnectionError when the peer closes."""
        while True:
            if len(self.buf) >= 16:
                length = struct.unpack(">I", self.buf[:4])[0]
                if len(self.buf) >= length:
                    head, self.buf = self.buf[:length], self.buf[length:]
                    cid, status, seq = struct.unpack(">III", head[4:16])
                    return cid, status, seq, head[16:]
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed by the server")
            self.buf += data

    def read_response(self):
        """The next response PDU, answering enquire_link / deliver_sm on the way."""
        while True:
            cid, status, seq, body = self.read_pdu()
            if cid & RESP:
                return cid, status, seq, body
            self.send_raw(pdu(cid | RESP, seq, b"\0" if cid == 0x05 else b""))

    def bind(self, system_id="demo", password="demo", command=BIND_TRANSMITTER):
        self.send_raw(pdu(command, self.next_seq(), bind_body(system_id, password)))
        return self.read_response()[1]

    def submit_many(self, items, window=10):
        """items: [(dest, text)]; yields (dest, status, message_id) as answers come."""
        pending = {}
        it = iter(items)
        done = False
        while not done or pending:
            while not done and len(pending) < window:
                try:
                    dest, text = next(it)
                except StopIteration:
                    done = True
                    break
                seq = self.next_seq()
                pending[seq] = dest
                self.send_raw(pdu(SUBMIT_SM, seq, submit_body(dest, text)))
            if pending:
                cid, status, seq, body = self.read_response()
                dest = pending.pop(seq, None)
                if dest is not None:
                    yield dest, status, body.split(b"\0", 1)[0].decode()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
