"""A KPI source registered by another app is offered in a scheme and computed in a period (the report: reports/).

The test app (tests/kpi_app) registers its own loader and source for the test's duration; nothing in
scorecards, contracts or reports names it. Unknown sources are refused with a message naming them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from oversight.core import kpis
from oversight.core.errors import ApplicationError
from oversight.reports.metrics import reported_codes
from oversight.scorecards import selectors, services
from oversight.scorecards.forms import IndicatorForm
from oversight.scorecards.models import IndicatorResult
from oversight.scorecards.rules import LinearRule
from tests.kpi_app import kpis as kpi_app
from tests.scorecards.conftest import open_period, simple_indicators

D = Decimal


@pytest.fixture
def registered():
    """The test app's loader and source, registered for one test and gone after it."""
    with kpis.registry.temporarily(*kpi_app.ITEMS):
        yield kpis.registry.get(kpi_app.CODE)
    assert kpis.registry.find(kpi_app.CODE) is None


def with_new_source():
    """The simple scheme plus the test app's indicator (weight 0: the other weights already make 100)."""
    return [
        *simple_indicators(),
        services.IndicatorInput(
            code="reassigned",
            name="Reassigned",
            dimension="processes",
            weight=D("0"),
            source=kpi_app.CODE,
            rule=LinearRule(D("0"), D("50")).to_dict(),
            missing_policy="full",
        ),
    ]


def test_the_scheme_form_offers_a_source_registered_after_it_was_imported(registered):
    offered = dict(IndicatorForm().fields["source"].choices)
    assert str(offered[kpi_app.CODE]) == "Reassigned work orders (%)"
    assert "manual" in offered and "availability" not in offered  # availability is for commitments only


def test_a_registered_source_is_computed_in_a_period_and_drills_down(world, contract, fixture_data, registered):
    services.scheme_version_create(
        contract=contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name="With the test app's source"),
        indicators=with_new_source(),
    )
    period = open_period(world, contract)
    row = IndicatorResult.objects.get(period=period, source=kpi_app.CODE)
    wo = fixture_data.wo
    # Received in Q3 within the contract's scope: A–E (F cancelled, G another vendor's, H out of scope);
    # only D moved from one agent to another.
    assert row.denominator_ids == [wo[k].pk for k in "ABCDE"]
    assert row.numerator_ids == [wo["D"].pk]
    assert row.value == D("20")
    assert row.unit == "percent" and row.record_type == "work_order"
    assert row.points is not None and row.contribution == 0  # scored like any indicator; its weight is 0
    records = selectors.drilldown_records(user=world.users["client_supervisor"], result=row, which="numerator")
    assert list(records.values_list("pk", flat=True)) == [wo["D"].pk]
    assert row.get_source_display() == "Reassigned work orders (%)"


def test_without_the_registration_nothing_of_it_is_left(world):
    assert kpi_app.CODE not in reported_codes()
    assert kpi_app.CODE not in dict(IndicatorForm().fields["source"].choices)


def test_an_unknown_source_is_refused_by_the_service_naming_it(world, contract):
    items = simple_indicators()
    items[0] = services.IndicatorInput(**{**items[0].__dict__, "source": "not_a_registered_source"})
    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        services.scheme_version_create(
            contract=contract,
            actor=world.users["client_admin"],
            settings=services.SchemeSettings(name="Unknown"),
            indicators=items,
        )
    assert exc.value.code == "source" and exc.value.extra.get("row") == 1
    assert "not_a_registered_source" in str(exc.value.message)
    assert "registered indicator source" in str(exc.value.message)


def test_an_unknown_source_is_refused_by_the_form():
    form = IndicatorForm(data={"code": "x", "name": "X", "dimension": "processes", "weight": "10", "source": "nope"})
    assert not form.is_valid()
    assert "source" in form.errors
