"""Figures read from the service facts equal the indicators computed from the work orders, period by period."""

from __future__ import annotations

from types import SimpleNamespace

from oversight.core import clock
from oversight.facts.selectors import CODES as FACT_CODES
from oversight.facts.selectors import fact_figures, vendors_with_work
from oversight.facts.services import facts_rebuild
from oversight.reports.metrics import REPORTED_CODES, fact_period_figures, vendor_figures
from oversight.reports.periods import period_containing, trailing_periods
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.models import Vendor
from oversight.tickets.models import WorkOrder
from tests.facts.conftest import NOW


def _figures(result) -> tuple:
    return (result.value, result.numerator, result.denominator)


def _compare(organisation, periods, version=None) -> int:
    """Assert facts == work orders for every vendor, period and reported code; return the figures compared.

    ``fact_figures`` reads the codes the facts hold; ``fact_period_figures`` (what reports and the dashboard
    show) adds the reported sources of other apps through their own loaders, so both are compared.
    """
    assert FACT_CODES <= REPORTED_CODES
    vendors = list(Vendor.objects.filter(organisation=organisation).order_by("pk"))
    vendor_ids = [v.pk for v in vendors]
    from_facts = fact_figures(organisation=organisation, vendor_ids=vendor_ids, periods=periods, version=version)
    shown = fact_period_figures(organisation=organisation, vendor_ids=vendor_ids, periods=periods, version=version)
    compared = 0
    for vendor in vendors:
        old = vendor_figures(organisation=organisation, vendor=vendor, periods=periods, version=version)
        for before, after, report in zip(old, from_facts[vendor.pk], shown[vendor.pk], strict=True):
            assert after.received == before.received == report.received, (vendor, before.period.key)
            assert set(after.results) == FACT_CODES
            assert set(report.results) == set(before.results) == REPORTED_CODES
            for code in REPORTED_CODES:
                if code in FACT_CODES:
                    assert _figures(after.results[code]) == _figures(before.results[code]), (
                        vendor.code,
                        before.period.key,
                        code,
                    )
                assert _figures(report.results[code]) == _figures(before.results[code]), (
                    vendor.code,
                    before.period.key,
                    code,
                )
                compared += 1
    return compared


def test_monthly_and_quarterly_figures_equal_the_work_order_path(organisation):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        running = period_containing(PeriodKind.MONTHLY, NOW.date(), organisation)
        months = trailing_periods(running, organisation, 6)
        quarters = trailing_periods(period_containing(PeriodKind.QUARTERLY, NOW.date(), organisation), organisation, 3)
        compared = _compare(organisation, months) + _compare(organisation, quarters)
    assert compared > 100
    # The generated data really exercises the figures: work in every month, ratings and reopens somewhere.
    assert WorkOrder.objects.filter(organisation=organisation, reopen_count__gt=0).exists()


def test_figures_within_a_contract_scope_equal_the_work_order_path(organisation):
    services = list(
        WorkOrder.objects.filter(organisation=organisation).values_list("service", flat=True).distinct()[:3]
    )
    sites = list(
        WorkOrder.objects.filter(organisation=organisation, site__isnull=False).values_list("site", flat=True)[:1]
    )
    from oversight.catalog.models import Service
    from oversight.tenancy.models import Site

    # A contract version's scope as facts_loader.scope_q reads it: its services and its sites (with sub-sites).
    version = SimpleNamespace(
        services=SimpleNamespace(all=lambda: list(Service.objects.filter(pk__in=services))),
        sites=SimpleNamespace(all=lambda: list(Site.objects.filter(pk__in=sites))),
    )
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        running = period_containing(PeriodKind.MONTHLY, NOW.date(), organisation)
        assert _compare(organisation, trailing_periods(running, organisation, 4), version) > 0


def test_vendors_with_work_are_those_with_a_received_work_order(organisation):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        month = period_containing(PeriodKind.MONTHLY, NOW.date(), organisation)
    ids = list(Vendor.objects.filter(organisation=organisation).values_list("pk", flat=True))
    expected = set(
        WorkOrder.objects.filter(organisation=organisation, created_at__gte=month.start_at, created_at__lt=month.end_at)
        .exclude(status="cancelled")
        .values_list("vendor_id", flat=True)
    )
    assert vendors_with_work(organisation=organisation, vendor_ids=ids, first=month.first, last=month.last) == expected
    assert expected


def test_volumes_by_service_equal_the_work_order_counts(organisation):
    from django.db.models import Count

    from oversight.facts.selectors import volumes_by_service
    from oversight.scorecards.facts_loader import RESOLVED_STATUSES, work_order_queryset

    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        month = trailing_periods(period_containing(PeriodKind.MONTHLY, NOW.date(), organisation), organisation, 2)[0]
    for vendor in Vendor.objects.filter(organisation=organisation):
        base = work_order_queryset(organisation_id=organisation.pk, vendor_id=vendor.pk, version=None)
        received = base.filter(created_at__gte=month.start_at, created_at__lt=month.end_at)
        resolved = base.filter(
            status__in=RESOLVED_STATUSES, resolved_at__gte=month.start_at, resolved_at__lt=month.end_at
        )
        expected = {}
        for key, qs in ((0, received), (1, resolved)):
            for row in qs.values("service_id").annotate(n=Count("pk")).order_by():
                counts = expected.setdefault(row["service_id"], [0, 0])
                counts[key] = row["n"]
        got = volumes_by_service(
            organisation_id=organisation.pk, vendor_id=vendor.pk, version=None, first=month.first, last=month.last
        )
        assert got == {pk: tuple(v) for pk, v in expected.items()}
        assert got or not received.exists()
