"""Refreshing what a work order touches gives exactly the rows a rebuild gives; refreshing twice changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from oversight.core import clock
from oversight.demo.generator import generate_work_orders
from oversight.facts.models import COUNTERS, DailyFact, VendorDailyFact, WorkOrderFact
from oversight.facts.services import facts_add_missing, facts_rebuild, facts_refresh_work_order
from oversight.feedback.models import Complaint, Rating
from oversight.tickets.choices import ClockState, Status
from oversight.tickets.models import SLAClock, WorkOrder
from tests.facts.conftest import NOW

DAILY_ORDER = ("day", "vendor_id", "service_id", "site_id", "priority", "category_id")


def snapshot(organisation) -> tuple[list, list]:
    """Every stored value of both tables (daily rows without their surrogate id), in a fixed order."""
    work_orders = list(WorkOrderFact.objects.filter(organisation=organisation).order_by("pk").values())
    daily = [
        {k: v for k, v in row.items() if k != "id"}
        for row in DailyFact.objects.filter(organisation=organisation).order_by(*DAILY_ORDER).values()
    ]
    totals = [
        {k: v for k, v in row.items() if k != "id"}
        for row in VendorDailyFact.objects.filter(organisation=organisation).order_by("day", "vendor_id").values()
    ]
    return work_orders, daily, totals


def test_rebuild_is_repeatable_and_a_partial_rebuild_equals_a_full_one(organisation):
    with clock.frozen_at(NOW):
        counts = facts_rebuild(organisation=organisation)
        first = snapshot(organisation)
        facts_rebuild(organisation=organisation)
        assert snapshot(organisation) == first
        facts_rebuild(organisation=organisation, since=dt.date(2026, 10, 1))
        assert snapshot(organisation) == first
    assert counts["work_order_facts"] == len(first[0]) > 500
    assert counts["daily_rows"] == len(first[1]) > 0
    assert sum(row["ratings"] for row in first[1]) == Rating.objects.filter(organisation=organisation).count()
    # The vendor totals add up the daily rows of their day and vendor.
    for name in COUNTERS:
        assert sum(row[name] for row in first[2]) == sum(row[name] for row in first[1]), name
    assert counts["vendor_daily_rows"] == len(first[2]) < len(first[1])


def test_refreshing_changed_work_orders_equals_a_rebuild(organisation):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
    wos = WorkOrder.objects.filter(organisation=organisation)
    rated = Rating.objects.filter(organisation=organisation).order_by("pk").first().work_order
    other_service = wos.exclude(service=rated.service).values_list("service", flat=True).first()
    resolved = wos.filter(status=Status.CLOSED).exclude(pk=rated.pk).order_by("pk")
    changed = [rated.pk]
    # Moved to another service and priority (its rating moves with it), a work order cancelled, a resolution
    # moved to another day, a deadline moved and decided, a running clock whose breach the sweep records.
    WorkOrder.objects.filter(pk=rated.pk).update(service=other_service, priority="P1")
    cancelled = resolved[0]
    WorkOrder.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED)
    later = resolved[1]
    WorkOrder.objects.filter(pk=later.pk).update(resolved_at=F("resolved_at") + dt.timedelta(days=3))
    moved = resolved[2]
    SLAClock.objects.filter(work_order=moved, metric="response").update(
        due_at=F("due_at") - dt.timedelta(days=2), state=ClockState.BREACHED
    )
    running = SLAClock.objects.filter(work_order__organisation=organisation, state=ClockState.RUNNING)
    clock_id, swept = running.order_by("pk").values_list("pk", "work_order_id").first()
    SLAClock.objects.filter(pk=clock_id).update(
        state=ClockState.BREACHED, breached_at=F("due_at"), due_at=NOW - dt.timedelta(hours=1)
    )
    changed += [cancelled.pk, later.pk, moved.pk, swept]
    with clock.frozen_at(NOW):
        for pk in changed:
            facts_refresh_work_order(work_order_id=pk)
        refreshed = snapshot(organisation)
        for pk in changed:  # a redelivered task changes nothing
            facts_refresh_work_order(work_order_id=pk)
        assert snapshot(organisation) == refreshed
        facts_rebuild(organisation=organisation)
        assert snapshot(organisation) == refreshed
    assert not WorkOrderFact.objects.filter(pk=cancelled.pk).exists()
    assert WorkOrderFact.objects.get(pk=rated.pk).priority == "P1"


def test_refresh_after_a_work_order_is_deleted_removes_what_it_counted(organisation):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        victim = (
            WorkOrder.objects.filter(organisation=organisation, status=Status.CLOSED)
            .exclude(pk__in=Rating.objects.values("work_order"))
            .exclude(pk__in=Complaint.objects.values("work_order"))
            .order_by("-pk")
            .first()
        )
        pk = victim.pk
        victim.delete()
        assert WorkOrderFact.objects.filter(pk=pk).exists()  # kept until the refresh reads where it counted
        assert facts_refresh_work_order(work_order_id=pk) > 0
        assert not WorkOrderFact.objects.filter(pk=pk).exists()
        after = snapshot(organisation)
        facts_rebuild(organisation=organisation)
        assert snapshot(organisation) == after
        assert facts_refresh_work_order(work_order_id=10**9) == 0


def test_adding_the_missing_work_orders_after_a_bulk_load_equals_a_rebuild(organisation):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        generate_work_orders(organisation=organisation, count=80, seed=99, now=NOW, days=60)
        counts = facts_add_missing(organisation=organisation)
        added = snapshot(organisation)
        assert facts_add_missing(organisation=organisation)["work_order_facts"] == 0
        facts_rebuild(organisation=organisation)
        assert snapshot(organisation) == added
    assert 70 <= counts["work_order_facts"] <= 80  # the generated ones, less any cancelled


def test_facts_rebuild_command(organisation):
    out = StringIO()
    with clock.frozen_at(NOW):
        call_command("facts_rebuild", organisation=organisation.code, stdout=out)
        call_command("facts_rebuild", organisation=organisation.code, since="2026-11-01", stdout=out)
        call_command("facts_rebuild", organisation=organisation.code, missing=True, stdout=out)
    assert f"{organisation.code}:" in out.getvalue()
    assert DailyFact.objects.filter(organisation=organisation).exists()
    with pytest.raises(CommandError):
        call_command("facts_rebuild", organisation="nowhere", stdout=out)
    with pytest.raises(CommandError):
        call_command("facts_rebuild", since="October", stdout=out)
