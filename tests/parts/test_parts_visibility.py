"""Who sees which parts, stock and ledger rows (the one gate), and 404 for what they may not see."""

from __future__ import annotations

import pytest
from django.http import Http404

from oversight.parts import selectors
from tests.parts.conftest import receive


@pytest.fixture
def stocked(stock):
    receive(stock, stock.toner, stock.store, 2)
    receive(stock, stock.switch, stock.ward, 1)
    return stock


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("client_admin", ["SFP-10G", "TN-01"]),
        ("client_supervisor", ["SFP-10G", "TN-01"]),
        ("executive", ["SFP-10G", "TN-01"]),
        ("auditor", ["SFP-10G", "TN-01"]),
        ("vendor_manager", ["TN-01"]),
        ("vendor_agent", ["TN-01"]),
        ("other_vendor_agent", ["SFP-10G"]),
        ("requester", []),
        ("foreign_admin", []),
    ],
)
def test_items_levels_and_movements_follow_the_parts_vendor(world, stocked, role, codes):
    user = world.users[role]
    assert sorted(selectors.item_list(user=user).values_list("code", flat=True)) == codes
    assert sorted(selectors.level_list(user=user).values_list("item__code", flat=True)) == codes
    assert sorted(selectors.movement_list(user=user).values_list("item__code", flat=True)) == codes


def test_an_invisible_part_is_404(world, stocked):
    with pytest.raises(Http404):
        selectors.item_get(user=world.users["vendor_agent"], pk=stocked.switch.pk)
    with pytest.raises(Http404):
        selectors.item_get(user=world.users["foreign_admin"], pk=stocked.toner.pk)
    assert selectors.item_get(user=world.users["vendor_agent"], pk=stocked.toner.pk) == stocked.toner


def test_locations_are_shared_with_vendor_staff_but_not_requesters(world, stocked):
    assert selectors.location_list(user=world.users["other_vendor_agent"]).count() == 2
    assert selectors.location_list(user=world.users["requester"]).count() == 0
    assert selectors.location_list(user=world.users["foreign_admin"]).count() == 0
