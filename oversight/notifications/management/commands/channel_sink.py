"""`manage.py channel_sink`: a local receiver for trying channels without a real robot.

It listens on 127.0.0.1, checks the signature of each request as 钉钉, 飞书 or Oversight's webhook receivers do
(with ``--secret``), prints the payload and answers like the robot (``errcode``/``code`` 0, or an error code when
the signature is wrong). The demo's 钉钉 channel points at it: ``manage.py channel_sink --port 8765 --secret …``.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand

from oversight.notifications.channels import signing

MAX_AGE = 3600  # seconds a signed timestamp stays acceptable (the robots allow one hour)


def verdict(path: str, headers, body: bytes, secret: str) -> tuple[bool, str]:
    """(accepted, what was checked) for one request, by the shape of the request."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
    if "timestamp" in query and "sign" in query:  # 钉钉: the signature in the URL, milliseconds
        stamp = int(query["timestamp"])
        fresh = abs(time.time() - stamp / 1000) < MAX_AGE
        expected = urllib.parse.unquote_plus(signing.dingtalk_sign(secret, stamp))
        return fresh and query["sign"] == expected, "dingtalk"
    if headers.get("X-Oversight-Signature"):
        stamp = int(headers.get("X-Oversight-Timestamp", "0"))
        fresh = abs(time.time() - stamp) < 300
        valid = signing.webhook_signature_valid(secret, stamp, body, headers["X-Oversight-Signature"])
        return fresh and valid, "webhook"
    try:
        data = json.loads(body)
    except ValueError:
        return False, "not JSON"
    if isinstance(data, dict) and "sign" in data:  # 飞书: the signature in the body, seconds
        stamp = int(data.get("timestamp", "0"))
        fresh = abs(time.time() - stamp) < MAX_AGE
        return fresh and data["sign"] == signing.feishu_sign(secret, stamp), "feishu"
    return not secret, "unsigned"


class Command(BaseCommand):
    help = "Serve a local receiver that checks robot and webhook signatures and prints what it receives."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--secret", default="")

    def handle(self, *args, **options):
        secret, out = options["secret"], self.stdout

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ok, kind = verdict(self.path, self.headers, body, secret)
                out.write(
                    f"{'OK ' if ok else 'BAD'} {kind} {self.path.split('?')[0]}\n{body.decode(errors='replace')}\n"
                )
                answer = json.dumps({"errcode": 0 if ok else 310000, "code": 0 if ok else 19021}).encode()
                self.send_response(200 if ok or kind != "webhook" else 401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", options["port"]), Handler)
        out.write(f"channel sink listening on http://127.0.0.1:{options['port']}/\n")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
