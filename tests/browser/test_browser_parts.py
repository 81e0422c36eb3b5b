"""A vendor's engineer on a phone: the stock overview shows a toner in stock, she records using two on a work
order from its page, and back on the overview the balance has gone down and the part is flagged low on stock
(on hand at or below its reorder point), with what to order recomputed; no page scrolls sideways at 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.parts import services as parts
from oversight.parts.models import StockLevel, StockMovement
from oversight.tickets import services as tickets
from tests.browser.browser_support import PHONE, en, fits_the_phone, login
from tests.parts.conftest import build_stock, receive

pytestmark = pytest.mark.browser


def stocked_toner(world):
    """The parts tests' toner of the first vendor with 5 on hand at the IT store, reorder point 3, target 10."""
    stock = build_stock(world)
    receive(stock, stock.toner, stock.store, 5)
    parts.level_set(actor=stock.supervisor, item=stock.toner, location=stock.store, reorder_point=3, target_stock=10)
    return stock.toner, stock.store


def test_browser_using_a_part_on_a_work_order_lowers_the_balance_on_a_phone(world, new_context):
    toner, store = stocked_toner(world)
    agent = world.users["vendor_agent"]
    wo = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Ward 3 printer empty")
    wo = tickets.work_order_transition(actor=agent, work_order=wo, action="accept")
    level = StockLevel.objects.get(item=toner, location=store)

    page = new_context(**PHONE).new_page()
    login(page, agent)

    # 1. The stock overview: 5 on hand, not low, 10 − 5 − 0 = 5 to order.
    page.goto("/parts/")
    row = page.locator(f"tr[data-level='{level.pk}']")
    expect(row.get_by_test_id("on-hand")).to_have_text("5 个")
    expect(row.get_by_test_id("to-order")).to_have_text("5")
    expect(row.get_by_test_id("low")).to_have_count(0)
    expect(page.get_by_test_id("low-count")).to_have_count(0)
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")

    # 2. On the work order's page, use two toners from the store.
    page.goto(f"/wo/{wo.number}/")
    section = page.get_by_test_id("work-order-parts")
    section.locator("#panel-consume > summary").click()
    section.locator("#panel-consume select[name=item]").select_option(str(toner.pk))
    section.locator("#panel-consume select[name=location]").select_option(str(store.pk))
    section.locator("#panel-consume input[name=quantity]").fill("2")
    section.locator("#panel-consume button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(en("The part was recorded as used on this work order."))
    expect(page.get_by_test_id("work-order-parts").locator("li").first).to_contain_text("Toner cartridge × 2 个")
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")
    used = StockMovement.objects.get(work_order=wo)
    assert (used.kind, used.quantity, used.item_id, used.location_id) == ("consume", -2, toner.pk, store.pk)

    # 3. Back on the overview: 3 on hand (5 − 2) is at the reorder point of 3, so low; 10 − 3 − 0 = 7 to order.
    page.goto("/parts/")
    row = page.locator(f"tr[data-level='{level.pk}']")
    expect(row.get_by_test_id("on-hand")).to_have_text("3 个")
    expect(row.get_by_test_id("to-order")).to_have_text("7")
    expect(row.get_by_test_id("low")).to_have_text(en("Low stock"))
    expect(page.get_by_test_id("low-count")).to_have_text(en("Low on stock: %(n)s") % {"n": 1})
    assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")
