"""A project in the browser: the vendor owner records progress at a status date and sees the traffic lights and
the figures with how they are computed; the project page and the list fit a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.projects.models import Snapshot
from tests.browser.browser_support import PHONE, artifact, fits_the_phone, login
from tests.projects.conftest import day, planned, started, workweek  # noqa: F401 - the project fixtures

pytestmark = pytest.mark.browser


def test_browser_vendor_owner_records_progress_and_sees_the_light(world, new_context, started):  # noqa: F811
    owner = world.users["vendor_agent"]  # the project's vendor owner
    project = started.project
    page = new_context().new_page()
    login(page, owner)
    page.goto(f"/projects/{project.pk}/")
    page.fill("#status_date", "2026-11-11")
    page.check(f"input[name=finished_{started.requirements.pk}]")
    page.fill(f"input[name=percent_{started.requirements.pk}]", "100")
    page.check(f"input[name=started_{started.design.pk}]")
    page.get_by_test_id("record-progress").click()
    page.wait_for_url(f"**/projects/{project.pk}/")
    # PV 1 600, EV 1 500, no cost yet: SPI 0.9375 is yellow, CPI not yet measurable
    expect(page.get_by_test_id("figures")).to_contain_text("0.9375")
    expect(page.get_by_test_id("figures")).to_contain_text("SPI = EV ÷ PV")
    expect(page.locator(".badge.light-yellow").first).to_be_visible()
    assert Snapshot.objects.get(project=project, status_date=day(11, 11)).light_spi == "yellow"
    page.screenshot(path=artifact("project-progress.png"), full_page=True)

    phone = new_context(**PHONE).new_page()
    login(phone, owner)
    for url in (f"/projects/{project.pk}/", "/projects/"):
        phone.goto(url)
        assert fits_the_phone(phone), url
