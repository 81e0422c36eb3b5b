"""Who sees which changes and templates: the client's roles all of their organisation's, vendor staff their
own vendor's changes and the whole catalogue, requesters and other organisations nothing (404)."""

from __future__ import annotations

import pytest
from django.http import Http404

from oversight.changes import selectors
from oversight.changes.choices import ChangeAction


@pytest.fixture
def two_changes(world, change):
    return change(), change(
        implementer=world.other_vendor, actor=world.users["other_vendor_agent"], services=[world.other_service]
    )


@pytest.mark.parametrize("role", ["client_admin", "client_supervisor", "executive", "auditor"])
def test_client_roles_see_every_change(world, two_changes, role):
    assert set(selectors.change_list(user=world.users[role])) == set(two_changes)


def test_vendor_staff_see_their_own_vendors_changes(world, two_changes):
    mine, theirs = two_changes
    for role in ("vendor_manager", "vendor_agent"):
        assert list(selectors.change_list(user=world.users[role])) == [mine]
    with pytest.raises(Http404):
        selectors.change_get(user=world.users["vendor_agent"], number=theirs.number)
    assert selectors.change_get(user=world.users["other_vendor_manager"], number=theirs.number) == theirs


@pytest.mark.parametrize("role", ["requester", "foreign_admin", "foreign_requester"])
def test_requesters_and_other_organisations_see_nothing(world, two_changes, template, role):
    assert not selectors.change_list(user=world.users[role]).exists()
    with pytest.raises(Http404):
        selectors.change_get_by_pk(user=world.users[role], pk=two_changes[0].pk)
    assert not selectors.template_list(user=world.users[role]).exists()


def test_every_vendor_sees_the_catalogue(world, template):
    for role in ("vendor_agent", "other_vendor_manager", "executive"):
        assert list(selectors.template_list(user=world.users[role])) == [template]


def test_cab_agenda_lists_changes_awaiting_authorisation(world, two_changes, change, template):
    first, second = two_changes
    sup = world.users["client_supervisor"]
    from oversight.changes import services

    services.change_transition(actor=sup, change=second, action=ChangeAction.REJECT, note="no")
    change(type="standard", template=template)
    assert list(selectors.changes_awaiting_authorisation(user=sup)) == [first]
