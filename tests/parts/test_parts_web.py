"""The parts pages: the stock overview with to order and the low-stock badge, a part's page with its ledger and
forms, refusals that keep the page, and the section on the work-order page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.parts import services as parts
from oversight.parts.models import StockLevel, StockMovement
from tests.factories import signed_in
from tests.parts.conftest import receive


@pytest.fixture
def stocked(stock):
    """Toner at the store: reorder point 2, target 6; 5 received, 1 on order, then 4 used -> 1 on hand."""
    parts.level_set(actor=stock.supervisor, item=stock.toner, location=stock.store, reorder_point=2, target_stock=6)
    receive(stock, stock.toner, stock.store, 5)
    parts.movement_record(actor=stock.supervisor, item=stock.toner, location=stock.store, kind="order", quantity=1)
    parts.movement_record(
        actor=stock.supervisor, item=stock.toner, location=stock.store, kind="adjust", quantity=-4, reason="count"
    )
    return stock


def test_overview_shows_on_hand_to_order_and_the_low_badge(world, stocked):
    page = signed_in(world.users["client_supervisor"]).get(reverse("parts:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    row = html[html.index("TN-01") : html.index("</tr>", html.index("TN-01"))]
    # On hand 1, on order 1, reorder point 2, target 6: to order = 6 - 1 - 1 = 4; 1 <= 2 is low.
    cells = [c.split(">")[-1].strip() for c in row.split("</td>")[3:8]]
    assert cells == ["1 个", "1", "2", "6", "4"]
    assert "Low stock" in row
    assert 'data-testid="low-count">Low on stock: 1' in html


def test_the_vendor_agent_sees_only_their_vendors_parts(world, stocked):
    receive(stocked, stocked.switch, stocked.ward, 1)
    html = signed_in(world.users["vendor_agent"]).get(reverse("parts:overview")).content.decode()
    assert "TN-01" in html and "SFP-10G" not in html
    client = signed_in(world.users["vendor_agent"])
    assert client.get(reverse("parts:item_detail", args=[stocked.switch.pk])).status_code == 404
    assert signed_in(world.users["requester"]).get(reverse("parts:overview")).status_code == 403


def test_item_page_lists_the_ledger_and_records_a_movement(world, stocked):
    client = signed_in(world.users["vendor_agent"])
    url = reverse("parts:item_detail", args=[stocked.toner.pk])
    html = client.get(url).content.decode()
    assert "Stock ledger" in html and "count" in html
    posted = client.post(
        reverse("parts:movement", args=[stocked.toner.pk]),
        {"kind": "receive", "location": stocked.store.pk, "quantity": "3", "reference": "DN-7"},
    )
    assert posted.status_code == 302
    assert StockLevel.objects.get(item=stocked.toner, location=stocked.store).on_hand == 4


def test_a_refused_use_keeps_the_page_with_the_message_and_409(world, stocked, work_order):
    wo = work_order()
    client = signed_in(world.users["vendor_agent"])
    rows = StockMovement.objects.count()
    page = client.post(
        reverse("parts:movement", args=[stocked.toner.pk]),
        {"kind": "consume", "location": stocked.store.pk, "quantity": "2", "work_order": wo.number},
    )
    assert page.status_code == 409
    assert "Only 1 个 of Toner cartridge are on hand at 信息科备件库: 2 cannot be taken." in page.content.decode()
    assert StockMovement.objects.count() == rows


def test_transfer_and_level_forms(world, stocked):
    client = signed_in(world.users["client_supervisor"])
    moved = client.post(
        reverse("parts:transfer", args=[stocked.toner.pk]),
        {"source": stocked.store.pk, "destination": stocked.ward.pk, "quantity": "1"},
    )
    assert moved.status_code == 302
    assert StockLevel.objects.get(item=stocked.toner, location=stocked.ward).on_hand == 1
    saved = client.post(
        reverse("parts:level", args=[stocked.toner.pk]),
        {"location": stocked.ward.pk, "reorder_point": "1", "target_stock": "3"},
    )
    assert saved.status_code == 302
    assert StockLevel.objects.get(item=stocked.toner, location=stocked.ward).target_stock == 3
    # Only the client's operators set reorder points.
    refused = signed_in(world.users["vendor_agent"]).post(
        reverse("parts:level", args=[stocked.toner.pk]),
        {"location": stocked.ward.pk, "reorder_point": "0", "target_stock": "0"},
    )
    assert refused.status_code == 403


def test_catalogue_forms_add_a_part_and_a_location(world, stock):
    client = signed_in(world.users["client_supervisor"])
    made = client.post(
        reverse("parts:item_create"),
        {"code": "KB-1", "name": "键盘", "unit": "个", "unit_price": "80.00", "vendor": world.vendor.pk},
    )
    assert made.status_code == 302
    again = client.post(
        reverse("parts:item_create"),
        {"code": "KB-1", "name": "键盘", "unit": "个", "unit_price": "80.00", "vendor": world.vendor.pk},
    )
    assert again.status_code == 400
    assert "This code is already used: KB-1" in again.content.decode()
    placed = client.post(reverse("parts:location_create"), {"code": "icu", "name": "ICU 机房", "site": world.dept.pk})
    assert placed.status_code == 302
    assert signed_in(world.users["vendor_agent"]).post(reverse("parts:item_create"), {}).status_code == 403


def test_work_order_page_lists_used_parts_and_offers_the_form(world, stocked, work_order):
    wo = work_order()
    agent = signed_in(world.users["vendor_agent"])
    used = agent.post(
        reverse("parts:consume", args=[wo.number]),
        {"item": stocked.toner.pk, "location": stocked.store.pk, "quantity": "1"},
    )
    assert used.status_code == 302
    assert StockMovement.objects.filter(kind="consume", work_order=wo).count() == 1
    html = agent.get(reverse("tickets:detail", args=[wo.number])).content.decode()
    section = html[html.index('data-testid="work-order-parts"') :]
    assert "Toner cartridge × 1 个" in section
    assert "Use a part" in section
    # The requester sees the work order, not the parts section.
    requester_html = signed_in(world.users["requester"]).get(reverse("tickets:detail", args=[wo.number]))
    assert 'data-testid="work-order-parts"' not in requester_html.content.decode()
    # Out of stock now: the refusal comes back on the work order's page as a message.
    refused = agent.post(
        reverse("parts:consume", args=[wo.number]),
        {"item": stocked.toner.pk, "location": stocked.store.pk, "quantity": "1"},
        follow=True,
    )
    assert "are on hand at 信息科备件库: 1 cannot be taken." in refused.content.decode()
