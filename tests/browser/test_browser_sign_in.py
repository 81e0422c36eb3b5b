"""The sign-in pages on a 375 px phone in Chinese: the lockout message, password reset and the required
password change read plainly and never scroll sideways."""

from __future__ import annotations

import pytest
from axes.utils import reset as axes_reset

from oversight.tenancy.models import User
from tests.browser.browser_support import PASSWORD, PHONE, artifact, login, zh

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_browser_lockout_reset_and_required_change_on_a_phone_in_chinese(world, new_context):
    axes_reset()
    page = new_context(locale="zh-CN", **PHONE).new_page()

    for _ in range(5):
        page.goto("/login/")
        page.fill("#id_username", "nurse_a")
        page.fill("#id_password", "wrong")
        page.locator("form[action='/login/'] button[type=submit]").click()
    lockout = page.get_by_test_id("lockout")
    assert "15 分钟" in lockout.inner_text()
    assert "Too many" not in page.content()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=artifact("sign-in-lockout-375.png"), full_page=True)

    page.get_by_role("link", name=zh("Forgot your password?")).click()
    page.fill("#id_email", "nurse_a@example.org")
    page.get_by_role("button", name=zh("Send the link")).click()
    assert zh("Check your e-mail") in page.locator("h1").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    axes_reset()
    User.objects.filter(username="nurse_a2").update(must_change_password=True, language="zh-hans")
    login(page, world.users["requester_2"])
    assert "/password/change/" in page.url
    assert zh("Change password") in page.locator("h1").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=artifact("password-change-required-375.png"), full_page=True)
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Violet-Harbour-42")
    page.fill("#id_new_password2", "Violet-Harbour-42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/password/" not in url)
    assert not User.objects.get(username="nurse_a2").must_change_password
