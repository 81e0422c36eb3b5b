"""A supervisor on a phone quantifies a risk on its page, runs a simulation with a seed, and reads the result:
the analytic mean beside the simulated one, the loss-exceedance curve and the tornado; no page scrolls sideways
at 375 px (issue 10, "Quantification")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.risks.models import RiskQuantification, SimulationRun
from tests.browser.browser_support import PHONE, en, fits_the_phone, login
from tests.risks.test_quant_services import make_risk

pytestmark = pytest.mark.browser


def test_browser_quantify_a_risk_and_read_its_simulation_on_a_phone(world, new_context):
    risk = make_risk(world, "R-2026-001", vendor=world.vendor)
    page = new_context(**PHONE).new_page()
    login(page, world.users["client_supervisor"])

    # 1. The risk's inputs: at most once a year, p = 0.2, PERT 10,000 / 20,000 / 60,000.
    page.goto(f"/risks/{risk.pk}/quantification/")
    page.select_option("#id_frequency", "bernoulli")
    page.fill("#id_rate", "0.2")
    page.select_option("#id_severity", "pert")
    page.fill("#id_low", "10000")
    page.fill("#id_mode", "20000")
    page.fill("#id_high", "60000")
    page.get_by_test_id("quantification-save").click()
    expect(page.locator(".messages")).to_contain_text(en("The quantification was saved."))
    # 0.2 × (10,000 + 4 × 20,000 + 60,000) / 6 = 5,000.00
    expect(page.locator("[data-figure=expected]")).to_contain_text("5,000.00")
    assert RiskQuantification.objects.filter(risk=risk).exists()
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")

    # 2. A run with a seed and an appetite; embedded mode runs the job at once, the page shows the result.
    page.goto("/risks/simulations/")
    page.get_by_test_id("simulation-new").click()
    page.fill("#id_seed", "20261207")
    page.fill("#id_appetite", "10000")
    page.get_by_test_id("simulation-run").click()
    run = SimulationRun.objects.get()
    page.wait_for_url(f"**/risks/simulations/{run.pk}/")
    expect(page.get_by_test_id("simulation-seed")).to_have_text("20261207")
    expect(page.locator("[data-figure=analytic_mean]")).to_contain_text("5,000.00")
    expect(page.get_by_test_id("simulation-lec").locator("svg polyline")).to_have_count(1)
    expect(page.get_by_test_id("simulation-tornado").locator("svg rect")).not_to_have_count(0)
    run.refresh_from_db()
    # P(loss > 10,000) is the share of simulated years above the appetite, shown to one decimal
    shown = f"{run.result['prob_exceed_appetite'] * 100:.1f}%"
    expect(page.locator("[data-figure=prob_exceed]")).to_have_text(shown)
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")
