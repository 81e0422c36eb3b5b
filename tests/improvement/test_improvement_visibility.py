"""Who sees which improvements: the client side all of its organisation's, vendor staff only their own vendor's,
requesters and the other organisation none; invisible items are 404 on pages and in the API; a source is shown
only to readers who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from oversight.improvement import selectors, sources
from oversight.tenancy.choices import Role
from tests.factories import UserFactory
from tests.improvement.conftest import complaint_of, raise_item

AT = dt.datetime(2026, 7, 6, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def items(world):
    foreign_admin = UserFactory(username="fa_imp", organisation=world.other_org, role=Role.CLIENT_ADMIN)
    return {
        "V1": raise_item(world, vendor=world.vendor),
        "V2": raise_item(world, vendor=world.other_vendor, owner=world.users["other_vendor_agent"]),
        "none": raise_item(world, vendor=None),
        "X": raise_item(
            world,
            actor=foreign_admin,
            owner=foreign_admin,
            approver=foreign_admin,
            vendor=world.foreign_vendor,
        ),
    }


EXPECTED = {
    "client_admin": {"V1", "V2", "none"},
    "client_supervisor": {"V1", "V2", "none"},
    "executive": {"V1", "V2", "none"},
    "auditor": {"V1", "V2", "none"},
    "vendor_manager": {"V1"},
    "vendor_agent": {"V1"},
    "other_vendor_manager": {"V2"},
    "other_vendor_agent": {"V2"},
    "requester": set(),
    "other_requester": set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_items(world, items, role):
    user = world.users[role]
    seen = set(selectors.item_list(user=user).values_list("pk", flat=True))
    assert seen == {items[k].pk for k in EXPECTED[role]}
    for key, item in items.items():
        if key in EXPECTED[role]:
            assert selectors.item_get(user=user, pk=item.pk) == item
        else:
            with pytest.raises(Http404):
                selectors.item_get(user=user, pk=item.pk)


def test_a_source_resolves_only_for_readers_who_may_see_it(world):
    complaint = complaint_of(world, world.service, AT)
    item = raise_item(world, vendor=None, source_kind="complaint", source_id=complaint.pk)
    seen = sources.resolve(user=world.users["vendor_agent"], kind=item.source_kind, pk=item.source_id)
    assert seen is not None and seen.url == complaint.get_absolute_url()
    assert sources.resolve(user=world.users["other_vendor_agent"], kind="complaint", pk=complaint.pk) is None
    assert sources.resolve(user=world.users["vendor_agent"], kind="manual", pk=None) is None


@pytest.mark.parametrize(
    ("role", "status"),
    [("client_supervisor", 200), ("vendor_agent", 200), ("other_vendor_agent", 404), ("requester", 403)],
)
def test_pages_and_api_answer_404_for_invisible_items(client, world, items, role, status):
    client.force_login(world.users[role])
    assert client.get(f"/improvement/{items['V1'].pk}/").status_code == status
    assert client.get(f"/api/v1/improvements/{items['V1'].pk}/").status_code == status
    assert client.get(f"/improvement/{items['X'].pk}/").status_code in (403, 404)
