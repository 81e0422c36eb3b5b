"""Helpers for the browser tests: sign in through the real form, expected UI words, files, artifacts."""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.utils import translation

PASSWORD = "pw-Oversight-1"  # tests/factories.py UserFactory
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test" / "browser"
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def login(page, user) -> None:
    """Sign in through the real login form and wait until the app has redirected away from it."""
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/login/'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def fits_the_phone(page) -> bool:
    """Whether the page has no sideways scroll: nothing is wider than the phone's screen (a phone browser widens
    its layout viewport to fit a too-wide page, so the screen, not innerWidth, is the limit)."""
    return page.evaluate("document.scrollingElement.scrollWidth <= Math.min(window.innerWidth, screen.width)")


def zh(message: str) -> str:
    """The Simplified Chinese UI text for an English msgid; fails clearly while it is still untranslated."""
    with translation.override("zh-hans"):
        text = str(translation.gettext(message))
    assert re.search(r"[\u4e00-\u9fff]", text), f"not translated to zh_Hans yet: {message!r}"
    return text


def en(message: str) -> str:
    """The English UI text for a msgid (the source language)."""
    with translation.override("en"):
        return str(translation.gettext(message))


def png_bytes() -> bytes:
    """A real, tiny PNG image (attachments are checked by content)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def artifact(name: str) -> str:
    """A path under var/test/browser/ (git-ignored) for screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return str(ARTIFACTS / name)
