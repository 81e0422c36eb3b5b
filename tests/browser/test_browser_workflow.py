"""End to end in Chromium: a requester submits in Chinese, an agent works it on a phone, the requester confirms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.tickets.choices import Status
from oversight.tickets.models import Attachment, WorkOrder
from tests.browser.browser_support import PHONE, artifact, en, login, png_bytes, zh

pytestmark = pytest.mark.browser

DESCRIPTION = "打印机卡纸，无法打印医嘱单。\nThe printer in the nurses' station jams on every page."
RESOLUTION = "Replaced the worn pickup roller; printed ten test pages."


def timeline_headlines(page) -> list[str]:
    return [text.strip() for text in page.locator(".timeline .timeline-head strong").all_inner_texts()]


def submit_in_chinese(page, world) -> WorkOrder:
    """Scenario 1: the requester's portal is in Chinese; submit with a service, offering, location and a photo."""
    requester = world.users["requester"]
    login(page, requester)
    # Requesters land on their portal, rendered in their language.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text(zh("My requests"))
    expect(page.locator(".site-nav")).to_contain_text(zh("New request"))
    expect(page.locator(".site-nav")).to_contain_text(zh("Sign out"))
    expect(page.locator(".tabs")).to_contain_text(zh("Finished"))
    expect(page.locator(".empty")).to_have_text(zh("You have no requests here yet."))

    page.locator("a.btn-primary", has_text=zh("New request")).click()
    page.wait_for_url("**/portal/new/")
    expect(page.locator("h1")).to_have_text(zh("New request"))
    expect(page.locator("label[for=id_description]")).to_have_text(zh("Describe the problem or request"))
    expect(page.locator("button[type=submit].btn-large")).to_have_text(zh("Submit request"))

    page.select_option("#id_service", str(world.service.pk))
    # The offerings of the chosen service arrive through htmx.
    offering = page.locator(f"#id_offering option[value='{world.onsite_offering.pk}']")
    expect(offering).to_be_attached()
    page.select_option("#id_offering", str(world.onsite_offering.pk))
    page.fill("#id_description", DESCRIPTION)
    expect(page.locator("#id_site")).to_have_value(str(world.dept.pk))  # the requester's department
    page.fill("#id_location_detail", "302室 护士站")
    page.check("input[name=urgency][value='1']")
    page.set_input_files("#id_attachments", files=[{"name": "jam.png", "mimeType": "image/png", "buffer": png_bytes()}])
    page.screenshot(path=artifact("requester-form-zh.png"), full_page=True)
    page.locator("button[type=submit].btn-large").click()
    page.wait_for_url("**/wo/**")

    work_order = WorkOrder.objects.get(requester=requester)
    assert work_order.service == world.service
    assert work_order.offering == world.onsite_offering
    assert work_order.site == world.dept
    assert work_order.location_detail == "302室 护士站"
    assert work_order.description.replace("\r\n", "\n") == DESCRIPTION
    assert work_order.title == "打印机卡纸，无法打印医嘱单。"
    assert work_order.status == Status.NEW
    assert [a.original_name for a in Attachment.objects.filter(work_order=work_order)] == ["jam.png"]

    expect(page.locator(".messages")).to_contain_text(work_order.number)
    expect(page.locator(".wo-number")).to_contain_text(work_order.number)
    expect(page.get_by_test_id("status")).to_have_text(zh("New"))
    expect(page.locator(".attachments")).to_contain_text("jam.png")

    page.locator(".site-nav a", has_text=zh("My requests")).click()
    page.wait_for_url("**/portal/")
    row = page.locator("tr.wo-row", has=page.locator("a.wo-link", has_text=work_order.number))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("打印机卡纸")
    expect(row.locator(".badge.status")).to_have_text(zh("New"))
    return work_order


def assert_in_viewport(locator, viewport: dict) -> None:
    """The element is fully visible in the viewport as it is, without any scrolling."""
    box = locator.bounding_box()
    assert box is not None, "element not rendered"
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= viewport["width"], box
    assert box["y"] + box["height"] <= viewport["height"], box
    assert box["height"] >= 44, f"too small for a thumb: {box}"  # a comfortable touch target


