"""KPI formulas of oversight.kpi against hand-computed values (no Django needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight import kpi as ind
from oversight.kpi import (
    NOT_APPLICABLE,
    ComplaintFacts,
    Outage,
    Period,
    RatingFacts,
    TargetOutcome,
    WorkOrderFacts,
)

MARCH = Period(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime:
    """An instant in 2026 (UTC)."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def met(due: datetime, achieved: datetime | None = None) -> TargetOutcome:
    return TargetOutcome(due_at=due, achieved_at=achieved or due - timedelta(minutes=5), met=True)


def breached(due: datetime) -> TargetOutcome:
    return TargetOutcome(due_at=due, met=False)


def pending(due: datetime | None) -> TargetOutcome:
    return TargetOutcome(due_at=due, met=None)


def wo(id, received=None, **kw) -> WorkOrderFacts:
    return WorkOrderFacts(id=id, received_at=received or at(2), **kw)


# --------------------------------------------------------------------------------------------
# timeliness
# --------------------------------------------------------------------------------------------


def timeliness_orders(field: str) -> list[WorkOrderFacts]:
    """The same eight situations for whichever target `field` names."""
    cases = [
        (1, met(at(5))),  # due in March, met -> counted, met
        (2, breached(at(10))),  # due in March, breached -> counted, not met
        (3, breached(datetime(2026, 2, 28, 23, 59, tzinfo=UTC))),  # due in February -> out
        (4, met(datetime(2026, 3, 1, tzinfo=UTC))),  # due exactly at the start (inclusive) -> counted
        (5, breached(datetime(2026, 4, 1, tzinfo=UTC))),  # due exactly at the end (exclusive) -> out
        (6, pending(at(20))),  # due in March but undecided -> pending, not counted
        (8, NOT_APPLICABLE),  # no such target -> out
    ]
    orders = [wo(i, received=datetime(2026, 2, 27, tzinfo=UTC), **{field: t}) for i, t in cases]
    orders.append(wo(7, cancelled=True, **{field: breached(at(12))}))  # cancelled -> out
    return orders


@pytest.mark.parametrize(
    ("func", "field", "code"),
    [
        (ind.response_timeliness, "response", ind.RESPONSE_TIMELINESS),
        (ind.onsite_timeliness, "onsite", ind.ONSITE_TIMELINESS),
        (ind.resolution_timeliness, "resolution", ind.RESOLUTION_TIMELINESS),
    ],
)
def test_timeliness_counts_targets_due_in_the_period(func, field, code):
    result = func(timeliness_orders(field), MARCH)
    # due in [Mar 1, Apr 1) and decided: #1 (met), #2 (breached), #4 (met, at the start edge) -> 3
    # met: #1, #4 -> 2; value = 100 x 2 / 3 = 66.666...
    assert result.code == code
    assert result.unit == "percent"
    assert result.denominator == 3
    assert result.numerator == 2
    assert result.value == Decimal(200) / Decimal(3)
    assert result.denominator_ids == (1, 2, 4)
    assert result.numerator_ids == (1, 4)
    assert result.groups["pending"] == (6,)


def test_timeliness_only_looks_at_its_own_target():
    orders = [wo(1, response=met(at(5)), resolution=breached(at(6)))]
    assert ind.response_timeliness(orders, MARCH).value == Decimal(100)  # 1 met of 1 due
    assert ind.resolution_timeliness(orders, MARCH).value == Decimal(0)  # 0 met of 1 due
    assert ind.onsite_timeliness(orders, MARCH).value is None  # no on-site target due: 0 / 0


def test_timeliness_with_nothing_due_is_none_not_zero_and_not_an_error():
    result = ind.response_timeliness([], MARCH)
    assert (result.numerator, result.denominator, result.value) == (0, 0, None)
    only_pending = ind.response_timeliness([wo(1, response=pending(at(5)))], MARCH)
    assert only_pending.value is None
    assert only_pending.groups["pending"] == (1,)


