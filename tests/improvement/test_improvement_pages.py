"""The register's pages and API: raise from a source by ?source=<kind>:<id> (another vendor's is refused), bad
input is a form error, the list filters and exports, an item's page shows the measurement in both languages, and
the API raises, moves (If-Match) and measures."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from oversight.core import clock
from oversight.improvement import services
from oversight.improvement.models import ImprovementItem
from tests.improvement.conftest import complaint_of, noon, raise_item, rate

DAY = dt.date
AT = dt.datetime(2026, 7, 6, 2, 0, tzinfo=dt.UTC)


def _form(world, **extra):
    data = {
        "title": "Spare fusers",
        "description": "Keep spare fusers on every floor.",
        "size": "m",
        "priority": "high",
        "owner": world.users["client_supervisor"].pk,
        "approver": world.users["client_admin"].pk,
        "source_kind": "manual",
    }
    data.update(extra)
    return data


def test_raise_from_a_complaint_by_the_source_parameter(client, world):
    complaint = complaint_of(world, world.service, AT)
    client.force_login(world.users["client_supervisor"])
    page = client.get(f"/improvement/new/?source=complaint:{complaint.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="source_id" value="{complaint.pk}"' in html and complaint.get_absolute_url() in html
    response = client.post(
        f"/improvement/new/?source=complaint:{complaint.pk}",
        _form(world, source_kind="complaint", source_id=complaint.pk),
    )
    item = ImprovementItem.objects.get(title="Spare fusers")
    assert response.status_code == 302 and response["Location"] == f"/improvement/{item.pk}/"
    assert (item.source_kind, item.source_id, item.vendor_id) == ("complaint", complaint.pk, world.vendor.pk)


def test_another_vendors_complaint_cannot_be_named(client, world):
    theirs = complaint_of(world, world.other_service, AT)
    client.force_login(world.users["vendor_manager"])
    page = client.get(f"/improvement/new/?source=complaint:{theirs.pk}", follow=True)
    assert page.redirect_chain[-1][0] == "/improvement/"
    response = client.post(
        "/improvement/new/",
        _form(world, owner=world.users["vendor_manager"].pk, source_kind="complaint", source_id=theirs.pk),
    )
    assert response.status_code == 400 and not ImprovementItem.objects.exists()


def test_a_vendor_manager_raises_without_naming_an_approver_and_an_owner_edits_the_text(client, world):
    vm = world.users["vendor_manager"]
    client.force_login(vm)
    page = client.get("/improvement/new/").content.decode()
    assert 'name="approver"' not in page
    data = _form(world, owner=vm.pk)
    del data["approver"]
    assert client.post("/improvement/new/", data).status_code == 302
    item = ImprovementItem.objects.get(title="Spare fusers")
    assert (item.vendor_id, item.approver_id, item.owner_id) == (world.vendor.pk, None, vm.pk)
    # The owner's edit form holds the text and the target date only, and saves.
    page = client.get(f"/improvement/{item.pk}/edit/").content.decode()
    assert 'name="title"' in page and 'name="priority"' not in page and 'name="owner"' not in page
    response = client.post(
        f"/improvement/{item.pk}/edit/",
        {"title": "Spare fusers on every floor", "description": "Keep them.", "version": item.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Spare fusers on every floor"
    # Another agent of the vendor is not the owner: no edit page.
    client.force_login(world.users["vendor_agent"])
    assert client.get(f"/improvement/{item.pk}/edit/").status_code == 403


def test_bad_input_is_a_form_error(client, world):
    client.force_login(world.users["client_supervisor"])
    for bad in ({"target": "lots"}, {"indicator": "csat_mean"}, {"title": ""}, {"baseline": "1"}):
        response = client.post("/improvement/new/", _form(world, vendor="", **bad))
        assert response.status_code == 400, bad
    assert not ImprovementItem.objects.exists()


def test_list_filters_and_exports(client, world):
    raise_item(world, title="Alpha fusers", priority="high")
    raise_item(world, title="Beta network", vendor=world.other_vendor, owner=world.users["client_supervisor"])
    client.force_login(world.users["client_supervisor"])
    html = client.get("/improvement/?priority=high").content.decode()
    assert "Alpha fusers" in html and "Beta network" not in html
    html = client.get(f"/improvement/?vendor={world.other_vendor.pk}").content.decode()
    assert "Beta network" in html and "Alpha fusers" not in html
    response = client.get("/improvement/export/?format=csv&priority=high")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == "Alpha fusers"
    xlsx = client.get("/improvement/export/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    # The vendor's agent sees only its vendor's item.
    client.force_login(world.users["vendor_agent"])
    html = client.get("/improvement/").content.decode()
    assert "Alpha fusers" in html and "Beta network" not in html


@pytest.fixture
def measured(world):
    for day, stars in ((7, 2), (9, 3), (11, 4), (13, 5), (15, 4)):
        rate(world, world.service, DAY(2026, 7, day), stars)
    supervisor, admin = world.users["client_supervisor"], world.users["client_admin"]
    with clock.frozen_at(noon(DAY(2026, 7, 1))):
        item = raise_item(world, indicator="csat_mean", baseline="2.5", target="4")
        for action, actor in (
            ("accept", supervisor),
            ("assess", supervisor),
            ("approve", admin),
            ("start", supervisor),
        ):
            item = services.item_transition(actor=actor, item=item, action=action)
    with clock.frozen_at(noon(DAY(2026, 7, 11))):
        item = services.item_transition(actor=supervisor, item=item, action="complete")
    return item


@pytest.mark.parametrize(("language", "words"), [("en", "The target was met."), ("zh-hans", "已达成目标")])
def test_the_item_page_shows_the_measurement(client, world, measured, language, words):
    supervisor = world.users["client_supervisor"]
    supervisor.language = language
    supervisor.save(update_fields=["language"])
    client.force_login(supervisor)
    with clock.frozen_at(noon(DAY(2026, 7, 20))):
        response = client.post(f"/improvement/{measured.pk}/measure/", {"days": "5"})
        assert response.status_code == 302
        html = client.get(f"/improvement/{measured.pk}/").content.decode()
    assert words in html
    assert 'data-testid="effect-chart"' in html and "<svg" in html
    assert "2.5" in html and "4.33" in html


def test_measuring_with_bad_days_is_a_form_error(client, world, measured):
    client.force_login(world.users["client_supervisor"])
    with clock.frozen_at(noon(DAY(2026, 7, 13))):
        assert client.post(f"/improvement/{measured.pk}/measure/", {"days": "9"}).status_code == 400
        assert client.post(f"/improvement/{measured.pk}/measure/", {"days": "x"}).status_code == 400
    client.force_login(world.users["executive"])
    assert client.post(f"/improvement/{measured.pk}/measure/", {"days": "1"}).status_code == 403


def test_the_api_raises_moves_and_measures(client, world, measured):
    client.force_login(world.users["client_supervisor"])
    complaint = complaint_of(world, world.service, AT)
    created = client.post(
        "/api/v1/improvements/",
        {
            "title": "API item",
            "description": "From the API",
            "owner": world.users["client_supervisor"].pk,
            "approver": world.users["client_admin"].pk,
            "source": f"complaint:{complaint.pk}",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"]["id"] == complaint.pk and body["allowed_actions"] == ["accept"]
    stale = client.post(
        f"/api/v1/improvements/{body['id']}/transitions/accept/",
        {},
        content_type="application/json",
        HTTP_IF_MATCH='"0-0"',
    )
    assert stale.status_code == 412
    moved = client.post(
        f"/api/v1/improvements/{body['id']}/transitions/accept/",
        {},
        content_type="application/json",
        HTTP_IF_MATCH=created["ETag"],
    )
    assert moved.status_code == 200 and moved.json()["status"] == "accepted"
    with clock.frozen_at(noon(DAY(2026, 7, 20))):
        measure = client.post(
            f"/api/v1/improvements/{measured.pk}/measurements/", {"days": 5}, content_type="application/json"
        )
    assert measure.status_code == 201, measure.content
    assert Decimal(measure.json()["before_value"]) == Decimal("2.5") and measure.json()["target_met"] is True


def test_list_query_counts_do_not_grow(client, world):
    from rest_framework.test import APIClient

    from tests.query_counts import assert_flat, count_queries

    supervisor = world.users["client_supervisor"]
    client.force_login(supervisor)
    api = APIClient()
    api.force_authenticate(supervisor)

    def measure(url):
        with count_queries() as captured:
            assert (api if url.startswith("/api/") else client).get(url).status_code == 200
        return len(captured)

    raise_item(world)
    few_page, few_api = measure("/improvement/"), measure("/api/v1/improvements/")
    for n in range(4):
        raise_item(world, title=f"More {n}", vendor=world.other_vendor, owner=world.users["other_vendor_agent"])
    assert_flat("improvement.list", few_page, measure("/improvement/"))
    assert_flat("improvement.api.improvements", few_api, measure("/api/v1/improvements/"))


def test_source_pages_link_to_raising_an_improvement_for_whoever_may(client, world):
    complaint = complaint_of(world, world.service, AT)
    link = f"/improvement/new/?source=complaint:{complaint.pk}"
    for role, shown in (
        ("client_supervisor", True),
        ("vendor_manager", True),
        ("vendor_agent", False),
        ("executive", False),
    ):
        client.force_login(world.users[role])
        html = client.get(complaint.get_absolute_url()).content.decode()
        assert (link in html) is shown, role
    client.force_login(world.users["client_supervisor"])
    html = client.get(complaint.work_order.get_absolute_url()).content.decode()
    assert f"/improvement/new/?source=breach:{complaint.work_order_id}" in html
