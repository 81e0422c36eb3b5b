"""A tiny stand-in for a Redis server on the loopback (RESP over TCP): answers HELLO, PING with PONG, LLEN with
the lengths given, anything else (the client's handshake) with OK. It lets the readiness and metrics tests reach a
"broker" whatever the machine runs, and be refused by a port where nothing listens."""

from __future__ import annotations

import socket
import socketserver
import threading
from contextlib import contextmanager


def _commands(buffer: bytes) -> tuple[list[list[bytes]], bytes]:
    """Split complete RESP arrays of bulk strings off the front of the buffer."""
    found = []
    while buffer.startswith(b"*"):
        head, sep, rest = buffer.partition(b"\r\n")
        if not sep:
            break
        count, parts, complete = int(head[1:]), [], True
        for _ in range(count):
            size_line, sep, rest = rest.partition(b"\r\n")
            if not sep or len(rest) < int(size_line[1:]) + 2:
                complete = False
                break
            size = int(size_line[1:])
            parts.append(rest[:size])
            rest = rest[size + 2 :]
        if not complete:
            break
        found.append(parts)
        buffer = rest
    return found, buffer


@contextmanager
def fake_redis(lengths: dict[str, int] | None = None):
    """Run the stand-in on a free loopback port; yields its redis:// URL."""
    lengths = lengths or {}

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            buffer = b""
            while chunk := self.request.recv(65536):
                commands, buffer = _commands(buffer + chunk)
                for command in commands:
                    name = command[0].upper()
                    if name == b"HELLO":  # the client asks for RESP3: a map naming the protocol
                        self.request.sendall(b"%1\r\n+proto\r\n:3\r\n")
                    elif name == b"PING":
                        self.request.sendall(b"+PONG\r\n")
                    elif name == b"LLEN":
                        self.request.sendall(b":%d\r\n" % lengths.get(command[1].decode(), 0))
                    else:
                        self.request.sendall(b"+OK\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.server_address[1]}/0"
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A redis:// URL on a loopback port where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"