def test_a_target_met_early_counts_in_the_period_of_its_deadline_not_of_its_achievement():
    # Received Mar 31 23:00, answered Mar 31 23:10, due Apr 1 01:00: it was due in April.
    late_march = wo(1, received=at(31, 23), response=met(at(1, 1, month=4), achieved=at(31, 23, 10)))
    assert ind.response_timeliness([late_march], MARCH).denominator == 0
    april = Period(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert ind.response_timeliness([late_march], april).numerator_ids == (1,)


due_instants = st.integers(min_value=0, max_value=90 * 24).map(
    lambda h: datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=h)
)
targets = st.one_of(
    st.just(NOT_APPLICABLE),
    st.builds(lambda d: TargetOutcome(due_at=d, achieved_at=d, met=True), due_instants),
    st.builds(lambda d: TargetOutcome(due_at=d, met=False), due_instants),
    st.builds(lambda d: TargetOutcome(due_at=d, met=None), st.one_of(st.none(), due_instants)),
)
order_lists = st.lists(st.tuples(targets, st.booleans()).map(lambda tc: (tc[0], tc[1])), max_size=25).map(
    lambda items: [
        wo(i, received=datetime(2026, 1, 1, tzinfo=UTC), response=t, cancelled=c) for i, (t, c) in enumerate(items)
    ]
)


@settings(max_examples=150, deadline=None)
@given(order_lists, st.integers(min_value=1, max_value=88))
def test_timeliness_matches_a_brute_force_count_and_splits_exactly_over_adjacent_periods(orders, split_day):
    start, end = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    mid = start + timedelta(days=split_day)
    whole = ind.response_timeliness(orders, Period(start, end))
    # Independent oracle: a plain comprehension of the definition.
    due = [
        o
        for o in orders
        if not o.cancelled and o.response.applicable and o.response.met is not None and start <= o.response.due_at < end
    ]
    assert whole.denominator == len(due)
    assert whole.numerator == sum(1 for o in due if o.response.met)
    if due:
        assert whole.value == Decimal(100 * sum(1 for o in due if o.response.met)) / Decimal(len(due))
        assert 0 <= whole.value <= 100
    else:
        assert whole.value is None
    first = ind.response_timeliness(orders, Period(start, mid))
    second = ind.response_timeliness(orders, Period(mid, end))
    # Every target falls due in exactly one of two adjacent periods.
    assert first.denominator + second.denominator == whole.denominator
    assert first.numerator + second.numerator == whole.numerator
    assert sorted(first.denominator_ids + second.denominator_ids) == sorted(whole.denominator_ids)


# --------------------------------------------------------------------------------------------
# resolution rate, MTTR, first-time fix, reopen, repeat
# --------------------------------------------------------------------------------------------


def test_resolution_rate_is_resolved_over_received():
    orders = [
        wo(1, received=at(2), resolved_at=at(3)),  # received and resolved in March
        wo(2, received=at(30), resolved_at=at(2, month=4)),  # resolved after the period end -> not resolved
        wo(3, received=at(10)),  # still open
        wo(  # resolved, reopened, not resolved again -> open
            4, received=at(11), first_resolved_at=at(12), reopened_at=(at(13),)
        ),
        wo(5, received=at(20, month=2), resolved_at=at(2)),  # received in February -> out
        wo(6, received=at(5), cancelled=True),  # cancelled -> out
        wo(7, received=at(6), resolved_at=at(31, 23, 59)),  # resolved just before the end
    ]
    result = ind.resolution_rate(orders, MARCH)
    # received in March, not cancelled: 1, 2, 3, 4, 7 -> 5; resolved before Apr 1: 1, 7 -> 2; 100 x 2 / 5 = 40
    assert (result.numerator, result.denominator, result.value) == (2, 5, Decimal(40))
    assert result.numerator_ids == (1, 7)
    assert result.denominator_ids == (1, 2, 3, 4, 7)


