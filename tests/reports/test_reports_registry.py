"""A KPI source registered by another app (tests/kpi_app) is a key figure of the service report and a dashboard row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.core import kpis
from oversight.reports import dashboard
from oversight.reports.metrics import reported_codes
from oversight.reports.periods import period_from_key
from oversight.tickets.models import WorkOrder
from tests.kpi_app import kpis as kpi_app
from tests.reports.test_reports_documents import build

D = Decimal


@pytest.fixture
def registered():
    """The test app's loader and source, registered for one test and gone after it."""
    with kpis.registry.temporarily(*kpi_app.ITEMS):
        yield kpis.registry.get(kpi_app.CODE)
    assert kpis.registry.find(kpi_app.CODE) is None


def test_a_registered_source_is_a_key_figure_of_the_service_report_and_a_dashboard_row(world, rw, registered):
    report = build(world)
    figure = report.figure(kpi_app.CODE)
    window = period_from_key("2026-09", world.org).window
    received = WorkOrder.objects.filter(
        vendor=world.vendor, created_at__gte=window.start, created_at__lt=window.end
    ).exclude(status="cancelled")
    moved = received.filter(reassignment_count__gt=0)
    assert received.count() == 4  # A, B, C, D (E is cancelled)
    expected = D(100) * moved.count() / received.count()
    assert figure.label == "Reassigned work orders" and figure.unit == "percent"
    assert abs(figure.value - expected) < D("0.0001")
    assert kpi_app.CODE in reported_codes()
    assert kpi_app.CODE in [spec.code for spec in dashboard.rows()]
