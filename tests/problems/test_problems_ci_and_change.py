"""A problem's configuration items and the change that caused it: set on creation and edit, own organisation
only, audited, shown through the gate."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.changes import services as changes
from oversight.configuration import services as cmdb
from oversight.configuration.models import CIClass
from oversight.core.errors import ApplicationError
from oversight.problems import services


@pytest.fixture
def server(world):
    cmdb.ci_classes_seed(actor=world.users["client_admin"], organisation=world.org)
    server_class = CIClass.objects.get(organisation=world.org, code="server")

    def make(name, vendor=None):
        return cmdb.ci_create(
            actor=world.users["client_supervisor"], ci_class=server_class, name=name, vendor=vendor or world.vendor
        )

    return make


@pytest.fixture
def a_change(world):
    return changes.change_create(
        actor=world.users["vendor_agent"],
        title="Upgrade printer firmware",
        implementer=world.vendor,
        implementation_plan="Flash the firmware",
        backout_plan="Flash the old one",
        services=[world.service],
    )


def test_set_on_create_and_edit_and_audited(world, problem, server, a_change):
    one, two = server("print-01"), server("print-02")
    p = problem(configuration_items=[one], caused_by_change=a_change)
    assert list(p.configuration_items.all()) == [one] and p.caused_by_change == a_change
    p = services.problem_update(
        actor=world.users["client_supervisor"], problem=p, configuration_items=[one, two], caused_by_change=None
    )
    assert set(p.configuration_items.all()) == {one, two} and p.caused_by_change is None
    entry = AuditEntry.objects.filter(action="problems.problem.updated").latest("pk")
    assert entry.after["configuration_items"] == sorted([one.pk, two.pk]) and entry.before["caused_by_change"]
    # Editing something else leaves the items alone.
    p = services.problem_update(actor=world.users["client_supervisor"], problem=p, title="Renamed")
    assert p.configuration_items.count() == 2


def test_another_organisations_item_is_refused(world, problem, server):
    cmdb.ci_classes_seed(actor=world.users["foreign_admin"], organisation=world.other_org)
    foreign = cmdb.ci_create(
        actor=world.users["foreign_admin"],
        ci_class=CIClass.objects.get(organisation=world.other_org, code="server"),
        name="far-01",
        vendor=world.foreign_vendor,
    )
    with pytest.raises(ApplicationError):
        problem(configuration_items=[foreign])


def test_page_and_api_show_them_through_the_gate(world, client, problem, server, a_change):
    mine, theirs = server("print-01"), server("core-sw", vendor=world.other_vendor)
    p = problem(vendor=world.vendor, configuration_items=[mine, theirs], caused_by_change=a_change)
    client.force_login(world.users["client_supervisor"])
    with translation.override("en"):
        page = client.get(p.get_absolute_url()).content.decode()
    assert "print-01" in page and "core-sw" in page and "Upgrade printer firmware" in page
    client.force_login(world.users["vendor_agent"])
    page = client.get(p.get_absolute_url()).content.decode()
    assert "print-01" in page and "core-sw" not in page  # the other vendor's CI stays hidden
    body = client.get(f"/api/v1/problems/{p.pk}/").json()
    assert body["configuration_items"] == [mine.pk] and body["caused_by_change"] == a_change.pk
    client.force_login(world.users["client_supervisor"])
    response = client.post(
        reverse("problems:edit", args=[p.pk]),
        {"title": p.title, "impact": 2, "urgency": 2, "version": p.version, "configuration_items": [mine.pk]},
    )
    assert response.status_code == 302
    assert list(p.configuration_items.all()) == [mine]
