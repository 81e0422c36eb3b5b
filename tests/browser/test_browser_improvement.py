"""An improvement in the browser: the supervisor raises it from a complaint, the approver approves it, the vendor
owner implements it, and at review the supervisor measures its effect on a phone and reads whether the target was
met (the hand calculation of tests/improvement/test_improvement_effect.py: CSAT 2.5 → 4.33, target 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from oversight.core import clock
from oversight.improvement.models import EffectMeasurement, ImprovementItem
from tests.browser.browser_support import PHONE, artifact, fits_the_phone, login
from tests.improvement.conftest import complaint_of, noon, rate

pytestmark = pytest.mark.browser
DAY = dt.date


def _step(page, item, action):
    page.goto(f"/improvement/{item.pk}/")
    page.locator(f"button[data-action={action}]").click()
    page.wait_for_url(f"**/improvement/{item.pk}/")


def test_browser_raise_approve_implement_and_measure(world, new_context):
    for day, stars in ((7, 2), (9, 3), (11, 4), (13, 5), (15, 4)):
        rate(world, world.service, DAY(2026, 7, day), stars)
    users = world.users
    supervisor, admin, owner = users["client_supervisor"], users["client_admin"], users["vendor_agent"]
    with clock.frozen_at(noon(DAY(2026, 7, 1))):
        complaint = complaint_of(world, world.service, noon(DAY(2026, 6, 30)))
        page = new_context().new_page()
        login(page, supervisor)
        page.goto(f"/improvement/new/?source=complaint:{complaint.pk}")
        expect(page.get_by_test_id("raised-from")).to_be_visible()
        page.fill("#id_title", "Call back every low rating")
        page.fill("#id_description", "The desk calls back every requester who rated 3 stars or fewer.")
        page.select_option("#id_owner", str(owner.pk))
        page.select_option("#id_approver", str(admin.pk))
        page.select_option("#id_indicator", "csat_mean")
        page.fill("#id_baseline", "2.5")
        page.fill("#id_target", "4")
        page.get_by_test_id("save").click()
        page.wait_for_url("**/improvement/*/")
        item = ImprovementItem.objects.get(title="Call back every low rating")
        assert (item.source_kind, item.source_id, item.vendor_id) == ("complaint", complaint.pk, world.vendor.pk)
        _step(page, item, "accept")
        _step(page, item, "assess")
        # The supervisor is not the approver: no approve button for them.
        expect(page.locator("button[data-action=approve]")).to_have_count(0)
        approver = new_context().new_page()
        login(approver, admin)
        _step(approver, item, "approve")
        vendor = new_context().new_page()
        login(vendor, owner)
        _step(vendor, item, "start")
    with clock.frozen_at(noon(DAY(2026, 7, 11))):
        vendor.goto(f"/improvement/{item.pk}/")
        vendor.fill("#implemented-complete", "2026-07-11")
        vendor.locator("button[data-action=complete]").click()
        vendor.wait_for_url(f"**/improvement/{item.pk}/")
        expect(vendor.get_by_test_id("status")).to_have_text("Review")
    with clock.frozen_at(noon(DAY(2026, 7, 20))):
        phone = new_context(**PHONE).new_page()
        login(phone, supervisor)
        phone.goto(f"/improvement/{item.pk}/")
        phone.fill("#id_days", "5")
        phone.get_by_test_id("measure").click()
        phone.wait_for_url(f"**/improvement/{item.pk}/")
        expect(phone.get_by_test_id("statement")).to_have_text("The target was met.")
        expect(phone.get_by_test_id("before")).to_have_text("2.50")
        expect(phone.get_by_test_id("after")).to_have_text("4.33")
        expect(phone.get_by_test_id("effect-chart").locator("svg")).to_be_visible()
        assert fits_the_phone(phone)
        phone.screenshot(path=artifact("improvement-measured.png"), full_page=True)
        phone.goto("/improvement/")
        assert fits_the_phone(phone)
    record = EffectMeasurement.objects.get(item=item)
    assert record.target_met is True and record.days == 5