def test_mttr_is_the_mean_of_the_given_durations_of_work_orders_resolved_in_the_period():
    orders = [
        wo(1, resolved_at=at(3), resolution_seconds=3600),
        wo(2, resolved_at=at(4), resolution_seconds=7200),
        wo(3, resolved_at=at(5), resolution_seconds=Decimal("5400.5")),
        wo(4, resolved_at=at(2, month=4), received=at(30), resolution_seconds=99999),  # April -> out
        wo(5, resolved_at=at(6), resolution_seconds=1, cancelled=True),  # cancelled -> out
    ]
    result = ind.mttr(orders, MARCH)
    # (3600 + 7200 + 5400.5) / 3 = 16200.5 / 3 = 5400.1666...
    assert result.numerator == Decimal("16200.5")
    assert result.denominator == 3
    assert result.value == Decimal("16200.5") / Decimal(3)
    assert result.unit == "seconds"
    assert result.numerator_ids == (1, 2, 3)


def test_mttr_refuses_to_guess_a_missing_duration_and_is_none_without_resolutions():
    with pytest.raises(ValueError, match=r"\[2\]"):
        ind.mttr([wo(1, resolved_at=at(3), resolution_seconds=60), wo(2, resolved_at=at(3))], MARCH)
    assert ind.mttr([wo(1)], MARCH).value is None


def test_first_time_fix_excludes_reassigned_escalated_and_reopened_within_n_days():
    first = at(10)
    orders = [
        wo(1, resolved_at=first),  # clean -> fixed
        wo(2, resolved_at=first, reassigned_count=1),  # reassigned -> not fixed
        wo(3, resolved_at=first, escalated=True),  # escalated -> not fixed
        # reopened exactly 7 days after (inclusive window) -> not fixed
        wo(4, first_resolved_at=first, reopened_at=(first + timedelta(days=7),)),
        # reopened 7 days and 1 second after -> outside the window -> fixed
        wo(5, first_resolved_at=first, reopened_at=(first + timedelta(days=7, seconds=1),)),
        # first resolved in February, resolved again in March -> belongs to February
        wo(
            6,
            received=at(1, month=2),
            first_resolved_at=at(2, month=2),
            reopened_at=(at(3, month=2),),
            resolved_at=at(5),
        ),
        wo(7, resolved_at=first, cancelled=True),  # cancelled -> out
    ]
    result = ind.first_time_fix_rate(orders, MARCH, reopen_window_days=7)
    # denominator: first resolved in March: 1, 2, 3, 4, 5 -> 5; fixed: 1, 5 -> 2; 100 x 2 / 5 = 40
    assert (result.numerator, result.denominator, result.value) == (2, 5, Decimal(40))
    assert result.numerator_ids == (1, 5)
    assert result.groups == {"reassigned": (2,), "escalated": (3,), "reopened": (4,)}
    # With a 0-day window only a reopen at the very instant of resolution counts: #4 is fixed too (3 / 5 = 60 %).
    assert ind.first_time_fix_rate(orders, MARCH, reopen_window_days=0).value == Decimal(60)


def test_reopen_rate_counts_each_work_order_once_in_the_period_of_its_first_resolution():
    orders = [
        wo(1, resolved_at=at(3)),
        wo(2, first_resolved_at=at(4), reopened_at=(at(5),)),  # reopened, open now: still in the denominator
        wo(3, first_resolved_at=at(6), reopened_at=(at(7), at(9)), resolved_at=at(10)),  # reopened twice: counts once
        wo(4, first_resolved_at=at(8), reopened_at=(at(20),), resolved_at=at(21)),  # reopened 12 days later
        wo(5, received=at(1, month=2), first_resolved_at=at(2, month=2), reopened_at=(at(2),), resolved_at=at(4)),
    ]
    result = ind.reopen_rate(orders, MARCH)
    # first resolved in March: 1, 2, 3, 4 -> 4; reopened: 2, 3, 4 -> 3; 100 x 3 / 4 = 75
    assert (result.numerator, result.denominator, result.value) == (3, 4, Decimal(75))
    assert result.numerator_ids == (2, 3, 4)
    # Within 7 days only: #4's reopen came 12 days after -> 2 / 4 = 50
    assert ind.reopen_rate(orders, MARCH, within_days=7).value == Decimal(50)
    assert orders[2].reopened_count == 2


