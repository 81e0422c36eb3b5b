"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser: Playwright launches /usr/bin/chromium. One Chromium runs per test module (not per
session: Playwright's sync API refuses to start while another instance's loop runs, and other folders' browser
tests start their own); each test gets fresh browser contexts (cookies, storage) from `new_context`.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread; the ORM (fixtures, assertions)
# is used from that same thread, where Django would otherwise refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def chromium():
    """One headless Debian Chromium for the test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(chromium, live_server):
    """`new_context(**options)`: an isolated browser context on the live server, closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "en-GB")
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = chromium.new_context(base_url=live_server.url, accept_downloads=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
