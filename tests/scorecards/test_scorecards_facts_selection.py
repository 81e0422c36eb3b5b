"""Which work orders an evaluation loads: the scalable selection keeps exactly the records of its definition."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.catalog import calendars
from oversight.demo.generator import generate_work_orders
from oversight.demo.scenario import build_scenario
from oversight.scorecards.facts_loader import relevant_work_orders, work_order_queryset
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


def test_selection_equals_its_definition_including_old_work_orders_due_in_the_period(organisation):
    vendor_id = WorkOrder.objects.filter(organisation=organisation).values_list("vendor_id", flat=True).first()
    base = work_order_queryset(organisation_id=organisation.pk, vendor_id=vendor_id, version=None)
    # An old, settled work order whose (projected) resolution deadline falls in the period: only the clock
    # test selects it.
    old = base.filter(created_at__lt=START - dt.timedelta(days=40), resolved_at__lt=START).order_by("pk").first()
    assert old is not None
    SLAClock.objects.filter(work_order=old, metric="resolution").update(due_at=START + dt.timedelta(days=2))
    selected = set(relevant_work_orders(base, start=START, end=END, lookback_days=30).values_list("pk", flat=True))
    assert old.pk in selected
    assert selected == _by_definition(base, 30)
    assert not WorkOrder.objects.filter(pk__in=selected, status=Status.CANCELLED).exists()
    # A shorter look-back drops received-only work orders, never the ones due or resolved in the period.
    assert set(relevant_work_orders(base, start=START, end=END, lookback_days=0).values_list("pk", flat=True)) == (
        _by_definition(base, 0)
    )
