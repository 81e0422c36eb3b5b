"""Knowledge deflection and article coverage: the pure formulas and the registered sources, each against a hand
computation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.core.kpis import Scope, Window, registry
from oversight.knowledge import indicators
from oversight.knowledge import services as knowledge
from oversight.knowledge.indicators import (
    DeflectionFacts,
    KnowledgeFacts,
    PortalWorkOrderFacts,
    ResolvedWorkOrderFacts,
)
from oversight.knowledge.kpis import load_knowledge_facts
from oversight.kpi import Period
from oversight.tickets import services as tickets

UTC = dt.UTC
JULY = Period(dt.datetime(2026, 7, 1, tzinfo=UTC), dt.datetime(2026, 8, 1, tzinfo=UTC))


def at(day: int, month: int = 7) -> dt.datetime:
    return dt.datetime(2026, month, day, 9, tzinfo=UTC)


def test_deflection_formula_by_hand():
    # In July: deflections 1, 2 (3 is in August); portal work orders 10, 11, 12 (13 cancelled, 14 in June).
    # 2 / (2 + 3) = 40 %.
    facts = KnowledgeFacts(
        deflections=[DeflectionFacts(1, at(3)), DeflectionFacts(2, at(31)), DeflectionFacts(3, at(1, 8))],
        portal_work_orders=[
            PortalWorkOrderFacts(10, at(1)),
            PortalWorkOrderFacts(11, at(15)),
            PortalWorkOrderFacts(12, at(20)),
            PortalWorkOrderFacts(13, at(20), cancelled=True),
            PortalWorkOrderFacts(14, at(30, 6)),
        ],
    )
    result = indicators.knowledge_deflection(facts, JULY)
    assert (result.numerator, result.denominator, result.value) == (Decimal(2), Decimal(5), Decimal(40))
    assert result.numerator_ids == (1, 2) and result.groups["portal_work_orders"] == (10, 11, 12)
    assert indicators.knowledge_deflection(KnowledgeFacts(), JULY).value is None


def test_coverage_formula_by_hand():
    # Resolved in July: 1 (covered), 2 (not), 3 (covered), 4 (covered but cancelled: out), 5 (resolved in August).
    # 2 / 3 = 66.666…%.
    facts = KnowledgeFacts(
        resolved=[
            ResolvedWorkOrderFacts(1, at(2), True),
            ResolvedWorkOrderFacts(2, at(9), False),
            ResolvedWorkOrderFacts(3, at(30), True),
            ResolvedWorkOrderFacts(4, at(9), True, cancelled=True),
            ResolvedWorkOrderFacts(5, at(2, 8), True),
        ]
    )
    result = indicators.article_coverage(facts, JULY)
    assert (result.numerator, result.denominator) == (Decimal(2), Decimal(3))
    assert result.value == Decimal(200) / Decimal(3)
    assert result.numerator_ids == (1, 3) and result.denominator_ids == (1, 2, 3)


def _resolve(world, title, service=None):
    wo = tickets.work_order_create(actor=world.users["requester"], service=service or world.service, title=title)
    agent = world.users["vendor_agent" if (service or world.service) == world.service else "other_vendor_agent"]
    wo = tickets.work_order_transition(actor=agent, work_order=wo, action="accept")
    return tickets.work_order_transition(actor=agent, work_order=wo, action="resolve", resolution="done")


def test_registered_sources_against_the_database(world, article):
    """Vendor V1 this month: 3 portal work orders (2 resolved), 1 deflection; coverage 1 of 2 after linking one.

    Deflection 1 / (1 + 3) = 25 %. Coverage: the article is about V2's service (it covers neither of
    V1's work orders by service or category); recording it as the solution of the first makes 1 / 2 = 50 %."""
    first, second = _resolve(world, "A"), _resolve(world, "B")
    tickets.work_order_create(actor=world.users["requester"], service=world.service, title="C")
    other = article(title="网络", body="x", publish=True, audience="requesters", services=[world.other_service])
    knowledge.deflection_record(actor=world.users["requester"], article=other, title="t", service=world.service)
    knowledge.deflection_record(actor=world.users["requester"], article=other, title="t", service=world.other_service)
    now = clock.now()
    period = Period(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=now)
    window = Window(period=period, at=now)
    deflection = registry.get("knowledge_deflection")
    coverage = registry.get("article_coverage")
    result = deflection.compute(load_knowledge_facts(scope, period), window)
    assert (result.numerator, result.denominator, result.value) == (Decimal(1), Decimal(4), Decimal(25))
    assert coverage.compute(load_knowledge_facts(scope, period), window).value == Decimal(0)
    knowledge.article_link_work_order(actor=world.users["vendor_agent"], article=other, work_order=first)
    result = coverage.compute(load_knowledge_facts(scope, period), window)
    assert (result.numerator, result.denominator, result.numerator_ids) == (Decimal(1), Decimal(2), (first.pk,))
    # An article published for V1's service covers both.
    article(title="桌面", body="y", publish=True, services=[world.service])
    result = coverage.compute(load_knowledge_facts(scope, period), window)
    assert (result.numerator, result.denominator) == (Decimal(2), Decimal(2))
    assert second.pk in result.numerator_ids
