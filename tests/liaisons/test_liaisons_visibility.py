"""Who sees which liaisons, matrices and escalations: the client side all of its organisation; a vendor's staff
their own vendor's and the client side's liaisons and matrix, only their own vendor's escalations; the other vendor,
the other organisation and requesters nothing (404 on the pages). Writes: the vendor's manager only for their own
vendor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.core.errors import NotAllowed
from oversight.liaisons import selectors
from oversight.liaisons.choices import LiaisonRole, Trigger
from oversight.liaisons.services import escalation_raise
from oversight.liaisons.services.liaisons import liaison_save
from tests.factories import signed_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def escalations(world):
    def make(vendor, subject_id):
        return escalation_raise(
            trigger=Trigger.OVERDUE_ACTION,
            organisation=vendor.organisation if vendor else world.org,
            vendor=vendor,
            subject_type="meetings.actionitem",
            subject_id=subject_id,
            title=f"Action {subject_id}",
            url="",
            started_at=START,
        )

    return {"v1": make(world.vendor, 1), "v2": make(world.other_vendor, 2), "client": make(None, 3)}


def ids(qs):
    return {obj.pk for obj in qs}


def test_liaisons_per_role(world, liaisons):
    everyone = {lia.pk for lia in liaisons.values()}
    assert ids(selectors.liaison_list(user=world.users["client_supervisor"])) == everyone
    assert ids(selectors.liaison_list(user=world.users["auditor"])) == everyone
    own_and_client = {liaisons["pm"].pk, liaisons["qc"].pk, liaisons["supervisor"].pk}
    assert ids(selectors.liaison_list(user=world.users["vendor_agent"])) == own_and_client
    assert ids(selectors.liaison_list(user=world.users["other_vendor_manager"])) == {
        liaisons["other_pm"].pk,
        liaisons["supervisor"].pk,
    }
    assert ids(selectors.liaison_list(user=world.users["requester"])) == set()
    assert ids(selectors.liaison_list(user=world.users["foreign_admin"])) == set()


def test_escalations_per_role(world, escalations):
    assert ids(selectors.escalation_list(user=world.users["executive"])) == {e.pk for e in escalations.values()}
    assert ids(selectors.escalation_list(user=world.users["vendor_manager"])) == {escalations["v1"].pk}
    assert ids(selectors.escalation_list(user=world.users["other_vendor_agent"])) == {escalations["v2"].pk}
    assert ids(selectors.escalation_list(user=world.users["foreign_admin"])) == set()


def test_pages_answer_404_for_what_is_hidden(world, liaisons, escalations):
    other = signed_in(world.users["other_vendor_manager"])
    assert other.get(reverse("liaisons:liaison-detail", args=[liaisons["pm"].pk])).status_code == 404
    assert other.get(reverse("liaisons:escalation-detail", args=[escalations["v1"].pk])).status_code == 404
    assert other.get(reverse("liaisons:liaison-detail", args=[liaisons["supervisor"].pk])).status_code == 200
    foreign = signed_in(world.users["foreign_admin"])
    assert foreign.get(reverse("liaisons:liaison-detail", args=[liaisons["supervisor"].pk])).status_code == 404
    requester = signed_in(world.users["requester"])
    assert requester.get(reverse("liaisons:liaison-list")).status_code == 403


def test_vendor_manager_manages_only_their_own_vendor(world, liaisons):
    manager = world.users["vendor_manager"]
    saved = liaison_save(
        actor=manager, organisation=world.org, liaison=liaisons["qc"], name="Wang Fang (QC)", deputies=[]
    )
    assert saved.name == "Wang Fang (QC)" and saved.version == 2
    with pytest.raises(NotAllowed):
        liaison_save(actor=manager, organisation=world.org, liaison=liaisons["supervisor"], name="x")
    with pytest.raises(NotAllowed):
        liaison_save(
            actor=manager, organisation=world.org, vendor=world.other_vendor, role=LiaisonRole.QC_MANAGER, name="x"
        )
    client = signed_in(manager)
    response = client.post(
        reverse("liaisons:liaison-edit", args=[liaisons["supervisor"].pk]),
        {"role": "client_supervisor", "vendor": world.vendor.pk, "name": "x", "position": "0"},
    )
    assert response.status_code == 403


def test_pages_render_for_the_client_and_in_chinese(world, liaisons, escalations, matrix):
    client = signed_in(world.users["client_supervisor"])
    for name, args in (
        ("liaisons:liaison-list", []),
        ("liaisons:liaison-detail", [liaisons["supervisor"].pk]),
        ("liaisons:liaison-create", []),
        ("liaisons:matrix-list", []),
        ("liaisons:matrix-detail", [matrix.pk]),
        ("liaisons:escalation-list", []),
        ("liaisons:escalation-detail", [escalations["v1"].pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    world.users["client_supervisor"].language = "zh-hans"
    world.users["client_supervisor"].save(update_fields=["language"])
    body = signed_in(world.users["client_supervisor"]).get(reverse("liaisons:matrix-detail", args=[matrix.pk]))
    text = body.content.decode()
    assert "升级矩阵" in text and "第1级" in text and "逾期行动项" in text


def test_bad_form_input_is_a_form_error(world, matrix):
    client = signed_in(world.users["client_admin"])
    url = reverse("liaisons:rule-create", args=[matrix.pk])
    for data in (
        {"trigger": "open_complaint", "level": "1", "wait_hours": "2", "delivery": "in_app"},  # nobody named
        {"trigger": "open_complaint", "level": "1", "wait_hours": "2", "roles": ["qc_manager"], "delivery": "in_app"},
        {"trigger": "bogus", "level": "x", "wait_hours": "-1", "delivery": "in_app"},
        {"trigger": "open_complaint", "level": "4", "wait_hours": "0.5", "roles": ["qc_manager"], "delivery": "in_app"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
    liaison = client.post(reverse("liaisons:liaison-create"), {"role": "qc_manager", "position": "0"})
    assert liaison.status_code == 400
