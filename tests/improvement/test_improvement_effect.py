"""The pure effect rules (windows, change, relative change, improved, target met) with plain values, and the
stored measurement of an item against values worked out by hand from ratings in the database.

Hand calculation (CSAT mean, higher is better; implementation day 2026-07-11, 5 days each side):
- before 07-06 … 07-10: the vendor's ratings 2★ (07-07) and 3★ (07-09) → 5 / 2 = 2.5;
- after 07-11 … 07-15: 4★ (07-11), 5★ (07-13), 4★ (07-15) → 13 / 3 = 4.333…;
- left out: 1★ on 07-16 (after the window), 1★ on 07-05 (before it), the other vendor's 1★ on 07-12;
- change 13/3 − 5/2 = 11/6 = 1.8333…; relative 11/6 ÷ 2.5 × 100 = 73.3333 %; target 4.0 → met.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.improvement import effect, services
from oversight.improvement.choices import ItemStatus
from oversight.improvement.models import EffectMeasurement
from tests.improvement.conftest import noon, raise_item, rate

D = Decimal
DAY = dt.date


def test_windows_are_the_same_number_of_days_either_side_of_the_implementation_day():
    w = effect.windows(DAY(2026, 7, 11), 5, DAY(2026, 7, 20))
    assert (w.before_first, w.before_last, w.after_first, w.after_last) == (
        DAY(2026, 7, 6),
        DAY(2026, 7, 10),
        DAY(2026, 7, 11),
        DAY(2026, 7, 15),
    )
    # The after window must be over: on 07-16 five days are possible, on 07-15 only four.
    assert effect.longest_days(DAY(2026, 7, 11), DAY(2026, 7, 16)) == 5
    effect.windows(DAY(2026, 7, 11), 5, DAY(2026, 7, 16))
    with pytest.raises(effect.EffectError):
        effect.windows(DAY(2026, 7, 11), 5, DAY(2026, 7, 15))
    with pytest.raises(effect.EffectError):
        effect.windows(DAY(2026, 7, 11), 0, DAY(2026, 8, 1))


def test_assessment_respects_the_direction_of_the_indicator():
    up = effect.assess(D("80"), D("90"), target=D("85"), higher_is_better=True)
    assert (up.change, up.relative_change, up.improved, up.target_met) == (D("10"), D("12.5000"), True, True)
    # Lower is better (complaints): 6 → 4 is an improvement; the target 3 is not met, 4 would be.
    down = effect.assess(D("6"), D("4"), target=D("3"), higher_is_better=False)
    assert (down.change, down.relative_change, down.improved, down.target_met) == (D("-2"), D("-33.3333"), True, False)
    assert effect.assess(D("6"), D("4"), target=D("4"), higher_is_better=False).target_met is True
    # No before value: no change; before 0: no relative change; no target or no after value: cannot tell.
    assert effect.assess(None, D("4"), target=None, higher_is_better=True).change is None
    zero = effect.assess(D("0"), D("2"), target=None, higher_is_better=False)
    assert (zero.change, zero.relative_change, zero.improved, zero.target_met) == (D("2"), None, False, None)
    assert effect.assess(D("1"), None, target=D("1"), higher_is_better=True).target_met is None
    same = effect.assess(D("5"), D("5"), target=D("5"), higher_is_better=True)
    assert (same.improved, same.target_met) == (False, True)


@pytest.fixture
def ratings(world):
    for day, stars in ((5, 1), (7, 2), (9, 3), (11, 4), (13, 5), (15, 4), (16, 1)):
        rate(world, world.service, DAY(2026, 7, day), stars)
    rate(world, world.other_service, DAY(2026, 7, 12), 1)


def _in_review(world, implemented_on: dt.date, target: str = "4"):
    supervisor, admin = world.users["client_supervisor"], world.users["client_admin"]
    with clock.frozen_at(noon(DAY(2026, 7, 1))):
        item = raise_item(world, indicator="csat_mean", baseline=D("2.5"), target=D(target))
        steps = (("accept", supervisor), ("assess", supervisor), ("approve", admin), ("start", supervisor))
        for action, actor in steps:
            item = services.item_transition(actor=actor, item=item, action=action)
    with clock.frozen_at(noon(implemented_on)):
        return services.item_transition(actor=supervisor, item=item, action="complete", implemented_on=implemented_on)


def test_the_effect_is_measured_against_the_hand_calculation(world, ratings):
    item = _in_review(world, DAY(2026, 7, 11))
    assert item.status == ItemStatus.REVIEW and item.implemented_on == DAY(2026, 7, 11)
    with clock.frozen_at(noon(DAY(2026, 7, 20))):
        record = services.effect_measure(actor=world.users["client_supervisor"], item=item, days=5)
    after = D(13) / D(3)
    assert record.before_value == D("2.5")
    assert record.after_value.quantize(D("0.000001")) == after.quantize(D("0.000001"))
    assert record.change.quantize(D("0.0001")) == (after - D("2.5")).quantize(D("0.0001")) == D("1.8333")
    assert record.relative_change == D("73.3333")
    assert (record.improved, record.target_met, record.higher_is_better) == (True, True, True)
    assert (record.before_first, record.before_last, record.after_first, record.after_last) == (
        DAY(2026, 7, 6),
        DAY(2026, 7, 10),
        DAY(2026, 7, 11),
        DAY(2026, 7, 15),
    )
    assert record.detail["before"]["denominator"] == "2" and record.detail["after"]["denominator"] == "3"
    # The record is immutable and reproducible: a second measurement with the same days gives the same values.
    with pytest.raises(ValueError):
        record.save()
    with clock.frozen_at(noon(DAY(2026, 7, 25))):
        again = services.effect_measure(actor=world.users["client_supervisor"], item=item, days=5)
    assert (again.before_value, again.after_value, again.target_met) == (
        record.before_value,
        record.after_value,
        record.target_met,
    )
    assert EffectMeasurement.objects.filter(item=item).count() == 2


def test_a_target_missed_and_the_default_window(world, ratings, english):
    # Implemented on 07-13, measured on 07-16: three days each side (the default 30 is cut to what has passed).
    # before 07-10 … 07-12: 4★ (07-11) → 4; after 07-13 … 07-15: 5★, 4★ → 4.5; target 4.6 is not met.
    item = _in_review(world, DAY(2026, 7, 13), target="4.6")
    # The text may still change; what was approved (the target) may not.
    item = services.item_update(actor=world.users["client_supervisor"], item=item, title="Renamed")
    with pytest.raises(ApplicationError, match="approved"):
        services.item_update(actor=world.users["client_supervisor"], item=item, target=D("4.4"))
    with clock.frozen_at(noon(DAY(2026, 7, 16))):
        record = services.effect_measure(actor=world.users["client_supervisor"], item=item)
    assert record.days == 3
    assert (record.before_value, record.after_value, record.change) == (D(4), D("4.5"), D("0.5"))
    assert record.relative_change == D("12.5000")
    assert (record.improved, record.target_met) == (True, False)


def test_measuring_too_early_or_outside_review_is_refused(world, ratings, english):
    item = _in_review(world, DAY(2026, 7, 11))
    with clock.frozen_at(noon(DAY(2026, 7, 11))), pytest.raises(ApplicationError, match="days"):
        services.effect_measure(actor=world.users["client_supervisor"], item=item)
    with clock.frozen_at(noon(DAY(2026, 7, 13))), pytest.raises(ApplicationError, match="days"):
        services.effect_measure(actor=world.users["client_supervisor"], item=item, days=3)
    with clock.frozen_at(noon(DAY(2026, 7, 20))):
        services.effect_measure(actor=world.users["client_supervisor"], item=item, days=5)
        services.item_transition(actor=world.users["client_supervisor"], item=item, action="close")
        with pytest.raises(ApplicationError, match="in review"):
            services.effect_measure(actor=world.users["client_supervisor"], item=item, days=5)