def work_on_phone(page, world, work_order: WorkOrder) -> None:
    """Scenario 2: the agent accepts, arrives and resolves with the big bottom button on a 375×812 touch screen."""
    viewport = PHONE["viewport"]
    login(page, world.users["vendor_agent"])
    page.wait_for_url("**/workbench/**")
    page.locator(".queue-tabs a", has=page.locator("[data-queue=unassigned]")).tap()
    page.wait_for_url("**queue=unassigned**")
    page.screenshot(path=artifact("phone-workbench.png"))
    page.locator("a.wo-link", has_text=work_order.number).tap()
    page.wait_for_url(f"**/wo/{work_order.number}/")
    expect(page.get_by_test_id("status")).to_have_text(en("New"))
    page.screenshot(path=artifact("phone-accept.png"))

    primary = page.get_by_test_id("primary-action")
    steps = (
        ("Accept", "Accepted", Status.ACCEPTED, "Accepted"),
        ("Confirm arrival on site", "On site", Status.ON_SITE, "Arrived on site"),
    )
    for button_label, status_label, status, timeline_label in steps:
        button = primary.locator("button[type=submit]")
        expect(button).to_have_text(en(button_label))
        assert page.evaluate("window.scrollY") == 0
        assert_in_viewport(button, viewport)
        button.tap()
        expect(page.get_by_test_id("status")).to_have_text(en(status_label))
        expect(page.locator(".timeline .timeline-head strong", has_text=en(timeline_label))).to_have_count(1)
        work_order.refresh_from_db()
        assert work_order.status == status
        assert work_order.assignee == world.users["vendor_agent"]

    # Resolve asks for the resolution: the bottom button opens the form in place, still under the thumb.
    summary = primary.locator("summary")
    expect(summary).to_have_text(en("Resolve"))
    assert_in_viewport(summary, viewport)
    summary.tap()
    textarea = primary.locator("textarea[name=resolution]")
    expect(textarea).to_be_visible()
    textarea.fill(RESOLUTION)
    confirm = primary.locator("button[type=submit]")
    assert page.evaluate("window.scrollY") == 0
    assert_in_viewport(textarea, viewport)
    assert_in_viewport(confirm, viewport)
    page.screenshot(path=artifact("phone-resolve-form.png"))
    confirm.tap()

    expect(page.get_by_test_id("status")).to_have_text(en("Resolved"))
    expect(page.locator(".timeline .timeline-head strong", has_text=en("Resolved"))).to_have_count(1)
    expect(page.locator(".timeline")).to_contain_text(RESOLUTION)
    expect(page.locator(".prose").last).to_contain_text(RESOLUTION)
    assert timeline_headlines(page) == [
        en("Received"),
        en("Attachment added"),
        en("Accepted"),
        en("Arrived on site"),
        en("Resolved"),
    ]
    # The agent has nothing left to do: no bottom bar covering the page.
    expect(primary).to_have_count(0)
    page.screenshot(path=artifact("phone-resolved.png"))
    page.screenshot(path=artifact("phone-resolved-full.png"), full_page=True)

    work_order.refresh_from_db()
    assert work_order.status == Status.RESOLVED
    assert work_order.resolution == RESOLUTION
    assert work_order.first_response_at is not None
    assert work_order.arrived_at is not None
    assert work_order.resolved_at is not None


def confirm_as_requester(page, work_order: WorkOrder) -> None:
    """Scenario 3: the requester sees the resolution and confirms; the work order closes."""
    page.goto(f"/wo/{work_order.number}/")
    expect(page.get_by_test_id("status")).to_have_text(zh("Resolved"))
    expect(page.locator(".timeline")).to_contain_text(RESOLUTION)
    button = page.get_by_test_id("primary-action").locator("button[type=submit]")
    expect(button).to_have_text(zh("Confirm and close"))
    button.click()

    expect(page.get_by_test_id("status")).to_have_text(zh("Closed"))
    expect(page.locator(".messages")).to_contain_text(zh("Confirmed and closed"))
    expect(page.locator(".timeline .timeline-head strong", has_text=zh("Confirmed and closed"))).to_have_count(1)
    assert timeline_headlines(page)[-1] == zh("Confirmed and closed")
    expect(page.get_by_test_id("primary-action")).to_have_count(0)
    page.screenshot(path=artifact("requester-closed-zh.png"), full_page=True)

    work_order.refresh_from_db()
    assert work_order.status == Status.CLOSED
    assert work_order.confirmed_by_requester is True
    assert work_order.closed_at is not None

    # It moved from the open list to the finished one.
    page.goto("/portal/")
    expect(page.locator("a.wo-link", has_text=work_order.number)).to_have_count(0)
    page.locator(".tabs a", has_text=zh("Finished")).click()
    row = page.locator("tr.wo-row", has=page.locator("a.wo-link", has_text=work_order.number))
    expect(row.locator(".badge.status")).to_have_text(zh("Closed"))


def test_browser_request_to_closure(world, new_context):
    requester = world.users["requester"]
    requester.language = "zh-hans"
    requester.save(update_fields=["language"])

    requester_page = new_context(locale="zh-CN").new_page()
    work_order = submit_in_chinese(requester_page, world)

    agent_page = new_context(**PHONE).new_page()
    work_on_phone(agent_page, world, work_order)

    confirm_as_requester(requester_page, work_order)
