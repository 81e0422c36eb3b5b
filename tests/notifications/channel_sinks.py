"""Local HTTP receivers for the channel tests: each checks its kind's signature the way the vendor does and
answers like the vendor (HTTP 200 with an error code in the body when the signature is wrong)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Sink:
    """A receiver on 127.0.0.1: `kind` decides how it checks signatures; `status` forces an answer code."""

    kind: str
    secret: str = ""
    status: int | None = None
    location: str = ""  # sent as Location with a forced 3xx status
    received: list[Received] = field(default_factory=list)
    verdicts: list[bool] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        paths = {
            "dingtalk": "/robot/send?access_token=tok",
            "wecom": "/cgi-bin/webhook/send?key=k-1",
            "feishu": "/open-apis/bot/v2/hook/h-1",
            "webhook": "/hooks/oversight",
        }
        return f"http://{host}:{port}{paths[self.kind]}"

    def verify(self, item: Received) -> bool:
        """The vendor's check, written independently of Oversight's signing module."""
        if self.kind == "dingtalk":
            if not self.secret:
                return "sign" not in item.query
            ts = item.query["timestamp"]
            expected = base64.b64encode(
                hmac.new(self.secret.encode(), f"{ts}\n{self.secret}".encode(), hashlib.sha256).digest()
            ).decode()
            fresh = abs(int(ts) / 1000 - time.time()) < 3600 * 24 * 365 * 10
            return fresh and item.query["sign"] == expected  # parse_qs already URL-decoded it
        if self.kind == "feishu":
            data = item.json
            if not self.secret:
                return "sign" not in data
            key = f"{data['timestamp']}\n{self.secret}".encode()
            return data["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        if self.kind == "webhook":
            ts = item.headers.get("x-oversight-timestamp", "")
            expected = (
                "sha256=" + hmac.new(self.secret.encode(), ts.encode() + b"." + item.body, hashlib.sha256).hexdigest()
            )
            return hmac.compare_digest(expected, item.headers.get("x-oversight-signature", ""))
        return item.query.get("key") == "k-1"

    def answer(self, ok: bool) -> tuple[int, dict]:
        if self.status is not None:
            return self.status, {"errcode": 500, "errmsg": "forced"}
        if self.kind == "feishu":
            return 200, ({"code": 0, "msg": "success"} if ok else {"code": 19021, "msg": "sign match fail"})
        if self.kind == "webhook":
            return (204, {}) if ok else (401, {"error": "bad signature"})
        return 200, ({"errcode": 0, "errmsg": "ok"} if ok else {"errcode": 310000, "errmsg": "sign not match"})


def start(sink: Sink) -> Sink:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            parts = urllib.parse.urlsplit(self.path)
            item = Received(
                path=parts.path,
                query={k: v[0] for k, v in urllib.parse.parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length),
            )
            sink.received.append(item)
            ok = sink.verify(item)
            sink.verdicts.append(ok)
            status, data = sink.answer(ok)
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if sink.location:
                self.send_header("Location", sink.location)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    sink.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=sink.server.serve_forever, daemon=True).start()
    return sink


@contextlib.contextmanager
def running(kind: str, secret: str = "") -> Iterator[Sink]:
    """A receiver of ``kind`` on 127.0.0.1 for the length of the block (a test fixture yields from it)."""
    sink = start(Sink(kind=kind, secret=secret))
    try:
        yield sink
    finally:
        sink.server.shutdown()
        sink.server.server_close()
