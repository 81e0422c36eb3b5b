"""The supervision hotline in the browser: a member of the public opens the page on a phone without signing in,
reads whom to contact, sends a report without giving a name, and the supervisor passes it on as a work order."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.liaisons.choices import HotlineStatus, LiaisonRole
from oversight.liaisons.models import HotlineReport
from oversight.liaisons.services.hotline import hotline_area_save, hotline_page_save
from oversight.liaisons.services.liaisons import liaison_save
from tests.browser.browser_support import PHONE, fits_the_phone, login

pytestmark = pytest.mark.browser


def test_browser_hotline_report_on_a_phone_and_its_triage(world, new_context):
    admin = world.users["client_admin"]
    page_obj = hotline_page_save(
        actor=admin, organisation=world.org, title="监管热线", title_en="Supervision hotline", phone="010-6555-0000"
    )
    area = hotline_area_save(
        actor=admin, page=page_obj, name="桌面运维", name_en="Desktop support", vendor=world.vendor
    )
    liaison_save(
        actor=admin,
        organisation=world.org,
        vendor=world.vendor,
        role=LiaisonRole.PROJECT_MANAGER,
        name="Zhang Wei",
        phone="010-6555-0199",
        on_hotline=True,
    )
    phone = new_context(**PHONE).new_page()
    phone.goto(f"/liaisons/h/{page_obj.token}/")
    expect(phone.get_by_text("Zhang Wei")).to_be_visible()
    assert fits_the_phone(phone)
    phone.get_by_test_id("hotline-form").locator("button[type=submit]").click()
    expect(phone.locator(".error, .errorlist").first).to_be_visible()  # nothing described: a clear error
    phone.select_option("#id_area", str(area.pk))
    phone.fill("#id_description", "The printer in ward 5 has been jammed for two days.")
    phone.get_by_test_id("hotline-form").locator("button[type=submit]").click()
    expect(phone.get_by_test_id("hotline-thanks")).to_be_visible()
    assert fits_the_phone(phone)
    report = HotlineReport.objects.get()
    assert report.contact == "" and report.area == area

    supervisor = new_context().new_page()
    login(supervisor, world.users["client_supervisor"])
    supervisor.goto(f"/liaisons/hotline/reports/{report.pk}/")
    supervisor.select_option("#id_service", str(world.service.pk))
    supervisor.locator("form[action$='/convert/'] button[type=submit]").click()
    supervisor.wait_for_url(f"**/liaisons/hotline/reports/{report.pk}/")
    report.refresh_from_db()
    assert report.status == HotlineStatus.CONVERTED and report.work_order is not None
    expect(supervisor.get_by_text(report.work_order.number)).to_be_visible()
