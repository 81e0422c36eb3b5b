"""Which work orders an evaluation loads: the scalable selection keeps exactly the records of its definition."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.catalog import calendars
from oversight.demo.generator import generate_work_orders
from oversight.demo.scenario import build_scenario
from oversight.scorecards import facts_loader
from oversight.scorecards.facts_loader import build_work_orders, relevant_work_order_ids, work_order_queryset
from oversight.tickets.choices import Status
from oversight.tickets.models import SLAClock, WorkOrder

NOW = dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC)
START = dt.datetime(2026, 9, 30, 16, tzinfo=dt.UTC)  # October 2026 in Beijing
END = dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC)


@pytest.fixture
def organisation(db):
    calendars._cache.clear()
    organisation = build_scenario(now=NOW).organisation
    generate_work_orders(organisation=organisation, count=400, seed=17, now=NOW, days=150)
    return organisation


def _by_definition(base, lookback_days: int) -> set[int]:
    """The module docstring's rule, evaluated in Python one work order at a time."""
    due = set(SLAClock.objects.filter(due_at__gte=START, due_at__lt=END).values_list("work_order_id", flat=True))
    out = set()
    for pk, created, resolved in base.values_list("pk", "created_at", "resolved_at"):
        if created >= END:
            continue
        if created >= START - dt.timedelta(days=lookback_days) or resolved is None or resolved >= START or pk in due:
            out.add(pk)
    return out


def _selected(organisation, vendor_id: int, lookback_days: int) -> set[int]:
    ids = relevant_work_order_ids(
        organisation_id=organisation.pk,
        vendor_id=vendor_id,
        version=None,
        start=START,
        end=END,
        lookback_days=lookback_days,
    )
    assert ids == sorted(set(ids))
    return set(ids)


def test_selection_equals_its_definition_including_old_work_orders_due_in_the_period(organisation):
    vendor_id = WorkOrder.objects.filter(organisation=organisation).values_list("vendor_id", flat=True).first()
    base = work_order_queryset(organisation_id=organisation.pk, vendor_id=vendor_id, version=None)
    # An old, settled work order whose (projected) resolution deadline falls in the period: only the clock
    # test selects it.
    old = base.filter(created_at__lt=START - dt.timedelta(days=40), resolved_at__lt=START).order_by("pk").first()
    assert old is not None
    SLAClock.objects.filter(work_order=old, metric="resolution").update(due_at=START + dt.timedelta(days=2))
    selected = _selected(organisation, vendor_id, 30)
    assert old.pk in selected
    assert selected == _by_definition(base, 30)
    assert not WorkOrder.objects.filter(pk__in=selected, status=Status.CANCELLED).exists()
    # A shorter look-back drops received-only work orders, never the ones due or resolved in the period.
    assert _selected(organisation, vendor_id, 0) == _by_definition(base, 0)


def test_reading_by_id_chunks_builds_the_same_work_orders_as_reading_by_filter(organisation, monkeypatch):
    vendor_id = WorkOrder.objects.filter(organisation=organisation).values_list("vendor_id", flat=True).first()
    base = work_order_queryset(organisation_id=organisation.pk, vendor_id=vendor_id, version=None)
    ids = sorted(_selected(organisation, vendor_id, 30))
    assert len(ids) > 20
    by_filter = list(build_work_orders(base.filter(pk__in=ids), evaluated_at=NOW))
    monkeypatch.setattr(facts_loader, "ID_CHUNK", 7)  # many chunks, each read on its own
    by_chunks = list(build_work_orders(base, evaluated_at=NOW, ids=ids))
    assert [built.row["pk"] for built in by_chunks] == [built.row["pk"] for built in by_filter]
    assert by_chunks == by_filter
