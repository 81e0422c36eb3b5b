"""A supervisor on a phone defines a key risk indicator "no service for 3 working days" linked to a risk, evaluates
it, sees it red with the risk event it raised, and reads the vendor states; no page scrolls sideways at 375 px
(issue 10, "Key risk indicators and live triggers", "Markov model of vendor states")."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from oversight.core.zones import local_today
from oversight.risks import services
from oversight.risks.models import KeyRiskIndicator, RiskEvent
from tests.browser.browser_support import PHONE, en, fits_the_phone, login

pytestmark = pytest.mark.browser


def _risk(world):
    supervisor = world.users["client_supervisor"]
    risk = services.risk_create(
        actor=supervisor,
        title="Desk vendor stops serving",
        cause="The vendor loses its staff",
        event="No work order is resolved for days",
        consequence="Wards wait for repairs",
        category="vendor",
        owner=supervisor,
        vendor=world.vendor,
        contingency_plan="Call the backup vendor",
    )
    services.risk_rating_record(
        risk=risk, kind="current", probability_level=2, impact_level=3, reason="First rating", actor=supervisor
    )
    return risk


def test_browser_define_evaluate_and_read_a_kri_on_a_phone(world, new_context):
    risk = _risk(world)
    page = new_context(**PHONE).new_page()
    login(page, world.users["client_supervisor"])

    # 1. The KRI: work orders resolved per working day, red below 1, three days in a row, from ten days ago.
    page.goto("/risks/kris/new/")
    page.fill("#id_name", "Desk Co delivers no service")
    page.select_option("#id_rule", "no_service")
    page.select_option("#id_vendor", str(world.vendor.pk))
    page.select_option("#id_higher_is_worse", "0")
    page.fill("#id_amber_threshold", "1")
    page.fill("#id_red_threshold", "1")
    page.select_option("#id_window", "business_days")
    page.fill("#id_window_days", "1")
    page.select_option("#id_calendar", str(world.calendar.pk))
    page.fill("#id_persistence", "3")
    page.fill("#id_starts_on", (local_today(world.org) - dt.timedelta(days=10)).isoformat())
    page.select_option("#id_risks", str(risk.pk))
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")
    page.locator("form.js-once button[type=submit]").click()
    page.wait_for_url("**/risks/kris/*/")
    kri = KeyRiskIndicator.objects.get()
    assert page.url.endswith(f"/risks/kris/{kri.pk}/")
    expect(page.locator(".messages")).to_contain_text(en("The key risk indicator was saved."))

    # 2. Evaluate now: nothing was resolved, every day is red; one breach, one risk event on the linked risk.
    page.get_by_role("button", name=en("Evaluate now")).click()
    page.wait_for_load_state()
    event = RiskEvent.objects.get()
    expect(page.locator(f"#event-{event.pk}")).to_contain_text(risk.number)
    expect(page.get_by_test_id("reading-table").locator(".light-red")).not_to_have_count(0)
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")

    # 3. The list shows the red light; the events and the vendor state fit the phone.
    page.goto("/risks/kris/")
    expect(page.get_by_test_id("light")).to_have_class("badge light-red")
    assert fits_the_phone(page)
    page.goto("/risks/events/")
    expect(page.get_by_test_id("risk-event-table")).to_contain_text(risk.number)
    assert fits_the_phone(page)
    page.goto(f"/risks/vendor-states/{world.vendor.pk}/")
    expect(page.get_by_test_id("prior-note")).to_be_visible()
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")
