"""Posting a JSON body to a checked destination (standard library only): the connection goes to the very address
the SSRF guard checked, TLS still verifies the host's certificate, redirects are never followed, and an egress
proxy (``OVERSIGHT_EGRESS_PROXY=http://proxy:3128``) is used when configured."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass

from oversight.notifications.channels.ssrf import Destination

EXCERPT = 2000
TIMEOUT = 10.0


@dataclass(frozen=True)
class Response:
    """What the far end answered (status 0: no answer at all, ``error`` says why)."""

    status: int
    body: str
    elapsed_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and not self.error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, destination: Destination, timeout: float):
        super().__init__(destination.host, destination.port, timeout=timeout)
        self._address = destination.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, destination: Destination, timeout: float):
        super().__init__(destination.host, destination.port, timeout=timeout, context=ssl.create_default_context())
        self._address = destination.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(destination: Destination, proxy: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """The connection and the request target (absolute through a plain-HTTP proxy, else the path)."""
    if not proxy:
        kind = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
        return kind(destination, timeout), destination.path
    parts = urllib.parse.urlsplit(proxy)
    proxy_host, proxy_port = parts.hostname or "", parts.port or 3128
    if destination.scheme == "https":
        connection = http.client.HTTPSConnection(
            proxy_host, proxy_port, timeout=timeout, context=ssl.create_default_context()
        )
        connection.set_tunnel(destination.host, destination.port)
        return connection, destination.path
    connection = http.client.HTTPConnection(proxy_host, proxy_port, timeout=timeout)
    default = 80
    netloc = destination.host if destination.port == default else f"{destination.host}:{destination.port}"
    return connection, f"http://{netloc}{destination.path}"


def post_json(
    destination: Destination, body: bytes, headers: dict[str, str], *, proxy: str = "", timeout: float = TIMEOUT
) -> Response:
    """POST ``body`` and read at most a short excerpt of the answer; never raises for network errors."""
    started = time.monotonic()
    connection, target = _connection(destination, proxy, timeout)
    all_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Oversight-Notifications/1",
        **headers,
    }
    try:
        connection.request("POST", target, body=body, headers=all_headers)
        answer = connection.getresponse()
        text = answer.read(EXCERPT * 4).decode("utf-8", errors="replace")[:EXCERPT]
        status = answer.status
    except (OSError, http.client.HTTPException) as exc:
        return Response(status=0, body="", elapsed_ms=_ms(started), error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        connection.close()
    error = "redirect not followed" if 300 <= status < 400 else ""
    return Response(status=status, body=text, elapsed_ms=_ms(started), error=error)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
