"""Indicator schemes: weights must add up to exactly 100 (the error shows the sum), rules are checked through the
pure module, every change is a new version, and the hospital template has the documented shape."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError
from oversight.scorecards import rules, services
from oversight.scorecards.models import IndicatorScheme
from tests.scorecards.conftest import simple_indicators

D = Decimal


def create(world, contract, indicators, **settings):
    return services.scheme_version_create(
        contract=contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name=settings.pop("name", "S"), **settings),
        indicators=indicators,
    )


def with_weights(*weights):
    items = simple_indicators()
    return [services.IndicatorInput(**{**i.__dict__, "weight": D(w)}) for i, w in zip(items, weights, strict=True)]


@pytest.mark.parametrize(
    ("weights", "shown"),
    [
        (("40", "30", "20", "9.99"), "99.99"),
        (("40", "30", "20", "10.01"), "100.01"),
        (("50", "30", "20", "10"), "110.00"),
    ],
)
def test_weights_that_do_not_sum_to_exactly_100_are_refused_with_the_sum(world, contract, weights, shown):
    with pytest.raises(ApplicationError) as exc:
        create(world, contract, with_weights(*weights))
    assert exc.value.code == "weights_sum"
    assert shown in str(exc.value.message)
    assert "complaints" in str(exc.value.message)  # each weight is listed
    assert not IndicatorScheme.objects.exists()


def test_weights_of_exactly_100_with_decimals_are_accepted(world, contract):
    scheme = create(world, contract, with_weights("33.33", "33.33", "33.34", "0"))
    assert sum(i.weight for i in scheme.indicators.all()) == 100


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"code": "Bad Code"}, "indicator_code"),
        ({"dimension": "money"}, "dimension"),
        ({"source": "availability"}, "source"),
        ({"rule": {"kind": "linear", "full_at": "90", "zero_at": "90"}}, "rule"),
        ({"rule": {"kind": "deduction", "per_event": "1"}}, "deduction_needs_count"),  # on a percentage
        ({"rule": {"kind": "magic"}}, "rule"),
        ({"weight": D("10.005")}, "weight"),
        ({"missing_policy": "guess"}, "missing_policy"),
    ],
)
def test_bad_indicators_are_refused_naming_the_row(world, contract, change, code):
    items = simple_indicators()
    items[0] = services.IndicatorInput(**{**items[0].__dict__, **change})
    with pytest.raises(ApplicationError) as exc:
        create(world, contract, items)
    assert exc.value.code == code
    assert exc.value.extra.get("row") == 1


def test_duplicate_codes_are_refused(world, contract):
    items = simple_indicators()
    items[1] = services.IndicatorInput(**{**items[1].__dict__, "code": "response"})
    with pytest.raises(ApplicationError) as exc:
        create(world, contract, items)
    assert exc.value.code == "duplicate_codes"


def test_every_change_is_a_new_version_and_rules_round_trip(world, contract):
    first = create(world, contract, simple_indicators())
    second = create(world, contract, with_weights("30", "40", "20", "10"), name="S2", note="more weight on resolution")
    assert (first.number, second.number) == (1, 2)
    assert [i.weight for i in first.indicators.all()] == [40, 30, 20, 10]  # the first version is untouched
    for stored, given in zip(second.indicators.all(), simple_indicators(), strict=True):
        assert rules.rule_from_dict(stored.rule) == rules.rule_from_dict(given.rule)
    assert [i.unit for i in second.indicators.all()] == ["percent", "percent", "stars", "count"]
    audit = AuditEntry.objects.filter(action="scorecards.indicatorscheme.created").order_by("id").last()
    assert audit.after["note"] == "more weight on resolution"
    assert [i["weight"] for i in audit.after["indicators"]] == ["30", "40", "20", "10"]


def test_the_hospital_template_has_the_documented_dimensions_and_weights(world, contract):
    scheme = services.scheme_from_template(contract, world.users["client_admin"])
    by_dimension: dict[str, Decimal] = {}
    for i in scheme.indicators.all():
        by_dimension[i.dimension] = by_dimension.get(i.dimension, D(0)) + i.weight
    assert by_dimension == {"people": 20, "resources": 15, "processes": 45, "technology": 20}
    indicators = {i.code: i for i in scheme.indicators.all()}
    assert indicators["dress_badge"].source == "manual"
    assert indicators["dress_badge"].rule == {"kind": "deduction", "per_event": "1", "max_points": "10", "floor": "0"}
    assert indicators["complaints"].source == "complaint_count"
    assert indicators["complaints"].rule["per_event"] == "5"
    assert indicators["missed_inspections"].rule["per_event"] == "5"
    assert {i.source for i in indicators.values()} >= {
        "response_timeliness",
        "onsite_timeliness",
        "resolution_timeliness",
        "first_time_fix",
        "reopen_rate",
        "csat_mean",
    }
    assert (indicators["staff_fill_rate"].source, indicators["staff_fill_rate"].weight) == ("staff_fill_rate", 5)
    assert (indicators["certificate_validity"].source, indicators["certificate_validity"].weight) == (
        "certificate_validity",
        5,
    )
    assert indicators["certificate_validity"].unit == "percent"
    # The vendor's ITIL processes in the processes and resources dimensions (docs/formulas.md).
    assert {
        code: (i.source, i.dimension, i.weight)
        for code, i in indicators.items()
        if code in {"problem_resolution", "change_success", "unauthorised_changes", "stock_outs"}
    } == {
        "problem_resolution": ("problem_resolution_rate", "processes", 4),
        "change_success": ("change_success_rate", "processes", 4),
        "unauthorised_changes": ("unauthorised_changes", "processes", 3),
        "stock_outs": ("stock_out_count", "resources", 2),
    }
    assert indicators["unauthorised_changes"].rule == {
        "kind": "deduction",
        "per_event": "3",
        "max_points": "3",
        "floor": "0",
    }
