"""Who sees the register: the organisation's client roles see it all; vendor staff, requesters and another
organisation see nothing (404 on a direct read)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from oversight.risks import selectors, services


@pytest.fixture
def register(world, make_risk):
    risk = make_risk(vendor=world.vendor)
    supervisor = world.users["client_supervisor"]
    mitigation = services.mitigation_create(
        actor=supervisor, title="Spare desk", owner=supervisor, due_date=dt.date(2027, 1, 1), risks=[risk]
    )
    services.risk_rating_record(
        risk=risk, kind="inherent", probability_level=3, impact_level=3, reason="", actor=supervisor
    )
    return risk, mitigation


@pytest.mark.parametrize("role", ["client_admin", "client_supervisor", "executive", "auditor"])
def test_client_roles_see_the_register(world, register, role):
    risk, mitigation = register
    user = world.users[role]
    assert list(selectors.risk_list(user=user)) == [risk]
    assert selectors.risk_get(user=user, number=risk.number) == risk
    assert list(selectors.mitigation_list(user=user)) == [mitigation]
    assert [v.number for v in selectors.matrix_versions(user=user)] == [1]


@pytest.mark.parametrize("role", ["vendor_manager", "vendor_agent", "requester", "foreign_admin", "foreign_requester"])
def test_everyone_else_sees_nothing(world, register, role):
    risk, mitigation = register
    user = world.users[role]
    assert not selectors.risk_list(user=user).exists()
    assert not selectors.mitigation_list(user=user).exists()
    assert not selectors.matrix_versions(user=user).exists()
    with pytest.raises(Http404):
        selectors.risk_get(user=user, number=risk.number)
    with pytest.raises(Http404):
        selectors.mitigation_get(user=user, pk=mitigation.pk)
