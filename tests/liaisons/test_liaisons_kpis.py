"""The liaisons indicators: pure formulas checked against hand calculations, and the loader that attributes
escalations and hotline reports to a vendor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.core.clock import frozen_at
from oversight.core.kpis import Scope, registry
from oversight.kpi.facts import Period
from oversight.liaisons import indicators
from oversight.liaisons.choices import HotlineStatus, Trigger
from oversight.liaisons.kpis import load_liaison_facts
from oversight.liaisons.models import HotlineReport
from oversight.liaisons.services import escalation_raise
from oversight.liaisons.services.hotline import hotline_area_save, hotline_page_save

UTC = dt.UTC
MARCH = Period(dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC))


def at(day, hour=0):
    return dt.datetime(2026, 3, day, hour, tzinfo=UTC) if day > 0 else dt.datetime(2026, 2, 28 + day, hour, tzinfo=UTC)


def test_escalations_count_those_started_in_the_period():
    rows = [
        indicators.EscalationFacts(1, at(1)),
        indicators.EscalationFacts(2, at(31, 23)),
        indicators.EscalationFacts(3, dt.datetime(2026, 4, 1, tzinfo=UTC)),  # the end is excluded
        indicators.EscalationFacts(4, at(0, 23)),  # 28 February
    ]
    result = indicators.escalations(rows, MARCH)
    assert result.value == 2 and result.numerator_ids == (1, 2)


def test_hotline_resolution_time_is_the_mean_over_reports_resolved_in_the_period():
    rows = [
        indicators.HotlineFacts(1, at(2, 8), at(2, 13)),  # 5 h
        indicators.HotlineFacts(2, at(0, 23), at(1, 0)),  # received in February, resolved in March: 1 h
        indicators.HotlineFacts(3, at(3, 8)),  # not resolved
        indicators.HotlineFacts(4, at(0, 1), at(0, 2)),  # resolved in February: not this period
    ]
    result = indicators.hotline_resolution_time(rows, MARCH)
    assert result.value == Decimal(10800)  # (5 h + 1 h) / 2 = 3 h
    assert result.numerator_ids == (1, 2)
    assert indicators.hotline_reports(rows, MARCH).value == 2  # received in March: 1 and 3
    assert indicators.hotline_resolution_time([], MARCH).value is None


def test_sources_are_registered():
    for code in (indicators.ESCALATIONS, indicators.HOTLINE_REPORTS, indicators.HOTLINE_RESOLUTION_TIME):
        assert registry.find(code) is not None


@pytest.mark.django_db
def test_loader_attributes_to_the_vendor(world):
    admin = world.users["client_admin"]
    for vendor, subject in ((world.vendor, 1), (world.other_vendor, 2), (None, 3)):
        escalation_raise(
            trigger=Trigger.OVERDUE_ACTION,
            organisation=world.org,
            vendor=vendor,
            subject_type="meetings.actionitem",
            subject_id=subject,
            title="t",
            url="",
            started_at=at(5),
        )
    with frozen_at(at(1)):
        page = hotline_page_save(actor=admin, organisation=world.org, title="Hotline")
        desk = hotline_area_save(actor=admin, page=page, name="Desk", vendor=world.vendor)
    HotlineReport.objects.create(organisation=world.org, area=desk, description="a", received_at=at(2))
    HotlineReport.objects.create(
        organisation=world.org,
        area=desk,
        description="b",
        received_at=at(3),
        resolved_at=at(3, 4),
        status=HotlineStatus.RESOLVED,
    )
    HotlineReport.objects.create(organisation=world.org, description="nobody's", received_at=at(4))
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=at(31))
    facts = load_liaison_facts(scope, MARCH)
    assert len(facts.escalations) == 1
    assert sorted(r.description for r in HotlineReport.objects.filter(pk__in=[f.id for f in facts.reports])) == [
        "a",
        "b",
    ]
    assert indicators.hotline_resolution_time(facts.reports, MARCH).value == Decimal(4 * 3600)
