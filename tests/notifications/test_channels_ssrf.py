"""The SSRF guard: schemes, loopback, link-local (cloud metadata), private ranges, IPv6, numeric tricks, DNS
answers that point inside, and the administrator's allow-list."""

from __future__ import annotations

import pytest

from oversight.notifications.channels.ssrf import (
    BAD_SCHEME,
    BLOCKED,
    CREDENTIALS,
    NO_HOST,
    UNRESOLVED,
    AllowList,
    UnsafeUrl,
    check_url,
)


def resolver(table):
    def resolve(host, port):
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


PUBLIC = resolver({"oapi.dingtalk.com": ["203.119.129.1"], "hooks.example.com": ["93.184.215.14"]})


def refused(url, code=BLOCKED, **kwargs) -> UnsafeUrl:
    with pytest.raises(UnsafeUrl) as caught:
        check_url(url, resolve=kwargs.pop("resolve", PUBLIC), **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def test_public_https_is_allowed_and_pins_the_checked_address():
    destination = check_url("https://oapi.dingtalk.com/robot/send?access_token=t", resolve=PUBLIC)
    assert (destination.scheme, destination.host, destination.port) == ("https", "oapi.dingtalk.com", 443)
    assert destination.address == "203.119.129.1"
    assert destination.path == "/robot/send?access_token=t"
    assert check_url("http://hooks.example.com:8080", resolve=PUBLIC).path == "/"


@pytest.mark.parametrize(
    "url",
    ["ftp://hooks.example.com/", "file:///etc/passwd", "gopher://127.0.0.1:25/", "javascript:alert(1)", "//x/y"],
)
def test_non_http_schemes_are_refused(url):
    refused(url, BAD_SCHEME)


def test_missing_host_and_credentials_are_refused():
    refused("http:///path", NO_HOST)
    refused("https://user:pw@hooks.example.com/", CREDENTIALS)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://localhost.localdomain.invalid/", None),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://10.0.0.5/", "10.0.0.5"),
        ("http://172.16.3.4/", "172.16.3.4"),
        ("http://172.31.255.255/", "172.31.255.255"),
        ("http://192.168.1.1/", "192.168.1.1"),
        ("http://100.64.0.1/", "100.64.0.1"),
        ("http://0.0.0.0/", "0.0.0.0"),  # noqa: S104 - an address refused, not bound
        ("http://[::1]/", "::1"),
        ("http://[fc00::1]/", "fc00::1"),
        ("http://[fd12:3456::1]/", "fd12:3456::1"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe"),
        ("http://224.0.0.1/", "224.0.0.1"),
        # Numeric forms inet_aton reads as loopback or metadata addresses.
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f000001/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://0x7f.1/", "127.0.0.1"),
        ("http://2852039166/", "169.254.169.254"),
    ],
)
def test_internal_addresses_are_refused(url, address):
    if address is None:
        refused(url, UNRESOLVED)
        return
    assert refused(url).address == address


def test_a_name_resolving_inside_is_refused_whatever_else_it_resolves_to():
    rebinding = resolver({"evil.example.com": ["93.184.215.14", "127.0.0.1"], "meta.example.com": ["169.254.169.254"]})
    assert refused("https://evil.example.com/", resolve=rebinding).address == "127.0.0.1"
    assert refused("https://meta.example.com/", resolve=rebinding).address == "169.254.169.254"
    six = resolver({"v6.example.com": ["fd00::5"]})
    assert refused("https://v6.example.com/", resolve=six).address == "fd00::5"


def test_unresolvable_hosts_are_refused():
    refused("https://nowhere.invalid/", UNRESOLVED)


def test_the_allow_list_admits_named_hosts_and_networks_only():
    allow = AllowList.parse(["127.0.0.1", "10.20.0.0/16", "hooks.intranet.local", ""])
    assert check_url("http://127.0.0.1:8765/hook", allow=allow, resolve=PUBLIC).address == "127.0.0.1"
    assert check_url("http://10.20.3.4/", allow=allow, resolve=PUBLIC).address == "10.20.3.4"
    intranet = resolver({"hooks.intranet.local": ["192.168.7.7"], "other.intranet.local": ["192.168.7.7"]})
    assert check_url("https://hooks.intranet.local/", allow=allow, resolve=intranet).address == "192.168.7.7"
    refused("https://other.intranet.local/", allow=allow, resolve=intranet)
    refused("http://10.21.0.1/", allow=allow)
    refused("http://169.254.169.254/", allow=allow)
    # 127.0.0.1 is allowed, so its numeric spellings are too (they are the same address), but not 127.0.0.2.
    assert check_url("http://2130706433/", allow=allow, resolve=PUBLIC).address == "127.0.0.1"
    refused("http://127.0.0.2/", allow=allow)


def test_allow_list_rejects_garbage():
    for entry in ("10.0.0.0/99", "not a host", "http://x/"):
        with pytest.raises(ValueError):
            AllowList.parse([entry])
