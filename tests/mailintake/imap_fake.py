"""A small IMAP4rev1 server on the loopback interface, for the IMAP reader's tests.

It speaks only what ``sources.ImapSource`` asks (CAPABILITY, LOGIN, SELECT/EXAMINE, UID SEARCH, UID FETCH
BODY.PEEK[], UID STORE +FLAGS, LOGOUT) on the wire, as RFC 3501 writes it, so the reader is tested through
``imaplib`` itself; it stores messages in memory with their UIDs and flags. Not a mail server: no real one is
installed by the project's own files (see docs/mailintake.md)."""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class FakeFolder:
    """Messages by UID, with their flags, and the folder's UIDVALIDITY."""

    uid_validity: int = 7
    messages: dict[int, bytes] = field(default_factory=dict)
    flags: dict[int, set[str]] = field(default_factory=dict)
    user: str = "helpdesk"
    password: str = "secret"
    logins: int = 0

    def add(self, raw: bytes) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = raw
        self.flags[uid] = set()
        return uid


def _uid_range(spec: str, uids: list[int]) -> list[int]:
    start, _sep, end = spec.partition(":")
    low = int(start)
    if not _sep:
        return [u for u in uids if u == low]
    high = max(uids, default=0) if end == "*" else int(end)
    low, high = min(low, high), max(low, high)
    return [u for u in uids if low <= u <= high]


class _Handler(socketserver.StreamRequestHandler):
    def send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:  # noqa: C901 - one branch per command
        folder: FakeFolder = self.server.folder
        self.send(b"* OK [CAPABILITY IMAP4rev1] fake ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _sp, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _sp, args = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self.send(b"* CAPABILITY IMAP4rev1")
                self.send(f"{tag} OK CAPABILITY done".encode())
            elif command == "LOGIN":
                user, password = [a.strip('"') for a in args.split(" ", 1)]
                if (user, password) != (folder.user, folder.password):
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] invalid credentials".encode())
                else:
                    folder.logins += 1
                    self.send(f"{tag} OK LOGIN done".encode())
            elif command in ("SELECT", "EXAMINE"):
                if args.strip('"').upper() != "INBOX":
                    self.send(f"{tag} NO no such folder".encode())
                    continue
                self.send(f"* {len(folder.messages)} EXISTS".encode())
                self.send(f"* OK [UIDVALIDITY {folder.uid_validity}] UIDs valid".encode())
                self.send(f"{tag} OK [READ-WRITE] {command} done".encode())
            elif command == "UID":
                sub, _sp, rest_args = args.partition(" ")
                sub = sub.upper()
                uids = sorted(folder.messages)
                if sub == "SEARCH":
                    spec = re.search(r"UID (\S+)", rest_args).group(1)
                    found = _uid_range(spec, uids)
                    self.send(("* SEARCH " + " ".join(map(str, found))).rstrip().encode())
                elif sub == "FETCH":
                    spec, _sp, _items = rest_args.partition(" ")
                    for seq, uid in enumerate(uids, start=1):
                        if uid in _uid_range(spec, uids):
                            raw = folder.messages[uid]
                            self.wfile.write(f"* {seq} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode())
                            self.wfile.write(raw + b")\r\n")
                elif sub == "STORE":
                    spec, _sp, _rest = rest_args.partition(" ")
                    for uid in _uid_range(spec, uids):
                        folder.flags[uid].add("\\Seen")
                self.send(f"{tag} OK UID {sub} done".encode())
            elif command == "LOGOUT":
                self.send(b"* BYE bye")
                self.send(f"{tag} OK LOGOUT done".encode())
                return
            else:
                self.send(f"{tag} BAD unknown command".encode())


class FakeImapServer(socketserver.ThreadingTCPServer):
    """Serve one FakeFolder on 127.0.0.1 at a free port, in a daemon thread; use as a context manager."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, folder: FakeFolder) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder

    def __enter__(self) -> FakeImapServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()

    @property
    def port(self) -> int:
        return self.server_address[1]
