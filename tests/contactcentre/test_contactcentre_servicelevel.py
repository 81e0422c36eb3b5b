"""The five service-level variants against hand-computed values (ccmath.servicelevel, no Django)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from oversight.ccmath import servicelevel as sl
from oversight.contactcentre.models import ServiceLevelVariant

# W=80 answered within T, A=95 answered, B=5 abandoned, S=2 short abandons, Bt=1 abandoned within T, O=100.
BASE = sl.Counts(offered=100, answered=95, answered_within=80, abandoned=5, abandoned_within=1, short_abandoned=2)


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        (sl.ANSWERED_AND_ABANDONED, Fraction(80, 100)),  # 80 / (95 + 5)
        (sl.ANSWERED_ONLY, Fraction(80, 95)),  # 0.842105...
        (sl.OFFERED, Fraction(80, 100)),
        (sl.EXCLUDING_SHORT_ABANDONS, Fraction(80, 98)),  # 80 / (95 + 5 - 2) = 0.816326...
        (sl.ABANDONS_WITHIN_T_COUNT, Fraction(81, 100)),  # (80 + 1) / 100
    ],
)
def test_each_variant_on_the_reference_counts(variant, expected):
    assert sl.service_level(variant, BASE) == expected


def test_flow_outs_count_only_in_the_offered_variants():
    # Ten more contacts flowed out to another queue: offered 110, answered and abandoned unchanged.
    counts = sl.Counts(offered=110, answered=95, answered_within=80, abandoned=5, abandoned_within=1, short_abandoned=2)
    assert sl.service_level(sl.ANSWERED_AND_ABANDONED, counts) == Fraction(8, 10)
    assert sl.service_level(sl.EXCLUDING_SHORT_ABANDONS, counts) == Fraction(80, 98)
    assert sl.service_level(sl.OFFERED, counts) == Fraction(80, 110)
    assert sl.service_level(sl.ABANDONS_WITHIN_T_COUNT, counts) == Fraction(81, 110)


def test_a_period_sums_its_counts_rather_than_averaging_interval_ratios():
    quiet = sl.Counts(offered=10, answered=10, answered_within=10)  # 100 %
    busy = sl.Counts(offered=90, answered=90, answered_within=45)  # 50 %
    total = quiet + busy
    assert sl.service_level(sl.ANSWERED_ONLY, total) == Fraction(55, 100)  # not (100 % + 50 %) / 2 = 75 %


def test_no_contacts_gives_no_service_level_and_an_unknown_variant_is_refused():
    assert sl.service_level(sl.OFFERED, sl.Counts()) is None
    assert sl.met(sl.OFFERED, sl.Counts(), "0.8") is None
    assert sl.met(sl.ANSWERED_AND_ABANDONED, BASE, "0.8") is True
    assert sl.met(sl.ANSWERED_AND_ABANDONED, BASE, "0.81") is False
    with pytest.raises(ValueError, match="unknown"):
        sl.service_level("w_over_nothing", BASE)


def test_the_models_choices_are_exactly_the_pure_variants():
    assert tuple(ServiceLevelVariant.values) == sl.VARIANTS
