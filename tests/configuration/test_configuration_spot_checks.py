"""CMDB spot checks and the accuracy indicator: the service's refusals and audit, the pure formula and the
registered source against hand-computed values, the pages in both languages and the API."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.configuration import indicators, spotchecks
from oversight.configuration.kpis import load_checked_items
from oversight.configuration.models import SpotCheck
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.kpis import SCHEME, Scope, Window, registry
from oversight.kpi import Period
from tests.factories import signed_in
from tests.query_counts import assert_flat, count_queries

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOVEMBER = Period(dt.datetime(2026, 11, 1, tzinfo=SHANGHAI), dt.datetime(2026, 12, 1, tzinfo=SHANGHAI))


def day(d: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, d)


@pytest.fixture
def checked(world, ci):
    """The worked example of docs/formulas.md: Desk Co 3 of 6 correct in November, one more in October, one of
    Net Co's in November."""
    world.org.time_zone = "Asia/Shanghai"
    world.org.save(update_fields=["time_zone"])
    supervisor = world.users["client_supervisor"]
    a, b = ci("PC-A", kind="workstation"), ci("PC-B", kind="workstation")
    other = ci("SW-1", kind="network_device", vendor=world.other_vendor)
    record = spotchecks.spot_check_record
    checks = {
        "nov5": record(
            actor=supervisor,
            vendor=world.vendor,
            checked_on=day(5),
            results=[(a, "name", True), (a, "serial", True), (b, "site", True), (b, "status", False)],
        ),
        "nov20": record(
            actor=supervisor, vendor=world.vendor, checked_on=day(20), results=[(a, "site", False), (b, "name", False)]
        ),
        "oct31": record(actor=supervisor, vendor=world.vendor, checked_on=day(31, 10), results=[(a, "name", True)]),
        "dec1": record(actor=supervisor, vendor=world.vendor, checked_on=day(1, 12), results=[(a, "name", False)]),
        "net": record(
            actor=supervisor, vendor=world.other_vendor, checked_on=day(10), results=[(other, "name", False)]
        ),
    }
    return {"a": a, "b": b, "other": other, **checks}


def test_the_formula_counts_checked_fields_of_the_period():
    items = [
        indicators.CheckedItem(1, dt.datetime(2026, 11, 5, tzinfo=SHANGHAI), True),
        indicators.CheckedItem(2, dt.datetime(2026, 11, 5, tzinfo=SHANGHAI), False),
        indicators.CheckedItem(3, dt.datetime(2026, 10, 31, tzinfo=SHANGHAI), True),
        indicators.CheckedItem(4, dt.datetime(2026, 12, 1, tzinfo=SHANGHAI), True),
    ]
    result = indicators.cmdb_accuracy(items, NOVEMBER)
    assert (result.numerator, result.denominator, result.value) == (Decimal(1), Decimal(2), Decimal(50))
    assert result.numerator_ids == (1,) and result.denominator_ids == (1, 2)
    assert indicators.cmdb_accuracy([], NOVEMBER).value is None


def test_the_registered_source_gives_the_worked_example(world, checked):
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=clock.now())
    source = registry.get("cmdb_accuracy")
    result = source.compute(load_checked_items(scope, NOVEMBER), Window(period=NOVEMBER, at=clock.now()))
    # By hand: 5 Nov 3 of 4 correct, 20 Nov 0 of 2; 31 Oct and 1 Dec are outside; Net Co's is not Desk Co's.
    assert (result.numerator, result.denominator) == (Decimal(3), Decimal(6))
    assert result.value == Decimal(50)
    records = registry.record_kind("configuration.spot_check_item").records(
        user=world.users["vendor_agent"], period=None, ids=result.numerator_ids
    )
    assert sorted((r.ci.name, r.field) for r in records) == [("PC-A", "name"), ("PC-A", "serial"), ("PC-B", "site")]
    assert source.uses == frozenset({SCHEME})


