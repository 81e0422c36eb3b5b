"""How each kind of channel signs a message (pure functions, no Django).

- 钉钉 (DingTalk) group robot, "加签": ``sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{ts_ms}\\n{secret}")))``,
  the timestamp in milliseconds; both go into the URL as ``&timestamp=..&sign=..``.
- 飞书 (Feishu/Lark) custom robot, "签名校验": ``base64(HMAC-SHA256(key=f"{ts_s}\\n{secret}", msg=b""))`` — key and
  message the other way round — the timestamp in seconds; both go into the JSON body as ``timestamp`` and ``sign``.
- 企业微信 (WeCom) group robot: no signature; the robot's key is part of its URL.
- Oversight's generic webhook: ``X-Oversight-Signature: sha256=<hex HMAC-SHA256(secret, f"{ts}.{body}")>`` with
  ``X-Oversight-Timestamp: <ts in seconds>``; receivers recompute it and reject timestamps older than a few minutes
  (and event ids they have seen), see docs/notification-channels.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's URL-encoded signature of a timestamp in milliseconds."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The robot's URL with ``timestamp`` and ``sign`` appended (unchanged when the robot has no secret)."""
    if not secret:
        return url
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's signature: the key is "timestamp\\nsecret", the message is empty."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_signature(secret: str, timestamp_s: int, body: bytes) -> str:
    """The ``X-Oversight-Signature`` value of a generic webhook body."""
    message = str(timestamp_s).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature_valid(secret: str, timestamp_s: int, body: bytes, signature: str) -> bool:
    """What a receiver checks (constant-time comparison); the timestamp's age is checked separately."""
    return hmac.compare_digest(webhook_signature(secret, timestamp_s, body), signature or "")
