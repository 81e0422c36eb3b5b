"""A meeting in the browser: the client supervisor holds the weekly review, records the minutes and a decision and
gives the vendor's agent an action item; the vendor's agent reads it on a phone, where every meeting page fits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.meetings.models import ActionItem
from tests.browser.browser_support import PHONE, artifact, fits_the_phone, login
from tests.meetings.conftest import china, meeting, plan, weekly  # noqa: F401 - the meeting fixtures

pytestmark = pytest.mark.browser


def test_browser_hold_a_meeting_record_minutes_and_an_action(world, new_context, meeting):  # noqa: F811
    supervisor = world.users["client_supervisor"]
    page = new_context().new_page()
    login(page, supervisor)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_test_id("prefill").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    page.locator("button[data-action=hold]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("status")).to_contain_text("Held")
    page.fill("textarea[name=minutes]", "Printer backlog reviewed; toner stock agreed.")
    page.get_by_test_id("save-minutes").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    page.locator("#decisions summary").click()
    page.fill("#decisions textarea[name=text]", "Two toner cartridges on each floor.")
    page.locator("#decisions button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    page.locator("#actions summary").click()
    page.fill("#actions input[name=title]", "Stock toner on floor 3")
    page.select_option("#actions select[name=owner]", str(world.users["vendor_agent"].pk))
    page.get_by_test_id("add-action").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("decisions")).to_contain_text("Two toner cartridges on each floor.")
    expect(page.get_by_test_id("actions")).to_contain_text("Stock toner on floor 3")
    item = ActionItem.objects.get(meeting=meeting)
    assert item.owner == world.users["vendor_agent"] and item.due_on.isoformat() == "2026-10-10"
    page.screenshot(path=artifact("meeting-held.png"), full_page=True)

    phone = new_context(**PHONE).new_page()
    login(phone, world.users["vendor_agent"])
    for url in (
        f"/meetings/{meeting.pk}/",
        "/meetings/?when=past",
        "/meetings/actions/",
        f"/meetings/actions/{item.pk}/",
        f"/meetings/series/{meeting.series_id}/",
        f"/meetings/plans/{meeting.plan_id}/",
    ):
        phone.goto(url)
        assert fits_the_phone(phone), url
    phone.goto(f"/meetings/{meeting.pk}/")
    expect(phone.get_by_test_id("minutes-text")).to_contain_text("Printer backlog reviewed")
