"""The demo evaluations: for each demo vendor the template scheme, two locked quarters, an open one, manual values
with evidence and one accepted and one rejected dispute - built through the services, and loading twice is harmless."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.core import clock
from oversight.demo.generator import generate_work_orders
from oversight.demo.scenario import build_scenario
from oversight.scorecards import services
from oversight.scorecards.demo import load_demo_evaluations
from oversight.scorecards.models import Dispute, Evidence, Exclusion, IndicatorScheme, ManualEntry
from oversight.tenancy.models import User

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC)


def test_the_demo_has_two_locked_quarters_and_an_open_one_per_vendor():
    with clock.frozen_at(NOW):
        scenario = build_scenario(now=NOW)
        generate_work_orders(organisation=scenario.organisation, count=1500, seed=7, days=183)
        periods = load_demo_evaluations(scenario.organisation)
    by_vendor: dict[str, list] = {}
    for period in periods:
        by_vendor.setdefault(period.vendor.code, []).append(period)
    assert set(by_vendor) == {"desk", "net", "his"}
    for code, items in by_vendor.items():
        # The desk vendor's latest complete quarter stays published and open for dispute (README journey).
        latest = "published" if code == "desk" else "locked"
        assert [(p.label, p.status) for p in items] == [
            ("2026-Q2", "locked"),
            ("2026-Q3", latest),
            ("2026-Q4", "draft"),
        ], code
        assert all(p.total_score is not None for p in items), code
        assert all(p.problems == [] for p in items), code
        signed = items[:1] if code == "desk" else items[:2]
        assert all(p.client_signed_by and p.vendor_signed_by for p in signed)
    assert IndicatorScheme.objects.count() == 3
    assert ManualEntry.objects.count() == 3 * 3 * 4  # dress code, spares, documentation, inspections
    assert Evidence.objects.filter(manual_entry__isnull=False).count() == 36
    assert sorted(Dispute.objects.values_list("status", flat=True)) == ["accepted", "rejected"]
    assert Exclusion.objects.count() == 1
    counts = (len(periods), ManualEntry.objects.count(), Dispute.objects.count())
    with clock.frozen_at(NOW):
        again = load_demo_evaluations(scenario.organisation)
    assert (len(again), ManualEntry.objects.count(), Dispute.objects.count()) == counts
    assert [p.pk for p in again] == [p.pk for p in periods]


def test_the_desk_manager_can_dispute_the_published_quarter_right_away():
    """Every README journey at once: the vendor manager disputes without the supervisor publishing first."""
    with clock.frozen_at(NOW):
        scenario = build_scenario(now=NOW)
        generate_work_orders(organisation=scenario.organisation, count=600, seed=7, days=183)
        periods = load_demo_evaluations(scenario.organisation)
    published = [p for p in periods if p.status == "published"]
    assert [(p.vendor.code, p.label) for p in published] == [("desk", "2026-Q3")]
    period = published[0]
    assert period.dispute_deadline > NOW + dt.timedelta(days=1)
    manager = User.objects.get(username="desk_manager")
    with clock.frozen_at(NOW + dt.timedelta(hours=1)):
        claim = services.dispute_open(
            period=period, actor=manager, indicator_code="documentation", reason="Demo: a dispute right away."
        )
    assert claim.status == "open"