def test_repeat_rate_default_matches_requester_or_ci_or_category_within_30_days():
    orders = [
        # history before the period (looked back at, never counted)
        wo("h1", received=at(20, month=2), requester_id="nurse-a", ci="PRN-1", category="printer"),
        # March
        wo("m1", received=at(5), requester_id="nurse-b", ci="PC-9", category="pc"),  # nothing earlier -> no
        wo("m2", received=at(6), requester_id="nurse-c", ci="PRN-1", category="network"),  # same CI as h1 (14 d)
        wo("m3", received=at(7), requester_id="nurse-b", ci="PC-1", category="phone"),  # same requester as m1
        wo("m4", received=at(8), requester_id="nurse-d", ci="X", category="pc"),  # same category as m1
        wo("m5", received=at(9), requester_id="nurse-e", ci="", category=None),  # empty keys never match
        wo("m6", received=at(10), requester_id="nurse-f", ci="", category=None),  # "" and None are not equal keys
        wo("c1", received=at(4), requester_id="nurse-g", cancelled=True),  # cancelled: neither counted nor matched
        wo("m7", received=at(11), requester_id="nurse-g"),  # only c1 earlier -> no
    ]
    result = ind.repeat_rate(orders, MARCH)
    # received in March (not cancelled): m1..m7 -> 7; repeats: m2, m3, m4 -> 3; 100 x 3 / 7
    assert result.denominator == 7
    assert result.numerator_ids == ("m2", "m3", "m4")
    assert result.value == Decimal(300) / Decimal(7)
    assert result.groups == {"requester": ("m3",), "ci": ("m2",), "category": ("m4",)}


def test_repeat_window_is_inclusive_at_exactly_30_days_and_strictly_earlier():
    base = at(1, 8)
    orders = [
        wo("old", received=base - timedelta(days=30), ci="PRN-1"),  # exactly 30 days before m1 -> repeat
        wo("older", received=base - timedelta(days=30, seconds=1), ci="PRN-2"),  # 30 days and 1 s -> not
        wo("m1", received=base, ci="PRN-1"),
        wo("m2", received=base, ci="PRN-2"),
        wo("twin-a", received=at(15), ci="PRN-3"),  # same instant as twin-b: neither is earlier
        wo("twin-b", received=at(15), ci="PRN-3"),
    ]
    result = ind.repeat_rate(orders, MARCH, match=(("ci",),))
    assert result.numerator_ids == ("m1",)
    assert result.denominator_ids == ("m1", "m2", "twin-a", "twin-b")


def test_repeat_rate_with_composite_match_groups():
    orders = [
        wo(1, received=at(2), requester_id="a", category="printer"),
        wo(2, received=at(3), requester_id="a", category="pc"),  # same requester, other category -> no
        wo(3, received=at(4), requester_id="b", category="printer"),  # same category, other requester -> no
        wo(4, received=at(5), requester_id="a", category="printer"),  # same requester and category as 1 -> yes
    ]
    result = ind.repeat_rate(orders, MARCH, match=(("requester", "category"),))
    assert result.numerator_ids == (4,)
    assert result.groups == {"requester+category": (4,)}
    assert result.value == Decimal(25)  # 1 / 4
    with pytest.raises(ValueError):
        ind.repeat_rate(orders, MARCH, match=(("colour",),))
    with pytest.raises(ValueError):
        ind.repeat_rate(orders, MARCH, match=())


