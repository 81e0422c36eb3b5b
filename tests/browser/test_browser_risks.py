"""A supervisor records a risk in Chromium, rates it inherent and residual, and finds it on the heat map with
an arrow from its inherent to its residual cell; the risk's page and the heat map fit a 375 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.risks.models import Risk
from tests.browser.browser_support import PHONE, en, fits_the_phone, login

pytestmark = pytest.mark.browser


def _rate(page, risk, kind: str, probability: int, impact: int) -> None:
    page.goto(f"/risks/{risk.pk}/rate/")
    page.select_option("#id_kind", kind)
    page.select_option("#id_probability_level", str(probability))
    page.select_option("#id_impact_level", str(impact))
    page.get_by_test_id("save").click()
    expect(page.locator(".messages")).to_contain_text(en("The rating was recorded."))


def test_browser_record_rate_and_see_the_risk_on_the_heat_map(world, new_context):
    supervisor = world.users["client_supervisor"]
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, supervisor)

    # 1. Record the risk from the register.
    page.goto("/risks/")
    page.get_by_test_id("new-risk").click()
    page.fill("#id_title", "Night shift understaffed")
    page.select_option("#id_category", "vendor")
    page.select_option("#id_owner", str(supervisor.pk))
    page.fill("#id_cause", "Only one engineer on nights")
    page.fill("#id_event", "Night incidents miss their response target")
    page.fill("#id_consequence", "Wards wait until morning")
    page.fill("#id_contingency_plan", "Call the second-line engineer\nAsk IT on duty to help")
    page.get_by_test_id("save").click()
    risk = Risk.objects.get(title="Night shift understaffed")
    expect(page.get_by_test_id("cause-event-consequence")).to_contain_text("Only one engineer on nights")

    # 2. Rate it: inherent 4 × 5 (very high), residual 2 × 3 (medium); the page shows both.
    _rate(page, risk, "inherent", 4, 5)
    _rate(page, risk, "residual", 2, 3)
    ratings = page.get_by_test_id("ratings")
    expect(ratings).to_contain_text("20")
    expect(ratings).to_contain_text("6")
    expect(page.get_by_test_id("level")).to_contain_text(en("Very high"))

    # 3. The heat map of inherent ratings counts it in its cell and draws one arrow to the residual cell.
    page.goto("/risks/heat-map/?kind=inherent")
    cell = page.locator("[data-testid=heatmap-cell][data-probability='4'][data-impact='5']")
    expect(cell).to_have_attribute("data-count", "1")
    expect(page.get_by_test_id("heatmap-arrow")).to_have_count(1)
    page.goto("/risks/heat-map/?kind=residual")
    expect(page.locator("[data-testid=heatmap-cell][data-probability='2'][data-impact='3']")).to_have_attribute(
        "data-count", "1"
    )

    # 4. On a phone: no sideways scroll on the risk's page, the heat map and the register.
    phone = new_context(**PHONE).new_page()
    login(phone, supervisor)
    for url in (f"/risks/{risk.pk}/", "/risks/heat-map/", "/risks/", "/risks/matrix/"):
        phone.goto(url)
        assert fits_the_phone(phone), (url, phone.evaluate("document.scrollingElement.scrollWidth"))
