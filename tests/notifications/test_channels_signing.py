"""Each kind's signature against values computed independently (openssl on the command line, and the vendors'
published recipes written out again here), for a fixed timestamp and secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse

from oversight.notifications.channels import signing

SECRET = "SEC0123456789abcdef"
TS_MS = 1765000000000
TS_S = 1765000000


def test_dingtalk_sign_matches_openssl_and_the_published_recipe():
    # printf '%s\n%s' 1765000000000 SEC0123456789abcdef \
    #   | openssl dgst -sha256 -hmac SEC0123456789abcdef -binary | base64
    expected_b64 = "WV6DeNF5N9d60ZZomcpnaNViLWAAgVl7vuBE+njXuKo="
    assert signing.dingtalk_sign(SECRET, TS_MS) == "WV6DeNF5N9d60ZZomcpnaNViLWAAgVl7vuBE%2BnjXuKo%3D"
    # DingTalk's Python example: hmac(secret, f"{timestamp}\n{secret}"), base64, quote_plus.
    digest = hmac.new(SECRET.encode(), f"{TS_MS}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert base64.b64encode(digest).decode() == expected_b64
    assert urllib.parse.unquote_plus(signing.dingtalk_sign(SECRET, TS_MS)) == expected_b64


def test_dingtalk_signed_url_appends_timestamp_and_sign():
    url = signing.dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, TS_MS)
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc"
        "&timestamp=1765000000000&sign=WV6DeNF5N9d60ZZomcpnaNViLWAAgVl7vuBE%2BnjXuKo%3D"
    )
    assert signing.dingtalk_signed_url("https://x.example/robot", "", TS_MS) == "https://x.example/robot"
    assert signing.dingtalk_signed_url("https://x.example/robot", SECRET, TS_MS).startswith(
        "https://x.example/robot?timestamp="
    )


def test_feishu_sign_uses_the_reversed_key_and_an_empty_message():
    # printf '' | openssl dgst -sha256 -mac HMAC -macopt "key:1765000000<newline>SEC0123456789abcdef" -binary | base64
    assert signing.feishu_sign(SECRET, TS_S) == "ngZu7Q+Q6S6Pb/vrFk1GvG5HMlkyZlOIdAABJ4UujI0="
    # Not DingTalk's order: the key/message swap gives another value.
    swapped = base64.b64encode(hmac.new(SECRET.encode(), f"{TS_S}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert signing.feishu_sign(SECRET, TS_S) != swapped.decode()


def test_webhook_signature_is_hex_hmac_of_timestamp_dot_body():
    # printf '%s' '1765000000.{"a":1}' | openssl dgst -sha256 -hmac whsec
    expected = "sha256=262419508e596ae3a699fa2c77b37d08926f6b23cb8852f41f20ac983eb4f1c6"
    assert signing.webhook_signature("whsec", TS_S, b'{"a":1}') == expected
    assert signing.webhook_signature_valid("whsec", TS_S, b'{"a":1}', expected)
    assert not signing.webhook_signature_valid("whsec", TS_S + 1, b'{"a":1}', expected)
    assert not signing.webhook_signature_valid("whsec", TS_S, b'{"a":2}', expected)
    assert not signing.webhook_signature_valid("whsec", TS_S, b'{"a":1}', "")