# --------------------------------------------------------------------------------------------
# satisfaction
# --------------------------------------------------------------------------------------------

RATINGS = [
    RatingFacts("r1", 5, at(2), recommend=10),
    RatingFacts("r2", 4, at(3), recommend=9),
    RatingFacts("r3", 3, at(4), recommend=8),
    RatingFacts("r4", 2, at(5), recommend=6),
    RatingFacts("r5", 5, at(6), recommend=None),
    RatingFacts("r6", 1, at(7), recommend=0),
    RatingFacts("r7", 4, at(8), recommend=7),
    RatingFacts("feb", 1, at(28, month=2), recommend=0),  # February -> out
    RatingFacts("apr", 1, datetime(2026, 4, 1, tzinfo=UTC), recommend=0),  # at the end instant -> out
]


def test_csat_mean_and_share_of_four_and_five_stars():
    mean = ind.csat_mean(RATINGS, MARCH)
    # March: 5 + 4 + 3 + 2 + 5 + 1 + 4 = 24 over 7 ratings -> 24 / 7
    assert (mean.numerator, mean.denominator) == (24, 7)
    assert mean.value == Decimal(24) / Decimal(7)
    assert mean.unit == "stars"
    share = ind.csat_satisfied_share(RATINGS, MARCH)
    # 4 or 5 stars: r1, r2, r5, r7 -> 4 of 7 -> 400 / 7 %
    assert share.numerator_ids == ("r1", "r2", "r5", "r7")
    assert share.value == Decimal(400) / Decimal(7)


def test_nps_is_percent_promoters_minus_percent_detractors():
    result = ind.nps(RATINGS, MARCH)
    # answered in March: r1 10, r2 9, r3 8, r4 6, r6 0, r7 7 -> 6 (r5 did not answer)
    # promoters (9-10): r1, r2 -> 2; detractors (0-6): r4, r6 -> 2; passives: r3, r7
    # NPS = 100 x 2/6 - 100 x 2/6 = 0
    assert result.denominator == 6
    assert result.numerator == 0
    assert result.value == 0
    assert result.groups == {"promoters": ("r1", "r2"), "passives": ("r3", "r7"), "detractors": ("r4", "r6")}


def test_nps_reference_values():
    def ratings(answers):
        return [RatingFacts(i, 3, at(2), recommend=a) for i, a in enumerate(answers)]

    # 5 promoters, 3 passives, 2 detractors of 10: 50 % - 20 % = 30
    assert ind.nps(ratings([10, 9, 9, 10, 9, 8, 7, 7, 6, 0]), MARCH).value == Decimal(30)
    # 1 promoter, 3 detractors of 4: 25 % - 75 % = -50
    assert ind.nps(ratings([9, 6, 5, 0]), MARCH).value == Decimal(-50)
    # edges: 9 is a promoter, 7 and 8 passive, 6 a detractor; 1 promoter 1 detractor of 4 -> 0
    assert ind.nps(ratings([9, 8, 7, 6]), MARCH).value == 0
    # 1 promoter of 3: 100 / 3
    assert ind.nps(ratings([10, 7, 8]), MARCH).value == Decimal(100) / Decimal(3)
    assert ind.nps(ratings([None, None]), MARCH).value is None


def test_complaint_count_counts_complaints_opened_in_the_period():
    complaints = [
        ComplaintFacts("c1", at(1, 0)),
        ComplaintFacts("c2", at(31, 23, 59), work_order_id=7),
        ComplaintFacts("c3", datetime(2026, 4, 1, tzinfo=UTC)),  # end instant -> out
    ]
    result = ind.complaint_count(complaints, MARCH)
    assert (result.value, result.numerator, result.denominator) == (2, 2, None)
    assert result.numerator_ids == ("c1", "c2")
    assert ind.complaint_count([], MARCH).value == 0  # a count is never None


