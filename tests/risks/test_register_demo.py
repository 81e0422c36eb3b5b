"""The demo register: 30+ risks of every category over the three demo vendors, rated four ways, mitigations
shared by risks, reviews, exactly one overdue review and one overdue mitigation; loaded once."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.demo.scenario import build_scenario
from oversight.risks import selectors
from oversight.risks.choices import RiskCategory, RiskStatus
from oversight.risks.demo import OVERDUE_MITIGATION_TITLE, OVERDUE_REVIEW_TITLE, load_demo_risks
from oversight.risks.models import Mitigation, Risk, RiskRating, RiskReview

NOW = dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC)


@pytest.fixture
def scenario(db):
    return build_scenario(now=NOW)


def test_demo_register(scenario):
    organisation = scenario.organisation
    made = load_demo_risks(organisation)
    assert len(made) >= 30
    assert {r.category for r in made} == set(RiskCategory.values)
    assert {r.vendor.code for r in made if r.vendor_id} == {"desk", "net", "his"}
    assert {r.status for r in made} == set(RiskStatus.values)
    assert all("\u4e00" <= r.title[0] <= "\u9fff" or r.title[0].isascii() for r in made) and all(
        r.title_en for r in made
    )
    rated = [r for r in made if r.level]
    assert all(
        set(RiskRating.objects.filter(risk=r).values_list("kind", flat=True))
        == {"inherent", "current", "target", "residual"}
        for r in rated
    )
    assert Mitigation.objects.filter(organisation=organisation).count() >= 10
    assert any(m.risks.count() > 1 for m in Mitigation.objects.filter(organisation=organisation))
    assert RiskReview.objects.filter(risk__organisation=organisation).count() >= 25
    admin = scenario.users["admin"]
    assert [r.title for r in selectors.risks_review_overdue(user=admin)] == [OVERDUE_REVIEW_TITLE]
    assert [m.title for m in selectors.mitigations_overdue(user=admin)] == [OVERDUE_MITIGATION_TITLE]
    # Loaded once.
    assert [r.pk for r in load_demo_risks(organisation)] == [r.pk for r in made]
    assert Risk.objects.filter(organisation=organisation).count() == len(made)
