"""A change from request to review in the browser: the vendor's agent requests it, the client's supervisor assesses
it, the CAB member approves it, scheduling shows the conflict with the vendor's other change, the change is
implemented, reviewed and closed; the month of the change calendar reads as a list of days on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from oversight.changes import services
from oversight.changes.choices import ChangeType
from oversight.changes.models import Change
from oversight.core import clock
from tests.browser.browser_support import PHONE, artifact, login

pytestmark = pytest.mark.browser

ZONE = dt.timezone(dt.timedelta(hours=8))  # the users' zone (Asia/Shanghai, no daylight saving)


def _slot():
    """Tomorrow 10:00–12:00 in the users' zone."""
    day = clock.now().astimezone(ZONE).date() + dt.timedelta(days=1)
    start = dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZONE)
    return start, start + dt.timedelta(hours=2)


def test_browser_change_from_request_to_review_and_the_calendar_on_a_phone(world, new_context):
    supervisor, admin, agent = (
        world.users["client_supervisor"],
        world.users["client_admin"],
        world.users["vendor_agent"],
    )
    services.approval_policy_set(
        actor=admin,
        change_type=ChangeType.NORMAL,
        steps=[{"name": "CAB", "rule": "any", "members": [(admin, None)]}],
    )
    start, end = _slot()
    # The vendor's other change already holds the same two hours.
    booked = services.change_create(
        actor=supervisor,
        title="Replace the core switch fan",
        implementer=world.vendor,
        type=ChangeType.EMERGENCY,
        implementation_plan="Swap the fan",
        backout_plan="Put the old fan back",
        planned_start=start,
        planned_end=end,
    )
    for action in ("authorise", "schedule"):
        services.change_transition(actor=supervisor, change=booked, action=action)

    # The vendor's agent requests the change.
    page = new_context().new_page()
    login(page, agent)
    page.goto("/changes/new/")
    page.select_option("#id_type", "normal")
    page.fill("#id_title", "Upgrade the ward printers' firmware")
    page.select_option("#id_services", str(world.service.pk))
    page.fill("#id_implementation_plan", "Flash each printer in turn")
    page.fill("#id_backout_plan", "Flash the previous firmware")
    page.fill("#id_planned_start", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_planned_end", end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Request the change").click()
    expect(page.get_by_test_id("status")).to_have_text("New")
    change = Change.objects.get(title="Upgrade the ward printers' firmware")
    assert change.planned_start == start

    # The supervisor assesses it: the CAB step opens.
    page = new_context().new_page()
    login(page, supervisor)
    page.goto(change.get_absolute_url())
    page.locator("button[data-action=assess]").click()
    expect(page.get_by_test_id("status")).to_have_text("Assessed")
    expect(page.get_by_test_id("step-rule")).to_contain_text("Any one approval")

    # The CAB member approves.
    cab = new_context().new_page()
    login(cab, admin)
    cab.goto(change.get_absolute_url())
    cab.get_by_test_id("vote-form").locator("input[name=approve][value='1']").check()
    cab.get_by_role("button", name="Record my vote").click()
    expect(cab.get_by_test_id("status")).to_have_text("Authorised")

    # Scheduling shows the conflict with the vendor's other change.
    page.goto(change.get_absolute_url())
    page.locator("button[data-action=schedule]").click()
    expect(page.get_by_test_id("status")).to_have_text("Scheduled")
    conflict = page.get_by_test_id("conflicts").locator("li[data-code=double_booked]")
    expect(conflict).to_contain_text("Implementer booked for another change at the same time")
    expect(conflict).to_contain_text(booked.number)

    # Implemented, reviewed, closed.
    page.locator("button[data-action=start]").click()
    expect(page.get_by_test_id("status")).to_have_text("Implementing")
    page.locator("button[data-action=complete]").click()
    expect(page.get_by_test_id("status")).to_have_text("In review")
    page.select_option("#id_outcome", "successful")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_test_id("review")).to_contain_text("Successful")
    page.locator("button[data-action=close]").click()
    expect(page.get_by_test_id("status")).to_have_text("Closed")

    # The month on a phone: a list of the days with something on them, no sideways scroll.
    phone = new_context(**PHONE).new_page()
    login(phone, agent)
    phone.goto(f"/changes/calendar/?day={start.date().isoformat()}")
    day = phone.locator(f"section[data-date='{start.date().isoformat()}']")
    expect(day).to_contain_text(change.number)
    expect(day).to_contain_text(booked.number)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    empty_days = phone.locator("section.cal-empty")
    if empty_days.count():
        expect(empty_days.first).to_be_hidden()
    phone.screenshot(path=artifact("changes-calendar-phone.png"), full_page=True)
    # The change's page fits the phone too.
    phone.goto(change.get_absolute_url())
    expect(phone.get_by_test_id("status")).to_have_text("Closed")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
