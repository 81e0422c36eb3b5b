"""The rating page in a real browser on a phone-sized screen: Debian's Chromium (through Playwright) opens the
link, picks stars and a recommendation and submits. A real browser matters here: under `Referrer-Policy:
no-referrer` it posts the form with `Origin: null`, which the CSRF check must accept (the token is checked)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oversight.feedback.models import Rating

# Playwright's sync API keeps an asyncio loop running in the test thread, where the ORM is also used.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test" / "browser"


def test_a_requester_rates_on_a_phone_without_signing_in(world, resolve, link, live_server):
    from playwright.sync_api import expect, sync_playwright

    requester = world.users["requester"]
    requester.language = "zh-hans"
    requester.save(update_fields=["language"])
    work_order = resolve()
    token = link(work_order)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.goto(f"{live_server.url}/r/{token}/")
            expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
            expect(page.locator("[data-testid=number]")).to_have_text(work_order.number)
            page.locator("label.star").nth(3).tap()
            page.locator("label.recommend-choice").nth(9).tap()
            page.fill("textarea[name=comment]", "很快，谢谢")
            page.screenshot(path=str(ARTIFACTS / "feedback-rate-phone.png"), full_page=True)
            page.locator("form.rate-form button[type=submit]").tap()
            expect(page.locator("[data-testid=rate-done]")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "feedback-rate-done.png"), full_page=True)
            page.goto(f"{live_server.url}/r/{token}/")
            expect(page.locator("[data-testid=rate-unavailable]")).to_have_attribute("data-reason", "used")
        finally:
            browser.close()
    rating = Rating.objects.get(work_order=work_order)
    assert (rating.stars, rating.recommend, rating.comment) == (4, 9, "很快，谢谢")


def test_choosing_two_stars_lights_the_first_two(world, resolve, link, live_server):
    """Stars light 1..n by CSS alone (JavaScript off), so the choice reads as a rating, not a single mark."""
    from playwright.sync_api import sync_playwright

    token = link(resolve())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.goto(f"{live_server.url}/r/{token}/")
            off = page.locator(".star-mark").nth(0).evaluate("el => getComputedStyle(el).color")
            page.locator("label.star").nth(1).click()
            page.mouse.move(0, 0)  # no hover preview
            colours = page.locator(".star-mark").evaluate_all("els => els.map(el => getComputedStyle(el).color)")
            assert [colour != off for colour in colours] == [True, True, False, False, False], colours
        finally:
            browser.close()
