"""Helpers shared by the feedback tests."""

from __future__ import annotations

import re

TOKEN_IN_TEXT = re.compile(r"/r/([A-Za-z0-9_-]{43})/")


def token_from_mail(message) -> str:
    """The rating token in an invitation e-mail."""
    match = TOKEN_IN_TEXT.search(message.body)
    assert match, message.body
    return match.group(1)
