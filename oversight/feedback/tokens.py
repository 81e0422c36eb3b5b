"""Single-use rating tokens (评价令牌): unguessable, stored only as a hash (pure Python, no Django).

* :func:`new_token` returns ``(token, token_hash)``: the token is 256 bits from :mod:`secrets`,
  URL-safe base64 without padding (43 characters of ``A-Z a-z 0-9 - _``), to put in the rating
  link / QR code; only ``token_hash`` (SHA-256, 64 lowercase hex characters) is stored.
* :func:`is_well_formed` rejects anything that cannot be a token we issued - wrong type or
  length, foreign characters, or a non-canonical last character (tampering) - in constant,
  tiny time and without raising.
* :func:`lookup_hash` is what a view calls with the token from the URL: the hash to look up,
  or ``None`` for malformed input (show the "invalid link" page; touch nothing).
* :func:`token_matches` compares a token with a stored hash in constant time; it never raises.

Single use, expiry and binding to a work order are properties of the stored row (the service
marks it used in the same transaction that stores the rating).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

__all__ = ["TOKEN_BYTES", "TOKEN_LENGTH", "hash_token", "is_well_formed", "lookup_hash", "new_token", "token_matches"]

TOKEN_BYTES = 32  # 256 bits of randomness (the requirement is at least 128)
TOKEN_LENGTH = 43  # len(base64url(32 bytes)) without "=" padding
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
_HASH_RE = re.compile(r"[0-9a-f]{64}")


def is_well_formed(token: object) -> bool:
    """True iff ``token`` has exactly the shape of a token :func:`new_token` issues (never raises)."""
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH or not _TOKEN_RE.fullmatch(token):
        return False
    try:
        raw = base64.urlsafe_b64decode(token + "=")
    except (binascii.Error, ValueError):
        return False
    # 43 characters carry 258 bits: the 2 spare bits must be zero, else the text was altered.
    return len(raw) == TOKEN_BYTES and base64.urlsafe_b64encode(raw).decode().rstrip("=") == token


def hash_token(token: str) -> str:
    """SHA-256 of a well-formed token as 64 lowercase hex characters (ValueError otherwise)."""
    if not is_well_formed(token):
        raise ValueError("not a rating token")
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def lookup_hash(token: object) -> str | None:
    """The stored-hash value to look a token up by, or None when the input cannot be a token."""
    if not is_well_formed(token):
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()  # type: ignore[union-attr]


def new_token() -> tuple[str, str]:
    """A fresh token for a rating link and the hash to store instead of it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def token_matches(token: object, stored_hash: object) -> bool:
    """True iff ``token`` is well formed and hashes to ``stored_hash`` (constant-time; never raises)."""
    if not isinstance(stored_hash, str) or len(stored_hash) != 64 or not _HASH_RE.fullmatch(stored_hash):
        return False
    candidate = lookup_hash(token)
    if candidate is None:
        return False
    return hmac.compare_digest(candidate, stored_hash)
