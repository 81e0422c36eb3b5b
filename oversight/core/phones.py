"""Telephone numbers as people in China write them: one validator for every phone field, one dialable form.

Accepted: digits with spaces, hyphens, dots, parentheses (ASCII or full-width) and one leading "+", 3 to 15
digits (hospital extensions such as "8021" up to E.164's longest), then optionally an extension written
"转 123", "分机 123", "ext. 123", "x123" or "#123". So mobile numbers ("13800138000", "+86 138 0013 8000"),
landlines ("010-12345678", "(0755) 1234 5678 转 8021"), service numbers ("400-800-0001") and foreign numbers
("+44 20 7946 0958") pass; words, e-mail addresses and stray symbols do not.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WIDE = str.maketrans({"（": "(", "）": ")", "＋": "+", "－": "-", "　": " "})
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_MAIN = re.compile(r"\+?[\d\s().-]+")
MIN_DIGITS, MAX_DIGITS = 3, 15


def _parts(value: str) -> tuple[str, str] | None:
    """(digits of the number with a leading "+" kept, extension digits), or None when it is no phone number."""
    text = value.translate(_WIDE).strip()
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension, text = match.group(1), text[: match.start()]
    if not _MAIN.fullmatch(text) or text.count("(") != text.count(")"):
        return None
    digits = re.sub(r"\D", "", text)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    return ("+" if text.startswith("+") else "") + digits, extension


def validate_phone(value: str) -> None:
    """Refuse text that is not a telephone number (blank is left to the field's `blank`/`required`)."""
    if value and _parts(str(value)) is None:
        raise ValidationError(
            _(
                "Enter a telephone number: digits with spaces, -, + or parentheses, "
                "e.g. 138 0013 8000 or 010-12345678 ext. 8021."
            ),
            code="invalid_phone",
        )


def tel_uri(value: str) -> str:
    """The tel: link of a stored number ("" when the stored text is no phone number, so no link is shown)."""
    parts = _parts(str(value or ""))
    if parts is None:
        return ""
    number, extension = parts
    return f"tel:{number}" + (f";ext={extension}" if extension else "")