def test_the_service_refuses_what_is_not_a_check_of_the_vendor(world, ci):
    supervisor = world.users["client_supervisor"]
    mine, theirs = ci("PC-A", kind="workstation"), ci("SW", kind="network_device", vendor=world.other_vendor)
    record = spotchecks.spot_check_record
    with pytest.raises(ApplicationError):
        record(actor=supervisor, vendor=world.vendor, checked_on=day(5), results=[])
    with pytest.raises(ApplicationError):
        record(actor=supervisor, vendor=world.vendor, checked_on=day(5), results=[(theirs, "name", True)])
    with pytest.raises(ApplicationError):
        record(actor=supervisor, vendor=world.vendor, checked_on=day(5), results=[(mine, "colour", True)])
    with pytest.raises(ApplicationError):
        record(
            actor=supervisor,
            vendor=world.vendor,
            checked_on=day(5),
            results=[(mine, "name", True), (mine, "name", False)],
        )
    with pytest.raises(ApplicationError):
        future = clock.now().date() + dt.timedelta(days=3)
        record(actor=supervisor, vendor=world.vendor, checked_on=future, results=[(mine, "name", True)])
    for role in ("vendor_manager", "executive", "auditor"):
        with pytest.raises(NotAllowed):
            record(actor=world.users[role], vendor=world.vendor, checked_on=day(5), results=[(mine, "name", True)])
    assert not SpotCheck.objects.exists()
    check = record(actor=supervisor, vendor=world.vendor, checked_on=day(5), results=[(mine, "name", True)])
    entry = AuditEntry.objects.get(action="configuration.spotcheck.created")
    assert entry.after == {"vendor": world.vendor.pk, "checked_on": "2026-11-05", "checked": 1, "correct": 1}
    assert str(entry.object_id) == str(check.pk)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ("CMDB spot checks", "Accuracy", "Desk Co")), ("zh-hans", ("配置库抽查", "准确率", "Desk Co"))],
)
def test_pages_list_each_check_with_its_accuracy(world, checked, language, words):
    supervisor = world.users["client_supervisor"]
    supervisor.language = language
    supervisor.save(update_fields=["language"])
    client = signed_in(supervisor)
    text = client.get("/configuration/spot-checks/").content.decode()
    for word in words:
        assert word in text
    assert f'data-accuracy="{checked["nov5"].pk}">75.0%<' in text
    detail = client.get(f"/configuration/spot-checks/{checked['nov5'].pk}/").content.decode()
    assert "(75.0%)" in detail
    # The vendor sees its own checks, not the other vendor's.
    vendor_text = signed_in(world.users["vendor_agent"]).get("/configuration/spot-checks/").content.decode()
    assert "Net Co" not in vendor_text
    assert (
        signed_in(world.users["vendor_agent"]).get(f"/configuration/spot-checks/{checked['net'].pk}/").status_code
        == 404
    )


def test_recording_a_check_on_the_page(world, ci):
    a, b = ci("PC-A", kind="workstation", serial="SN-A"), ci("PC-B", kind="workstation")
    client = signed_in(world.users["client_supervisor"])
    form = client.get("/configuration/spot-checks/new/", {"vendor": world.vendor.pk})
    assert form.status_code == 200 and "SN-A" in form.content.decode()
    response = client.post(
        "/configuration/spot-checks/new/",
        {
            "vendor": world.vendor.pk,
            "ci": [a.pk, b.pk],
            "checked_on": "2026-11-05",
            f"r_{a.pk}_serial": "ok",
            f"r_{a.pk}_site": "wrong",
            f"r_{b.pk}_name": "ok",
        },
    )
    assert response.status_code == 302
    check = SpotCheck.objects.get()
    assert sorted((i.ci_id, i.field, i.correct) for i in check.items.all()) == sorted(
        [(a.pk, "serial", True), (a.pk, "site", False), (b.pk, "name", True)]
    )
    empty = client.post(
        "/configuration/spot-checks/new/", {"vendor": world.vendor.pk, "ci": [a.pk], "checked_on": "2026-11-05"}
    )
    assert empty.status_code == 400
    assert signed_in(world.users["vendor_manager"]).get("/configuration/spot-checks/new/").status_code == 403


def test_the_api_records_and_lists_spot_checks(world, ci, api):
    a = ci("PC-A", kind="workstation")
    client = api("client_supervisor")
    body = {
        "vendor": world.vendor.pk,
        "checked_on": "2026-11-05",
        "items": [{"ci": a.pk, "field": "name", "correct": True}, {"ci": a.pk, "field": "site", "correct": False}],
    }
    created = client.post("/api/v1/spot-checks/", body, format="json")
    assert created.status_code == 201
    assert (created.json()["checked"], created.json()["correct"]) == (2, 1)
    assert client.post("/api/v1/spot-checks/", {**body, "items": []}, format="json").status_code == 400
    assert api("executive").post("/api/v1/spot-checks/", body, format="json").status_code == 403
    assert [c["id"] for c in api("vendor_agent").get("/api/v1/spot-checks/").json()["results"]] == [
        created.json()["id"]
    ]
    assert api("other_vendor_agent").get("/api/v1/spot-checks/").json()["results"] == []
    with translation.override("en"):
        assert api("foreign_admin").get(f"/api/v1/spot-checks/{created.json()['id']}/").status_code == 404


def test_the_spot_check_lists_query_counts_do_not_grow(world, ci, api):
    supervisor = world.users["client_supervisor"]
    page, client = signed_in(supervisor), api("client_supervisor")
    cis = [ci(f"PC-{i}", kind="workstation") for i in range(4)]

    def counts():
        measured = []
        for get in (lambda: page.get("/configuration/spot-checks/"), lambda: client.get("/api/v1/spot-checks/")):
            with count_queries() as queries:
                assert get().status_code == 200
            measured.append(len(queries))
        return measured

    def record(n):
        results = [(c, "name", i % 2 == 0) for i, c in enumerate(cis[: n + 1])]
        spotchecks.spot_check_record(actor=supervisor, vendor=world.vendor, checked_on=day(1 + n), results=results)

    record(0)
    few = counts()
    for n in range(1, 4):
        record(n)
    many = counts()
    assert_flat("configuration.spot_checks", few[0], many[0])
    assert_flat("configuration.api.spot_checks", few[1], many[1])
