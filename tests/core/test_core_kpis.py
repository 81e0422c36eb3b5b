"""The KPI registry: what it refuses, how facts are shared, and that every source is defined in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from oversight import kpi
from oversight.contracts.validation import CommitmentInput, validate_commitment
from oversight.core import kpi_docs, kpis
from oversight.core.errors import ApplicationError

UTC = dt.UTC
MARCH = kpi.Period(dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _count(code: str, loader: str = "test_loader"):
    """A count source over a loader that gives a list of ids."""

    def compute(facts, window):
        n = Decimal(len(facts))
        return kpi.IndicatorResult(code, "count", n, None, n, tuple(facts), ())

    return kpis.Source(
        code=code,
        dimension="processes",
        unit="count",
        higher_is_better=False,
        label="Test count",
        definition="A count for the registry's tests.",
        record_kind="work_order",
        loader=loader,
        compute=compute,
        uses=frozenset({kpis.SCHEME, kpis.REPORT}),
        owner="tests",
    )


def test_a_code_already_registered_is_refused():
    builtin = kpis.registry.get(kpi.RESPONSE_TIMELINESS)
    with pytest.raises(kpis.RegistryError, match="already registered"):
        kpis.registry.register(dataclasses.replace(builtin, owner="another app"))
    assert kpis.registry.get(kpi.RESPONSE_TIMELINESS) is builtin


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "Bad Code"}, "not a valid KPI source code"),
        ({"code": "manual"}, "not a valid KPI source code"),
        ({"dimension": "money"}, "unknown dimension"),
        ({"unit": "furlongs"}, "unknown unit"),
        ({"uses": frozenset({"somewhere"})}, "unknown uses"),
        ({"definition": ""}, "definition are required"),
        ({"record_kind": "invoice"}, "record kind 'invoice'"),
        ({"loader": "nowhere"}, "loader 'nowhere'"),
        ({"compute": None, "loader": None}, "only be used by commitments"),
        ({"uses": frozenset({kpis.KEY_FIGURE})}, "computed for reports"),
        ({"uses": frozenset({kpis.REPORT, kpis.DASHBOARD, kpis.DASHBOARD_CHART})}, "percentages"),
    ],
)
def test_inconsistent_registrations_are_refused(change, message):
    with kpis.registry.temporarily(kpis.Loader("test_loader", lambda scope, period: [], list)):
        with pytest.raises(kpis.RegistryError, match=message):
            kpis.registry.register(dataclasses.replace(_count("test_count"), **change))
    assert kpis.registry.find("test_count") is None


def test_temporary_registrations_are_removed_even_when_the_block_fails():
    with (
        pytest.raises(RuntimeError),
        kpis.registry.temporarily(kpis.Loader("test_loader", lambda scope, period: [], list), _count("test_count")),
    ):
        assert kpis.registry.get("test_count").owner == "tests"
        raise RuntimeError
    assert kpis.registry.find("test_count") is None
    with pytest.raises(KeyError):
        kpis.registry.loader("test_loader")


def test_sources_sharing_a_loader_share_one_load_per_window():
    calls = []

    def load(scope, period):
        calls.append(period)
        return [1, 2, 3]

    scope = kpis.Scope(organisation_id=1, vendor_id=1, evaluated_at=MARCH.end)
    with kpis.registry.temporarily(kpis.Loader("test_loader", load, list), _count("test_a"), _count("test_b")):
        facts = kpis.Facts(scope, MARCH)
        window = kpis.Window(MARCH, MARCH.end)
        a = kpis.compute(kpis.registry.get("test_a"), facts, window)
        b = kpis.compute(kpis.registry.get("test_b"), facts, window)
        assert kpis.compute(kpis.registry.get("test_a"), kpis.Facts(None, MARCH), window).value == 0  # no scope
    assert calls == [MARCH]
    assert a.value == b.value == 3


def test_a_loader_without_restrict_ignores_exclusions_and_one_with_it_applies_them():
    seen = []

    def restrict(facts, *, excluded, policy_versions):
        seen.append((excluded, policy_versions))
        return [i for i in facts if i not in excluded]

    scope = kpis.Scope(organisation_id=1, vendor_id=1, evaluated_at=MARCH.end)
    window = kpis.Window(MARCH, MARCH.end)
    with kpis.registry.temporarily(kpis.Loader("test_loader", lambda s, p: [1, 2, 3], list, restrict), _count("t_a")):
        result = kpis.compute(kpis.registry.get("t_a"), kpis.Facts(scope, MARCH), window, excluded=frozenset({2}))
    assert result.numerator_ids == (1, 3) and seen == [(frozenset({2}), None)]


def test_the_model_validators_accept_only_registered_sources():
    kpis.validate_scheme_source("manual")
    kpis.validate_scheme_source(kpi.STAFF_FILL_RATE)
    kpis.validate_commitment_indicator(kpi.AVAILABILITY)
    for bad in ("availability", "speed"):  # availability is measured outside Oversight: commitments only
        with pytest.raises(ValidationError):
            kpis.validate_scheme_source(bad)
    for bad in (kpi.STAFF_FILL_RATE, "speed"):
        with pytest.raises(ValidationError):
            kpis.validate_commitment_indicator(bad)


def test_a_commitment_on_an_unknown_indicator_is_refused_naming_it():
    commitment = CommitmentInput(
        code="chg",
        name="Changes",
        indicator="change_success_rate",
        target=Decimal("95"),
        allocation_percent=Decimal(10),
    )
    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        validate_commitment(commitment, 2, set())
    assert exc.value.code == "indicator" and exc.value.extra["row"] == 2
    assert "change_success_rate" in str(exc.value.message) and "registered for commitments" in str(exc.value.message)


def test_every_source_has_a_label_and_a_definition_in_english_and_chinese():
    sources = kpis.registry.sources()
    assert set(kpi.CATALOGUE) <= {s.code for s in sources}  # every built-in formula is registered
    for source in sources:
        texts = [source.label, source.definition] + ([source.short_label] if source.short_label else [])
        for text in texts:
            with translation.override("en"):
                english = str(text)
            with translation.override("zh-hans"):
                chinese = str(text)
            assert english.strip() and not CJK.search(english), (source.code, english)
            assert CJK.search(chinese) and chinese != english, (source.code, chinese)


def test_the_built_in_sources_take_unit_and_direction_from_their_formulas():
    for source in kpis.registry.sources():
        spec = kpi.CATALOGUE.get(source.code)
        if spec is None:  # an app's own source with its own formula module (knowledge, changes...)
            assert source.owner != "scorecards", source.code
            continue
        assert (source.unit, source.higher_is_better) == (spec.unit, spec.higher_is_better)


def test_the_indicator_docs_are_generated_from_the_registry():
    call_command("kpi_docs", "--check")  # docs/indicators.md is what the registrations say
    text = kpi_docs.render()
    for source in kpis.registry.sources():
        assert f"`{source.code}`" in text
    with kpis.registry.temporarily(kpis.Loader("test_loader", lambda s, p: [], list), _count("test_count")):
        assert "`test_count`" in kpi_docs.render()
        with pytest.raises(Exception, match="stale"):
            call_command("kpi_docs", "--check")
