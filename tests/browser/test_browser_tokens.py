"""The API token page under Preferences on a 375 px phone, in Chinese and English: create, copy, revoke."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.tenancy.models import ApiToken
from tests.browser.browser_support import PHONE, artifact, en, login, zh

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_vendor_agent_creates_and_revokes_a_token_on_a_phone(world, new_context, language):
    words = zh if language == "zh-hans" else en
    user = world.users["vendor_agent"]
    user.language = language
    user.save(update_fields=["language"])
    page = new_context(**PHONE).new_page()
    login(page, user)
    page.goto("/preferences/")
    page.get_by_role("link", name=words("API tokens")).click()
    page.wait_for_url("**/preferences/tokens/")
    expect(page.get_by_text(words("You have no API tokens."))).to_be_visible()
    page.fill("#id_name", "A very long token name for the nightly export of every work order of the hospital")
    page.get_by_role("button", name=words("Create token")).click()
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith("ovs_")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifact(f"tokens-phone-{language}.png"), full_page=True)
    page.goto("/preferences/tokens/")
    expect(page.locator("#token-secret")).to_have_count(0)
    expect(page.get_by_text(secret[:12] + "…")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name=words("Revoke")).click()
    expect(page.get_by_text(words("revoked")).first).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
