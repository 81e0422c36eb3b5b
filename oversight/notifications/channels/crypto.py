"""Encrypting channel secrets at rest (the webhook address with its token, the signing secret).

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key derived from ``CHANNEL_SECRET_KEY`` when set,
else from ``SECRET_KEY``: rotating the key makes stored secrets unreadable, and the channel asks for them again
(docs/setup.md)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

PREFIX = "fernet:"


def _fernet() -> Fernet:
    material = getattr(settings, "CHANNEL_SECRET_KEY", "") or settings.SECRET_KEY
    key = hashlib.sha256(b"oversight.notifications.channels:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plain: str) -> str:
    """The stored form of a secret ('' stays '')."""
    if not plain:
        return ""
    return PREFIX + _fernet().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    """The secret back ('' when none is stored or the key has changed since it was saved)."""
    if not stored or not stored.startswith(PREFIX):
        return ""
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return ""
