"""What a KRI measures: a registered indicator source computed for the vendor over each month (the generic path
any app's source takes, e.g. project SPI/CPI), and the roster rules (certificate clusters, staffing shortfall),
each against values worked out by hand; the periodic task evaluates every active KRI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core.clock import frozen_at
from oversight.core.kpis import Dimension, Loader, Scope, Source, Window, registry
from oversight.kpi import IndicatorResult, Period
from oversight.risks import indicators
from oversight.risks.choices_triggers import KriRule, KriStatus
from oversight.risks.models import KriReading, RiskEvent
from oversight.risks.tasks import evaluate_key_risk_indicators
from oversight.risks.triggers import kri_evaluate, kri_save
from oversight.tenancy.models import Certificate, StaffMember
from tests.risks.triggers_fixtures import at_noon

D = dt.date
# A test source: the month's figure is the month number × 10 for the scoped vendor (so Jan 10, Feb 20, ...).
SEEN: list[tuple[int, dt.datetime, dt.datetime]] = []


def _load(scope: Scope, period: Period) -> list:
    SEEN.append((scope.vendor_id, period.start, period.end))
    return [scope.vendor_id]


def _compute(facts, window: Window) -> IndicatorResult:
    value = Decimal((window.period.end - dt.timedelta(days=1)).month * 10)
    return IndicatorResult("tests_monthly", "percent", value, Decimal(1), value, (), ())


SOURCE_ITEMS = (
    Loader("tests_monthly_loader", _load, list),
    Source(
        code="tests_monthly",
        dimension=Dimension.PROCESSES,
        unit="percent",
        higher_is_better=True,
        label="Test monthly figure",
        definition="Month × 10",
        record_kind="work_order",
        loader="tests_monthly_loader",
        compute=_compute,
    ),
)


def test_a_registered_source_is_measured_per_month_for_the_vendor(world):
    SEEN.clear()
    with registry.temporarily(*SOURCE_ITEMS), frozen_at(at_noon(D(2026, 5, 15))):
        assert ("tests_monthly", "Test monthly figure") in indicators.source_choices()
        kri = kri_save(
            actor=world.users["client_admin"],
            organisation=world.org,
            name="Monthly figure too low",
            source="tests_monthly",
            vendor=world.vendor,
            higher_is_worse=False,
            amber_threshold=Decimal("30"),
            red_threshold=Decimal("25"),
            persistence=2,
            starts_on=D(2026, 1, 1),
        )
        outcome = kri_evaluate(kri=kri)
    readings = list(KriReading.objects.filter(kri=kri).order_by("period_start"))
    # January 10 and February 20 are red (below 25); March 30 is green (30 is the last green value), April 40
    # too; January–February is one episode of two red months, already over when the KRI was first evaluated.
    assert [(r.period_start, r.value, r.status) for r in readings] == [
        (D(2026, 1, 1), Decimal(10), KriStatus.RED),
        (D(2026, 2, 1), Decimal(20), KriStatus.RED),
        (D(2026, 3, 1), Decimal(30), KriStatus.GREEN),
        (D(2026, 4, 1), Decimal(40), KriStatus.GREEN),
    ]
    assert outcome.measured == 4 and outcome.raised == []  # the episode ended before the KRI existed
    assert {vendor for vendor, _start, _end in SEEN} == {world.vendor.pk}
    # Each month is loaded over its own local bounds (Beijing midnight = 16:00 UTC the day before).
    assert (SEEN[0][1], SEEN[0][2]) == (
        dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 31, 16, tzinfo=dt.UTC),
    )


def test_an_unregistered_source_reads_no_data_instead_of_failing(world):
    with registry.temporarily(*SOURCE_ITEMS), frozen_at(at_noon(D(2026, 3, 15))):
        kri = kri_save(
            actor=world.users["client_admin"],
            organisation=world.org,
            name="Goes away",
            source="tests_monthly",
            vendor=world.vendor,
            amber_threshold=Decimal("1"),
            red_threshold=Decimal("2"),
            starts_on=D(2026, 1, 1),
        )
    with frozen_at(at_noon(D(2026, 3, 15))):
        kri_evaluate(kri=kri)
    assert set(KriReading.objects.filter(kri=kri).values_list("status", flat=True)) == {KriStatus.NO_DATA}


def _staff(world, n: int, expiries: list[dt.date | None]) -> None:
    for i in range(n):
        member = StaffMember.objects.create(vendor=world.vendor, name=f"Engineer {i}", position="onsite_engineer")
        if i < len(expiries):
            Certificate.objects.create(staff_member=member, name="Electrician", expires_on=expiries[i])


def test_a_certificate_cluster_counts_expiries_close_together_after_the_period(world, rated_risk):
    # Judged on 15 Dec for November: the 90 days after 30 Nov; 5, 20 Jan and 3 Feb fall within 30 days.
    _staff(world, 5, [D(2027, 1, 5), D(2027, 1, 20), D(2027, 2, 3), D(2027, 4, 30), D(2026, 11, 20)])
    with frozen_at(at_noon(D(2026, 12, 15))):
        kri = kri_save(
            actor=world.users["client_admin"],
            organisation=world.org,
            links=[(rated_risk, 1)],
            name="Certificates lapse together",
            rule=KriRule.CERTIFICATE_CLUSTER,
            vendor=world.vendor,
            amber_threshold=Decimal("1"),
            red_threshold=Decimal("2"),
            rule_days=30,
            starts_on=D(2026, 1, 1),
        )
        kri_evaluate(kri=kri)
    # A roster rule measures the latest complete month only (the roster keeps no history).
    reading = KriReading.objects.get(kri=kri)
    assert (reading.period_start, reading.value, reading.status) == (D(2026, 11, 1), Decimal(3), KriStatus.RED)
    assert reading.detail["expiring"] == 3
    assert RiskEvent.objects.filter(kri=kri).count() == 1


def test_the_staffing_shortfall_reads_the_contracted_positions(world, monkeypatch):
    from oversight.portfolio.selectors import PositionRow, StaffCompliance

    def compliance(vendor, on):
        assert (vendor, on) == (world.vendor, D(2026, 11, 30))
        rows = [PositionRow("onsite_engineer", 4, 3, 3), PositionRow("service_desk", 4, 4, 4)]
        return StaffCompliance(on=on, figure=None, positions=rows)

    monkeypatch.setattr(indicators, "staff_compliance", compliance)
    with frozen_at(at_noon(D(2026, 12, 2))):
        kri = kri_save(
            actor=world.users["client_admin"],
            organisation=world.org,
            name="Staffing",
            rule=KriRule.STAFFING_SHORTFALL,
            vendor=world.vendor,
            amber_threshold=Decimal("0"),
            red_threshold=Decimal("10"),
            starts_on=D(2026, 10, 1),
        )
        kri_evaluate(kri=kri)
    # 7 of 8 contracted people filled: 12.5 % short, above 10: red.
    reading = KriReading.objects.get(kri=kri)
    assert (reading.value, reading.status) == (Decimal("12.5"), KriStatus.RED)


def test_the_periodic_task_evaluates_every_active_kri(world, no_service_kri):
    with frozen_at(at_noon(D(2026, 11, 7))):
        assert evaluate_key_risk_indicators() == 1  # nothing resolved since 1 Nov: one event
        assert evaluate_key_risk_indicators() == 0
    assert KriReading.objects.filter(kri=no_service_kri).count() == 6
