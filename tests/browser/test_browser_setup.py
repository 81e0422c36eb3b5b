"""The client administrator's setup pages in Chromium on a 375×812 phone, in Chinese and in English: no page
scrolls sideways, a day of the month view is made a holiday with a click (htmx, no inline script), and the
deadline preview answers in place."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oversight.catalog import services
from oversight.catalog.models import CalendarDay
from oversight.tenancy.models import User
from tests.browser.browser_support import PHONE, artifact, en, login, zh
from tests.reports.schedule_fixtures import china_calendar

pytestmark = pytest.mark.browser


@pytest.fixture
def office(world):
    return china_calendar(world.org)


def setup_pages(world, calendar) -> list[str]:
    return [
        reverse("catalog:services"),
        reverse("catalog:service_create"),
        reverse("catalog:service_edit", args=[world.service.pk]),
        reverse("catalog:policies"),
        reverse("catalog:policy", args=[world.policy.pk]),
        reverse("catalog:policy_version", args=[world.policy.pk]),
        reverse("catalog:calendars"),
        reverse("catalog:calendar_create"),
        reverse("catalog:calendar", args=[calendar.pk]) + "?month=2026-10&day=2026-10-01",
        reverse("catalog:calendar_edit", args=[calendar.pk]),
        reverse("people:list"),
        reverse("people:invite"),
        reverse("people:detail", args=[world.users["vendor_agent"].pk]),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_browser_setup_pages_fit_a_phone_in_both_languages(world, office, new_context, language):
    admin = world.users["client_admin"]
    User.objects.filter(pk=admin.pk).update(language=language)
    page = new_context(**PHONE).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, admin)
    wide = []
    for index, url in enumerate(setup_pages(world, office)):
        response = page.goto(url)
        assert response.status == 200, url
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            wide.append((url, page.evaluate("document.documentElement.scrollWidth")))
            page.screenshot(path=artifact(f"setup-{language}-{index}.png"), full_page=True)
    assert not wide, wide
    assert not errors, errors


def test_browser_setup_month_view_makes_a_holiday_with_a_click(world, office, new_context):
    admin = world.users["client_admin"]
    User.objects.filter(pk=admin.pk).update(language="zh-hans")
    page = new_context(**PHONE).new_page()
    login(page, admin)
    page.goto(reverse("catalog:calendar", args=[office.pk]) + "?month=2026-12")
    page.locator("[data-date='2026-12-04']").click()
    panel = page.get_by_test_id("day-panel")
    expect(panel).to_be_visible()
    panel.get_by_role("button", name=zh("Make it a holiday")).click()
    expect(page.locator("[data-date='2026-12-04'].day-holiday")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifact("setup-month-holiday.png"), full_page=True)
    day = CalendarDay.objects.get(calendar=office, date=dt.date(2026, 12, 4))
    assert not day.is_working and day.source == "manual"


def test_browser_setup_deadline_preview_answers_in_place(world, office, new_context):
    admin = world.users["client_admin"]
    User.objects.filter(pk=admin.pk).update(language="en", time_zone="Asia/Shanghai")
    policy = services.sla_policy_create(actor=None, organisation=world.org, name="Office", code="office")
    services.sla_policy_version_create(
        actor=None,
        policy=policy,
        targets=[{"priority": "P2", "metric": "resolution", "target_minutes": 180, "calendar": office}],
    )
    page = new_context(**PHONE).new_page()
    login(page, admin)
    page.goto(reverse("catalog:policy", args=[policy.pk]))
    page.select_option("#id_priority", "P2")
    page.fill("#id_start", "2026-12-04T17:00")
    page.get_by_role("button", name=en("Show deadlines")).click()
    expect(page.get_by_test_id("deadline-preview")).to_contain_text("Mon 2026-12-07 10:30")
    assert page.url.endswith(reverse("catalog:policy", args=[policy.pk]))  # answered in place by htmx
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
