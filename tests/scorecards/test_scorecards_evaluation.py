"""Every computed indicator of a period, from work orders, clocks, ratings and complaints in the database, equals
an independent hand calculation on the fixture of tests/scorecards/conftest.py; so do points, score, commitments,
unit counts and the drill-down ids.

The fixture (Q3 2026, P3: respond 60 min, resolve 16 h, on-site 4 h, wall-clock calendar):

| WO | received | response | on-site | resolution | notes |
|----|----------|----------|---------|------------|-------|
| A  | T0       | 10 min ✓ | n/a     | 2 h ✓      | rated 5★, recommend 10 |
| B  | T0+1d    | 90 min ✗ | n/a     | 20 h ✗     | rated 2★ (recommend 3), one complaint |
| C  | T0+2d    | 30 min ✓ | 5 h ✗   | 6 h, reopened at 8 h, resolved at 10 h: 8 h counted ✓ | |
| D  | T0+3d    | 20 min ✓ | n/a     | 3 h ✓      | reassigned once; rated 4★ (recommend 8) |
| E  | T0+80d   | never: due T0+80d+1 h ✗ | n/a | never: due T0+80d+16 h ✗ | open at the quarter end |
| F  | cancelled | | | | excluded everywhere |
| G  | another vendor's | | | | excluded (and its 1★ rating) |
| H  | this vendor, service outside the contract's scope | | | | excluded |
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight import kpi
from oversight.core import clock
from oversight.kpi.facts import Period
from oversight.scorecards import services
from oversight.scorecards.facts_loader import load_facts
from oversight.scorecards.models import CommitmentResult, IndicatorResult
from oversight.scorecards.rules import DeductionRule, LinearRule
from tests.query_counts import assert_within, count_queries
from tests.scorecards.conftest import EVAL_AT, T0, open_period

D = Decimal
Q3_START = dt.datetime(2026, 6, 30, 16, 0, tzinfo=dt.UTC)
Q3_END = dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC)

EVERY_SOURCE = [
    "response_timeliness",
    "onsite_timeliness",
    "resolution_timeliness",
    "resolution_rate",
    "mttr",
    "first_time_fix",
    "reopen_rate",
    "repeat_rate",
    "csat_mean",
    "csat_satisfied_share",
    "nps",
    "complaint_count",
    "backlog_mean_age",
    "backlog_max_age",
]


@pytest.fixture
def every_source_scheme(world, contract):
    """One indicator per computed source (weights 7 × 13 + 9 = 100)."""
    items = []
    for index, source in enumerate(EVERY_SOURCE):
        rule = DeductionRule(D("1")) if source == "complaint_count" else LinearRule(D("100"), D("0"))
        items.append(
            services.IndicatorInput(
                code=source.replace("_", "-"),
                name=source,
                dimension="processes",
                weight=D("9") if index == 0 else D("7"),
                source=source,
                rule=rule.to_dict(),
                missing_policy="zero",
            )
        )
    return services.scheme_version_create(
        contract=contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name="Every source"),
        indicators=items,
    )


@pytest.fixture
def every(world, contract, every_source_scheme, fixture_data):
    period = open_period(world, contract)
    return period, {r.source: r for r in IndicatorResult.objects.filter(period=period)}, fixture_data


def ids(fx, *keys):
    return [fx.wo[k].pk for k in keys]


def test_the_period_is_the_quarter_in_the_organisations_zone(every):
    period, _results, _fx = every
    assert (period.starts_on, period.ends_on) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert (period.start_at, period.end_at) == (Q3_START, Q3_END)
    assert period.contract_version.number == 1
    assert period.months == 3
    assert period.label == "2026-Q3"


def test_timeliness_indicators_equal_the_hand_count(every):
    _period, r, fx = every
    # Response: due in Q3 and decided: A, B, C, D, E; met: A, C, D.
    assert (r["response_timeliness"].numerator, r["response_timeliness"].denominator) == (3, 5)
    assert r["response_timeliness"].value == D("60")
    assert r["response_timeliness"].numerator_ids == ids(fx, "A", "C", "D")
    assert r["response_timeliness"].denominator_ids == ids(fx, "A", "B", "C", "D", "E")
    # On-site: only C needs a visit, and it arrived late.
    assert (r["onsite_timeliness"].numerator, r["onsite_timeliness"].denominator) == (0, 1)
    assert r["onsite_timeliness"].denominator_ids == ids(fx, "C")
    # Resolution (SLA compliance): A, C (8 h counted after the reopen), D met; B and E breached.
    assert (r["resolution_timeliness"].numerator, r["resolution_timeliness"].denominator) == (3, 5)
    assert r["resolution_timeliness"].numerator_ids == ids(fx, "A", "C", "D")


def test_resolution_rate_mttr_first_time_fix_and_reopen_rate(every):
    _period, r, fx = every
    assert (r["resolution_rate"].numerator, r["resolution_rate"].denominator, r["resolution_rate"].value) == (
        4,
        5,
        80,
    )
    assert r["resolution_rate"].numerator_ids == ids(fx, "A", "B", "C", "D")
    # MTTR in business seconds as the clocks counted them: 2 h, 20 h, 6 h + 2 h, 3 h.
    total = 2 * 3600 + 20 * 3600 + 8 * 3600 + 3 * 3600
    assert r["mttr"].numerator == total
    assert r["mttr"].denominator == 4
    assert r["mttr"].value == D(total) / 4 == D("29700")
    assert r["mttr"].groups["calendar_time"] == []
    # First-time fix: A and B fixed first time; C reopened within 7 days, D reassigned.
    assert (r["first_time_fix"].numerator, r["first_time_fix"].denominator) == (2, 4)
    assert r["first_time_fix"].groups["reopened"] == ids(fx, "C")
    assert r["first_time_fix"].groups["reassigned"] == ids(fx, "D")
    assert r["reopen_rate"].value == D("25")
    assert r["reopen_rate"].numerator_ids == ids(fx, "C")


def test_repeat_rate_counts_the_same_requester_within_30_days(every):
    _period, r, fx = every
    # All by the same requester: B, C, D follow A within 30 days; E comes 77 days after D (F is cancelled).
    assert r["repeat_rate"].numerator_ids == ids(fx, "B", "C", "D")
    assert r["repeat_rate"].value == D("60")


def test_satisfaction_and_complaints(every):
    _period, r, fx = every
    ratings = [fx.ratings[k].pk for k in ("A", "B", "D")]
    assert r["csat_mean"].denominator_ids == ratings  # G's rating is another vendor's
    assert r["csat_mean"].exact["value"] == str(D(11) / D(3))
    assert r["csat_mean"].value == D("3.666667")
    assert r["csat_satisfied_share"].numerator_ids == [fx.ratings["A"].pk, fx.ratings["D"].pk]
    assert r["csat_satisfied_share"].exact["value"] == str(D(200) / D(3))
    # NPS: 1 promoter (10), 1 passive (8), 1 detractor (3) of 3 -> 0.
    assert r["nps"].value == 0
    assert r["nps"].groups == {
        "promoters": [fx.ratings["A"].pk],
        "passives": [fx.ratings["D"].pk],
        "detractors": [fx.ratings["B"].pk],
    }
    assert r["complaint_count"].value == 1
    assert r["complaint_count"].numerator_ids == [fx.complaint.pk]
    assert r["complaint_count"].record_type == "complaint"


def test_backlog_at_the_period_end(every):
    _period, r, fx = every
    age = (Q3_END - fx.wo["E"].created_at).total_seconds()
    assert age == 6 * 86400 + 14 * 3600
    assert r["backlog_mean_age"].value == D(int(age))
    assert r["backlog_max_age"].value == D(int(age))
    assert r["backlog_mean_age"].numerator_ids == ids(fx, "E")


def test_points_contributions_and_total_follow_the_rules_exactly(every):
    period, r, _fx = every
    # Linear 0..100 gives points = value; contribution = points x weight / 100; complaints 100 - 1.
    expected = D(0)
    for index, source in enumerate(EVERY_SOURCE):
        weight = D(9) if index == 0 else D(7)
        exact_value = D(r[source].exact["value"]) if r[source].exact["value"] else D(0)
        if source == "complaint_count":
            points = D(100) - exact_value
        else:
            points = min(D(100), max(D(0), exact_value))
        assert D(r[source].exact["points"]) == points, source
        expected += points * weight / D(100)
    assert period.total_score == expected.quantize(D("0.01"))
    assert D(period.total_exact) == expected


def test_the_simple_scheme_scores_as_computed_by_hand(q3):
    results = {r.code: r for r in q3.results.all()}
    # response 60 % (linear) -> 60 pts x 40 %; resolution 60 % (step >= 50) -> 60 x 30 %;
    # CSAT 11/3 (linear 1..5) -> 200/3 pts x 20 %; one complaint -> 10 - 5 = 5 of 10, x 10 / 10.
    assert results["response"].contribution == D("24")
    assert results["resolution"].points == D("60")
    assert results["resolution"].contribution == D("18")
    assert D(results["csat"].exact["points"]) == (D(11) / D(3) - 1) / 4 * 100
    assert results["complaints"].points == D("5")
    assert results["complaints"].contribution == D("5")
    exact = D(24) + D(18) + (D(11) / D(3) - 1) / 4 * 100 * D(20) / D(100) + D(5)
    assert q3.total_score == exact.quantize(D("0.01")) == D("60.33")
    assert q3.problems == []


def test_commitments_measure_their_indicator_and_forfeit_their_share(q3):
    rows = {c.code: c for c in CommitmentResult.objects.filter(period=q3)}
    assert set(rows) == {"response", "resolution", "csat"}
    assert rows["response"].measured_value == D("60")
    assert (rows["response"].met, rows["response"].forfeited_share_percent) == (False, D("100"))
    assert rows["resolution"].met is False
    # CSAT share 66.67 % < 90 %: missed, 50 % of its allocation forfeited.
    assert D(rows["csat"].measured_exact) == D(200) / D(3)
    assert (rows["csat"].met, rows["csat"].forfeited_share_percent) == (False, D("50"))


def test_unit_counts_are_the_work_orders_received_by_type(q3):
    assert q3.unit_counts == {"incident": 5}


def test_the_stored_results_equal_the_pure_computation_over_the_loaded_facts(world, every):
    period, r, _fx = every
    with clock.frozen_at(EVAL_AT):
        facts = load_facts(
            organisation_id=world.org.pk,
            vendor_id=world.vendor.pk,
            version=period.contract_version,
            period=Period(period.start_at, period.end_at),
            evaluated_at=EVAL_AT,
        )
    pure = kpi.compute_all(
        work_orders=facts.work_orders,
        ratings=facts.ratings,
        complaints=facts.complaints,
        period=Period(Q3_START, Q3_END),
    )
    for source in EVERY_SOURCE:
        assert r[source].exact["value"] == ("" if pure[source].value is None else str(pure[source].value)), source
        assert r[source].numerator_ids == list(pure[source].numerator_ids), source


def test_loading_the_facts_takes_a_fixed_number_of_queries(world, every):
    period, _r, _fx = every
    with count_queries() as queries:
        load_facts(
            organisation_id=world.org.pk,
            vendor_id=world.vendor.pk,
            version=period.contract_version,
            period=Period(period.start_at, period.end_at),
            evaluated_at=EVAL_AT,
        )
    assert_within("scorecards.load_facts", len(queries))


def test_evaluated_before_a_deadline_passes_the_target_is_pending(world, contract, every_source_scheme, fixture_data):
    # Evaluated 30 minutes after E arrived, its response is due in 30 minutes: pending, in neither count.
    period = open_period(world, contract, at=T0 + dt.timedelta(days=80, minutes=30))
    result = period.results.get(source="response_timeliness")
    assert result.groups["pending"] == [fixture_data.wo["E"].pk]
    assert (result.numerator, result.denominator) == (3, 4)
    assert period.computed_after_end is False
