"""The supervision board in Chromium: filter through the real controls, then export CSV and XLSX through the links."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from oversight.catalog.choices import Level
from oversight.tickets import services
from oversight.tickets.choices import Status
from oversight.tickets.models import WorkOrder
from tests.browser.browser_support import artifact, en, login

pytestmark = pytest.mark.browser

# The board's default view: everything still being worked on (spelled out here, not imported from the app).
STILL_OPEN = (
    "new",
    "dispatched",
    "accepted",
    "on_site",
    "pending_requester",
    "pending_third_party",
    "pending_problem",
)
# (impact, urgency) -> priority in the default ITIL matrix: (1,1) P1, (1,2) P2, (2,2) P3, (3,3) P4.
P1, P2, P3, P4 = (Level.HIGH, Level.HIGH), (Level.HIGH, Level.MEDIUM), (Level.MEDIUM, Level.MEDIUM), (Level.LOW,) * 2


def make_work_orders(world) -> None:
    """Open work orders of both vendors at several priorities, plus rows the board must never show."""
    requester, other_requester = world.users["requester"], world.users["other_requester"]
    plan = [
        (requester, world.service, P1, "=cmd|' /C calc'!A0 monitor dead"),
        (requester, world.service, P1, "Ward PC will not boot"),
        (other_requester, world.service, P3, "Keyboard missing keys"),
        (requester, world.service, P4, "Request a second screen"),
        (requester, world.other_service, P1, "Network down in ward 3"),
        (other_requester, world.other_service, P2, "Wi-Fi slow in radiology"),
        (requester, world.other_service, P3, "Port 12 dead"),
    ]
    for actor, service, (impact, urgency), title in plan:
        services.work_order_create(actor=actor, service=service, title=title, impact=impact, urgency=urgency)
    # A P1 of vendor 1 that someone accepted: still open, in another status.
    accepted = services.work_order_create(
        actor=requester, service=world.service, title="Label printer offline", impact=P1[0], urgency=P1[1]
    )
    services.work_order_transition(actor=world.users["vendor_agent"], work_order=accepted, action="accept")
    # Cancelled (not open) and another organisation's: never on this board.
    cancelled = services.work_order_create(
        actor=requester, service=world.service, title="Mouse (never mind)", impact=P1[0], urgency=P1[1]
    )
    services.work_order_transition(actor=requester, work_order=cancelled, action="cancel", note="found a spare")
    services.work_order_create(
        actor=world.users["foreign_requester"], service=world.foreign_service, title="Far away", impact=1, urgency=1
    )


def expected_numbers(world, **filters) -> set[str]:
    """What the board must list, computed straight from the table."""
    rows = WorkOrder.objects.filter(organisation=world.org, status__in=STILL_OPEN, **filters)
    return set(rows.values_list("number", flat=True))


def listed_numbers(page) -> set[str]:
    return {text.strip() for text in page.locator("#board-results a.wo-link").all_inner_texts()}


def assert_board_shows(page, world, numbers: set[str]) -> None:
    """Total, per-vendor and per-status counts and the rows all match the expected set."""
    expect(page.get_by_test_id("total")).to_have_text(str(len(numbers)))
    expect(page.locator("#board-results a.wo-link")).to_have_count(len(numbers))
    assert listed_numbers(page) == numbers
    rows = WorkOrder.objects.filter(number__in=numbers)
    for vendor in (world.vendor, world.other_vendor):
        n = rows.filter(vendor=vendor).count()
        counter = page.locator(f"#board-results [data-vendor='{vendor.pk}']")
        if n:
            expect(counter).to_have_text(str(n))
        else:
            expect(counter).to_have_count(0)
    for status in Status:
        n = rows.filter(status=status).count()
        counter = page.locator(f"#board-results [data-status='{status.value}']")
        if n:
            expect(counter).to_have_text(str(n))
        else:
            expect(counter).to_have_count(0)


def download(page, link_text: str, suffix: str) -> bytes:
    """Click an export link and return the downloaded file's bytes."""
    with page.expect_download() as info:
        page.locator("#board-results .export-links a", has_text=link_text).click()
    assert info.value.suggested_filename.startswith("work-orders-")
    assert info.value.suggested_filename.endswith(suffix)
    return Path(info.value.path()).read_bytes()


def test_browser_board_filters_and_exports(world, new_context):
    make_work_orders(world)
    page = new_context().new_page()
    login(page, world.users["client_supervisor"])
    page.goto("/board/")

    everything = expected_numbers(world)
    assert len(everything) == 8
    assert_board_shows(page, world, everything)

    # Filter by vendor through the form (htmx swaps the results and pushes the URL).
    page.locator("details.filters > summary").click()
    page.locator("#id_vendor > summary").click()  # vendors are checkboxes too (several may be ticked)
    page.locator(f"#id_vendor input[value='{world.vendor.pk}']").check()
    page.locator("form.filter-grid button[type=submit]").click()
    by_vendor = expected_numbers(world, vendor=world.vendor)
    assert len(by_vendor) == 5
    assert_board_shows(page, world, by_vendor)
    page.wait_for_url(f"**vendor={world.vendor.pk}**")

    # Then by priority (checkboxes in a disclosure that says "All" until some are ticked: P1 and P3).
    expect(page.locator("#id_priority > summary")).to_have_text(en("All"))
    page.locator("#id_priority > summary").click()
    page.locator("#id_priority input[value='P1']").check()
    page.locator("#id_priority input[value='P3']").check()
    page.locator("form.filter-grid button[type=submit]").click()
    filtered = expected_numbers(world, vendor=world.vendor, priority__in=["P1", "P3"])
    assert len(filtered) == 4
    assert_board_shows(page, world, filtered)
    expect(page.locator("#board-results [data-status='accepted']")).to_have_text("1")
    page.screenshot(path=artifact("board-filtered.png"), full_page=True)

    # The same filters reached the export links: CSV ...
    csv_bytes = download(page, en("Export CSV"), ".csv")
    csv_rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"), newline="")))
    header = csv_rows[0]
    number_at, vendor_at, priority_at, title_at = (
        header.index(en(h)) for h in ("Number", "Vendor", "Priority", "Title")
    )
    assert {row[number_at] for row in csv_rows[1:]} == filtered
    assert len(csv_rows) - 1 == len(filtered)
    assert {row[vendor_at] for row in csv_rows[1:]} == {world.vendor.name}
    assert {row[priority_at] for row in csv_rows[1:]} == {"P1", "P3"}
    # A title that looks like a formula is neutralised.
    assert "'=cmd|' /C calc'!A0 monitor dead" in {row[title_at] for row in csv_rows[1:]}

    # ... and XLSX.
    xlsx_bytes = download(page, en("Export XLSX"), ".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes), read_only=True).worksheets[0]
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [str(cell) for cell in xlsx_rows[0]] == header
    assert {row[number_at] for row in xlsx_rows[1:]} == filtered
    assert len(xlsx_rows) - 1 == len(filtered)
    assert {row[vendor_at] for row in xlsx_rows[1:]} == {world.vendor.name}

    # Reset brings the whole open list back.
    page.locator("form.filter-grid a", has_text=en("Reset")).click()
    assert_board_shows(page, world, everything)
