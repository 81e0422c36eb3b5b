"""The SSRF guard of outgoing channel requests (pure: standard library only).

A channel's URL is typed by an administrator and later requested by the server, so it must not reach what only
the server can reach: the loopback interface, link-local addresses (the cloud metadata service at
169.254.169.254), private networks (10/8, 172.16/12, 192.168/16, fc00::/7 ...), the unspecified address, multicast
and every other non-global range. :func:`check_url` refuses

- any scheme but ``http`` and ``https``, a URL without a host, and credentials in the URL;
- a host that is, or resolves to, any address outside the global unicast space — every address the resolver
  returns is checked, and numeric tricks (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``, ``[::ffff:127.0.0.1]``)
  are read as the addresses they denote before any lookup;

unless the administrator allow-listed the host name or a network holding every resolved address. The check runs
when a channel is saved and again before every request, and the request then connects to the very address that
was checked (a DNS answer that changes in between — DNS rebinding — cannot slip through). Redirects are never
followed (the sender treats a 3xx as a failure).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")

# Why a URL was refused (the services turn each code into a translated message).
BAD_SCHEME = "scheme"
NO_HOST = "no_host"
CREDENTIALS = "credentials"
BAD_PORT = "port"
UNRESOLVED = "unresolved"
BLOCKED = "blocked"


class UnsafeUrl(ValueError):  # noqa: N818 - named for what it is, like ValueError
    """A URL the server must not request; ``code`` says why, ``address`` which address was refused."""

    def __init__(self, code: str, address: str = ""):
        super().__init__(f"{code} {address}".strip())
        self.code = code
        self.address = address


@dataclass(frozen=True)
class Destination:
    """A checked URL: where to connect (the checked address) and what to send as Host and TLS server name."""

    scheme: str
    host: str
    port: int
    address: str
    path: str  # path and query, as sent in the request line


@dataclass(frozen=True)
class AllowList:
    """What an administrator allows despite the rules: host names (exact, case-insensitive) and networks."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Entries such as ``127.0.0.1``, ``10.1.0.0/16``, ``::1`` or ``hooks.intranet.example`` (invalid networks
        raise ValueError, so a form can say which entry is wrong)."""
        hosts, networks = set(), []
        for raw in entries:
            entry = raw.strip().strip("[]").lower().rstrip(".")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                if "/" in entry or not HOST_NAME.fullmatch(entry) or entry.replace(".", "").isdigit():
                    raise
                hosts.add(entry)
        return cls(hosts=frozenset(hosts), networks=tuple(networks))

    def allows(self, host: str, address: IPAddress) -> bool:
        return host.lower().rstrip(".") in self.hosts or any(address in net for net in self.networks)


def literal_address(host: str) -> IPAddress | None:
    """The address a numeric host denotes, in any of the forms C's inet_aton accepts (None for a name)."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text and all(part for part in text.split(".")) and all(_numeric(part) for part in text.split(".")):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def _numeric(part: str) -> bool:
    lowered = part.lower()
    if lowered.startswith("0x"):
        return all(c in "0123456789abcdef" for c in lowered[2:])
    return lowered.isdigit()


def is_public(address: IPAddress) -> bool:
    """Whether an address is global unicast (what a channel may reach without an allow-list entry)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
    return address.is_global and not address.is_multicast


def _system_resolve(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def check_url(
    url: str,
    *,
    allow: AllowList | None = None,
    resolve: Callable[[str, int], list[str]] = _system_resolve,
) -> Destination:
    """Check a URL against the rules (module docstring); return where to connect or raise UnsafeUrl."""
    allow = allow or AllowList()
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(BAD_PORT) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl(BAD_SCHEME)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeUrl(NO_HOST)
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl(CREDENTIALS)
    port = port or (443 if scheme == "https" else 80)
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            found = resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeUrl(UNRESOLVED) from exc
        addresses = []
        for text in found:
            try:
                addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
            except ValueError as exc:
                raise UnsafeUrl(UNRESOLVED, text) from exc
        if not addresses:
            raise UnsafeUrl(UNRESOLVED)
    for address in addresses:
        if not is_public(address) and not allow.allows(host, address):
            raise UnsafeUrl(BLOCKED, str(address))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Destination(scheme=scheme, host=host, port=port, address=str(addresses[0]), path=path)
