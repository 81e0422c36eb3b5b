"""The contact-centre indicators: loaded per queue under the term in force on the period's first day, values
checked by hand, and a changed definition in a new contract version leaving the past period's value alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from oversight.ccmath import metrics
from oversight.contactcentre import indicators
from oversight.contactcentre.kpis import load_contact_facts
from oversight.contactcentre.models import IntervalFact
from oversight.contactcentre.services import term_save
from oversight.contracts import services as contract_services
from oversight.core import clock, kpis
from oversight.core.errors import ApplicationError
from oversight.kpi.facts import Period
from tests.contactcentre.conftest import SHANGHAI, at

pytestmark = pytest.mark.django_db


def _month(y, m) -> Period:
    end = dt.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=SHANGHAI)
    return Period(dt.datetime(y, m, 1, tzinfo=SHANGHAI), end)


def _scope(world):
    return kpis.Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=clock.now())


def _fact(queue, when, **values):
    base = {"offered": 100, "answered": 95, "answered_within_threshold": 80, "abandoned": 5, "short_abandoned": 2}
    IntervalFact.objects.create(queue=queue, interval_start=when, **(base | values))


def test_a_new_versions_definition_leaves_the_past_period_alone(world, contract, voice):
    admin = world.users["client_admin"]
    v1 = contract.versions.get(number=1)
    # The v1 term is set directly (v1 has been in force since January: the service refuses, as it should).
    from oversight.contactcentre.models import ServiceLevelTerm

    old = ServiceLevelTerm.objects.create(contract_version=v1, variant="w_over_a_plus_b", target="0.8")
    _fact(voice, at(2026, 3, 2, 9))
    _fact(voice, at(2026, 7, 6, 9))
    march = _month(2026, 3)
    before = indicators.service_level(load_contact_facts(_scope(world), march))
    assert before.value == Decimal(80)  # 80 / (95 + 5)
    assert before.groups["terms"] == (old.pk,)
    with clock.frozen_at(at(2026, 6, 10, 10)):
        v2 = contract_services.contract_amend(
            actor=admin,
            contract=contract,
            effective_from=dt.date(2026, 7, 1),
            reason="Short abandons excluded",
            fixed_fee=Decimal("130000.00"),
        )
        new = term_save(actor=admin, version=v2, variant="w_over_a_plus_b_minus_s", target=Decimal("0.85"))
    with pytest.raises(ApplicationError, match="amend the contract"), translation.override("en"):
        term_save(actor=admin, version=v1, variant="w_over_offered", target=Decimal("0.9"))
    after = indicators.service_level(load_contact_facts(_scope(world), march))
    assert (after.value, after.groups["terms"]) == (Decimal(80), (old.pk,))
    july = indicators.service_level(load_contact_facts(_scope(world), _month(2026, 7)))
    assert july.groups["terms"] == (new.pk,)
    assert july.value == Decimal(80) / Decimal(98) * 100  # 80 / (95 + 5 − 2)


def test_the_other_indicators_by_hand():
    t = metrics.interval_totals(
        interval_minutes=30,
        staffed_agents=Decimal(10),
        offered=200,
        answered=180,
        abandoned=20,
        wait_seconds=Decimal(3600),
        talk_seconds=Decimal(36000),
        hold_seconds=Decimal(1800),
        acw_seconds=Decimal(7200),
        paid_hours=Decimal(8),
    )
    facts = indicators.ContactFacts((indicators.QueueFacts(1, t, None, None),))
    assert indicators.volume(facts).value == 200
    assert indicators.asa(facts).value == 20  # 3 600 / 180
    assert indicators.abandonment(facts).value == 10  # 20 / 200
    assert indicators.aht(facts).value == 250  # 45 000 / 180
    assert indicators.occupancy(facts).value == Decimal(250)  # 45 000 / (10 × 1 800) = 2.5 → 250 %
    assert indicators.shrinkage(facts).value == Decimal("37.5")  # 1 − 5 h productive / 8 h paid
    assert indicators.service_level(facts).value is None  # no term: not measured


def test_the_sources_are_registered():
    for code in (indicators.SERVICE_LEVEL, indicators.ASA, indicators.VOLUME, indicators.SHRINKAGE):
        assert kpis.registry.find(code) is not None