# --------------------------------------------------------------------------------------------
# backlog and availability
# --------------------------------------------------------------------------------------------


def test_backlog_age_at_an_instant():
    now = at(31, 12)
    orders = [
        wo(1, received=now - timedelta(hours=6)),  # open, 6 h = 21 600 s
        wo(2, received=now - timedelta(days=2)),  # open, 2 d = 172 800 s
        wo(3, received=now - timedelta(days=10), resolved_at=now + timedelta(hours=1)),  # resolved after now: open
        wo(4, received=now - timedelta(days=40), first_resolved_at=now - timedelta(days=39), reopened_at=(now,)),
        wo(5, received=now - timedelta(days=3), resolved_at=now),  # resolved at exactly now -> not open
        wo(6, received=now + timedelta(seconds=1)),  # not received yet -> not open
        wo(7, received=now - timedelta(days=50), cancelled=True),  # cancelled -> not open
    ]
    b = ind.backlog_age(orders, now)
    # open: 1 (21 600), 2 (172 800), 3 (864 000), 4 (3 456 000)
    ages = [21600, 172800, 864000, 3456000]
    assert b.ids == (1, 2, 3, 4)
    assert b.total_seconds == sum(ages)  # 4 514 400
    assert b.mean_seconds == Decimal(4514400) / 4  # 1 128 600
    assert b.max_seconds == 3456000
    assert b.oldest_ids == (4,)
    # buckets [0,1d) [1d,3d) [3d,7d) [7d,30d) [30d,...): 1 | 2 | - | 3 | 4
    assert [bk.ids for bk in b.buckets] == [(1,), (2,), (), (3,), (4,)]
    assert [bk.count for bk in b.buckets] == [1, 1, 0, 1, 1]
    assert b.buckets[-1].upper_seconds is None
    assert b.buckets[1].lower_seconds == 86400 and b.buckets[1].upper_seconds == 3 * 86400

    mean = ind.backlog_mean_age(orders, now)
    assert (mean.numerator, mean.denominator, mean.value) == (4514400, 4, Decimal(1128600))
    oldest = ind.backlog_max_age(orders, now)
    assert (oldest.value, oldest.denominator, oldest.numerator_ids) == (3456000, None, (4,))


def test_backlog_ages_are_exact_to_the_microsecond_and_bucket_edges_are_half_open():
    now = at(31, 12)
    orders = [
        wo(1, received=now - timedelta(days=1)),  # exactly 1 day -> second bucket
        wo(2, received=now - timedelta(days=1) + timedelta(microseconds=1)),  # 86 399.999999 s -> first bucket
    ]
    b = ind.backlog_age(orders, now)
    assert b.buckets[0].ids == (2,) and b.buckets[1].ids == (1,)
    assert b.total_seconds == Decimal("172799.999999")  # 86 400 + 86 399.999999
    empty = ind.backlog_age([], now)
    assert (empty.count, empty.mean_seconds, empty.max_seconds) == (0, None, None)
    assert ind.backlog_max_age([], now).value is None
    with pytest.raises(ValueError):
        ind.backlog_age(orders, now, buckets=(timedelta(days=3), timedelta(days=1)))


def test_availability():
    # 30 days of 24 h agreed = 2 592 000 s; outages 3 600 + 1 800 = 5 400 s
    # (2 592 000 - 5 400) / 2 592 000 = 2 586 600 / 2 592 000 -> x 100 = 99.7916...
    result = ind.availability(2592000, [Outage("o1", 3600), Outage("o2", 1800)])
    assert (result.numerator, result.denominator) == (2586600, 2592000)
    assert result.value == Decimal(258660000) / Decimal(2592000)
    assert result.groups == {"outages": ("o1", "o2")}
    assert ind.availability(1000, []).value == 100
    assert ind.availability(0, []).value is None
    with pytest.raises(ValueError, match="exceeds"):
        ind.availability(100, [Outage("o", 101)])


