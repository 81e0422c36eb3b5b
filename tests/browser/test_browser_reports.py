"""Service reports, the vendor dashboard and report schedules in Chromium, through the real pages and controls.

The clock is frozen on 20 October 2026 (Shanghai) while the browser runs (the live server shares the process and
its clock), so September 2026 is the last complete month and the third quarter the last complete quarter. The
report data is the small world of tests/reports/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from oversight.core import clock
from oversight.reports.models import ReportSchedule
from oversight.tickets.models import WorkOrder
from tests.browser.browser_support import PHONE, artifact, en, login
from tests.reports.conftest import NOW, build_report_world
from tests.reports.schedule_fixtures import china_calendar

pytestmark = pytest.mark.browser

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def report_world(world):
    """The report world, with the clock frozen at 20 October 2026 for the test and the live server."""
    rw = build_report_world(world)
    with clock.frozen_at(NOW):
        yield rw


def received_in(vendor, year: int, month: int) -> int:
    """Work orders of the vendor received in a Shanghai calendar month, cancelled ones left out (counted by hand)."""
    count = 0
    for work_order in WorkOrder.objects.filter(vendor=vendor):
        local = work_order.created_at.astimezone(SHANGHAI)
        if (local.year, local.month) == (year, month) and work_order.status != "cancelled":
            count += 1
    return count


def nav_link(page, text: str):
    return page.locator(".site-nav a", has_text=text)


def test_browser_reports_supervisor_report_pdf_and_dashboard(world, report_world, new_context):
    page = new_context(**DESKTOP).new_page()
    login(page, world.users["client_supervisor"])

    nav_link(page, en("Service reports")).click()
    page.wait_for_url("**/reports/")
    picker = page.get_by_test_id("report-picker")
    expect(picker.locator("#id_vendor option")).to_have_count(2)  # both vendors of the organisation
    picker.locator("#id_vendor").select_option(str(world.vendor.pk))
    picker.locator("#id_kind").select_option("monthly")
    picker.locator("#id_period").fill("2026-09")
    picker.locator("button[type=submit]").click()
    page.wait_for_url(f"**/reports/vendors/{world.vendor.pk}/2026-09/")

    september, august = received_in(world.vendor, 2026, 9), received_in(world.vendor, 2026, 8)
    assert (september, august) == (4, 1)  # A, B, C, D (E cancelled, G the other vendor's); P in August
    figures = page.get_by_test_id("key-figures")
    expect(figures.get_by_test_id("figure-received")).to_have_text(str(september))
    expect(figures.get_by_test_id("previous-received")).to_have_text(str(august))
    expect(page.get_by_test_id("report-header")).to_contain_text(world.vendor.name)
    expect(page.locator("[data-testid=chart] svg")).to_have_count(4)
    page.screenshot(path=artifact("report-desktop.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_test_id("pdf-link").click()
    assert info.value.suggested_filename.endswith(".pdf")
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")

    nav_link(page, en("Vendor dashboard")).click()
    page.wait_for_url("**/reports/dashboard/")
    page.locator(".tabs a.tab", has_text=en("Quarterly")).click()
    page.wait_for_url("**/reports/dashboard/?kind=quarterly")
    expect(page.locator(".tabs a.tab[aria-current=page]")).to_have_text(en("Quarterly"))
    expect(page.get_by_test_id("dashboard-table")).to_be_visible()
    page.get_by_test_id(f"report-link-{world.vendor.pk}").click()
    page.wait_for_url(f"**/reports/vendors/{world.vendor.pk}/2026-Q3/")
    # The quarter counts September's four and August's one.
    expect(page.get_by_test_id("figure-received")).to_have_text(str(september + august))


def test_browser_reports_vendor_manager_on_a_phone(world, report_world, new_context):
    page = new_context(**PHONE).new_page()
    login(page, world.users["vendor_manager"])
    page.goto("/reports/")

    options = page.locator("#id_vendor option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", str(world.vendor.pk))
    expect(page.locator("#id_period")).to_have_value("2026-09")  # the last complete month
    page.get_by_test_id("report-picker").locator("button[type=submit]").click()
    page.wait_for_url(f"**/reports/vendors/{world.vendor.pk}/2026-09/")
    expect(page.get_by_test_id("figure-received")).to_have_text(str(received_in(world.vendor, 2026, 9)))
    expect(page.locator("[data-testid=chart] svg")).to_have_count(4)
    page.screenshot(path=artifact("report-phone.png"), full_page=True)

    # Wide tables scroll inside their wrapper; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widths = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.table-wrap')]"
        ".map(w => [w.querySelector('table').dataset.testid, [w.scrollWidth, w.clientWidth]]))"
    )
    scroll_width, client_width = widths["breaches"]  # seven columns: wider than the phone
    assert scroll_width > client_width

    # The vendor comparison is for the client side only: neither in the navigation nor on the index, and 403.
    page.goto("/reports/")
    expect(page.locator("a[href='/reports/dashboard/']")).to_have_count(0)
    response = page.goto("/reports/dashboard/")
    assert response.status == 403


def test_browser_reports_admin_creates_a_schedule_and_sends_now(world, new_context):
    calendar = china_calendar(world.org)
    supervisor, manager = world.users["client_supervisor"], world.users["vendor_manager"]
    page = new_context(**DESKTOP).new_page()
    with clock.frozen_at(dt.datetime(2026, 10, 20, 2, 0, tzinfo=dt.UTC)):
        login(page, world.users["client_admin"])
        page.goto("/reports/")
        page.locator(".page-head a", has_text=en("Report schedules")).click()
        page.wait_for_url("**/reports/schedules/")
        page.locator("a", has_text=en("New schedule")).click()
        page.wait_for_url("**/reports/schedules/new/")

        page.select_option("#id_vendor", str(world.vendor.pk))
        page.select_option("#id_kind", "monthly")
        page.fill("#id_working_day", "3")
        page.select_option("#id_calendar", str(calendar.pk))
        # Only the client side and vendor managers are offered; the agent never is.
        expect(page.locator(f"input[name=recipients][value='{world.users['vendor_agent'].pk}']")).to_have_count(0)
        page.check(f"input[name=recipients][value='{supervisor.pk}']")
        page.check(f"input[name=recipients][value='{manager.pk}']")
        page.locator("button[type=submit]", has_text=en("Save")).click()
        page.wait_for_url("**/reports/schedules/*/")

        schedule = ReportSchedule.objects.get(organisation=world.org)
        assert schedule.vendor == world.vendor and schedule.contract is None
        assert (schedule.kind, schedule.working_day, schedule.calendar) == ("monthly", 3, calendar)
        assert set(schedule.recipients.all()) == {supervisor, manager}
        expect(page.locator(".messages")).to_contain_text(en("The report schedule was created."))
        recipients = page.get_by_test_id("recipients")
        expect(recipients).to_contain_text(str(supervisor))
        expect(recipients).to_contain_text(str(manager))

        page.locator(".wo-number a", has_text=en("Report schedules")).click()
        page.wait_for_url("**/reports/schedules/")
        row = page.get_by_test_id("schedule-table").locator("tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(world.vendor.name)
        expect(row.locator("td.num")).to_have_text("3")
        row.locator(f"a[href='/reports/schedules/{schedule.pk}/']").click()
        page.wait_for_url(f"**/reports/schedules/{schedule.pk}/")

        # "Send now" with the period left empty: the last ended month, September 2026.
        send_form = page.get_by_test_id("send-form")
        expect(send_form.locator("#id_period")).to_have_value("")
        send_form.locator("button[type=submit]").click()
        page.wait_for_url(f"**/reports/schedules/{schedule.pk}/")
        expect(page.locator(".messages")).to_contain_text("2026-09")
        deliveries = page.get_by_test_id("deliveries").locator("tbody tr")
        expect(deliveries).to_have_count(1)
        expect(deliveries).to_contain_text("2026-09")
        expect(deliveries.locator(".badge.status-sent")).to_have_text(en("Sent"))
        outcomes = deliveries.locator("ul.plain-list li")
        expect(outcomes).to_have_count(2)
        for user in (supervisor, manager):
            line = outcomes.filter(has_text=f"<{user.email}>")
            expect(line).to_have_count(1)
            expect(line.locator(".tag")).to_have_text(en("E-mailed"))
        page.screenshot(path=artifact("schedule-sent.png"), full_page=True)

    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [supervisor.email, manager.email]
    )
    assert all("2026-09" in message.subject or "2026-09" in message.body for message in mail.outbox)