# --------------------------------------------------------------------------------------------
# compute_all and validation
# --------------------------------------------------------------------------------------------


def test_compute_all_returns_every_work_order_and_rating_indicator():
    orders = [wo(1, received=at(2), response=met(at(3)), resolved_at=at(4), resolution_seconds=7200)]
    results = ind.compute_all(
        work_orders=orders, ratings=RATINGS, complaints=[ComplaintFacts("c", at(3))], period=MARCH
    )
    # availability needs outages, the people indicators the roster (oversight.kpi.people)
    assert set(results) == set(ind.CATALOGUE) - {ind.AVAILABILITY, ind.STAFF_FILL_RATE, ind.CERTIFICATE_VALIDITY}
    assert all(results[code].code == code for code in results)
    assert all(results[code].unit == ind.CATALOGUE[code].unit for code in results)
    assert results[ind.RESPONSE_TIMELINESS].value == 100
    assert results[ind.MTTR].value == 7200
    assert results[ind.BACKLOG_MEAN_AGE].value is None  # the only work order was resolved by the period end
    assert results[ind.COMPLAINT_COUNT].value == 1


def test_facts_are_validated_where_they_are_built():
    naive = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="aware"):
        Period(naive, at(5))
    with pytest.raises(ValueError, match="before its end"):
        Period(at(5), at(5))
    with pytest.raises(ValueError, match="timezone-aware"):
        wo(1, received=naive)
    with pytest.raises(ValueError, match="due_at"):
        TargetOutcome(met=True, achieved_at=at(2))
    with pytest.raises(ValueError, match="achieved_at"):
        TargetOutcome(due_at=at(2), met=True)
    with pytest.raises(ValueError, match="before it was received"):
        wo(1, received=at(5), resolved_at=at(4))
    with pytest.raises(ValueError, match="first_resolved_at is required"):
        wo(1, resolved_at=at(6), reopened_at=(at(5),))
    with pytest.raises(ValueError, match="resolved first"):
        wo(1, reopened_at=(at(5),))
    with pytest.raises(ValueError, match="follow its last reopen"):
        wo(1, first_resolved_at=at(3), reopened_at=(at(5),), resolved_at=at(4))
    with pytest.raises(ValueError, match="time order"):
        wo(1, first_resolved_at=at(3), reopened_at=(at(6), at(5)))
    with pytest.raises(ValueError, match="reassigned_count"):
        wo(1, reassigned_count=-1)
    with pytest.raises(ValueError, match="never float|int or Decimal"):
        wo(1, resolved_at=at(3), resolution_seconds=1.5)
    with pytest.raises(ValueError, match="stars"):
        RatingFacts(1, 6, at(2))
    with pytest.raises(ValueError, match="stars"):
        RatingFacts(1, True, at(2))
    with pytest.raises(ValueError, match="recommend"):
        RatingFacts(1, 5, at(2), recommend=11)
    with pytest.raises(ValueError, match="downtime_seconds"):
        Outage(1, -1)
    with pytest.raises(ValueError, match="WorkOrderFacts"):
        ind.resolution_rate(["not facts"], MARCH)
    with pytest.raises(ValueError, match="reopen_window_days"):
        ind.first_time_fix_rate([], MARCH, reopen_window_days=-1)


def test_first_resolved_defaults_to_resolved_when_never_reopened():
    assert wo(1, resolved_at=at(4)).first_resolved_at == at(4)
    assert wo(1).first_resolved_at is None


def test_compute_all_only_computes_the_codes_asked_for_and_refuses_unknown_ones():
    period = Period(datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 8, 1, tzinfo=UTC))
    assert set(ind.compute_all(work_orders=[], period=period, only={"nps", "mttr"})) == {"nps", "mttr"}
    with pytest.raises(ValueError, match="unknown indicator codes"):
        ind.compute_all(work_orders=[], period=period, only={"nps", "speed"})
