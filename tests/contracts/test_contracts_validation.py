"""Every rule a version's terms must pass, each refused with its own clear error (and nothing stored)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.contracts import services
from oversight.contracts.models import Contract
from oversight.contracts.validation import (
    BandInput,
    CommitmentInput,
    ShareStepInput,
    StaffingInput,
    UnitRateInput,
)
from tests.contracts.conftest import make_terms
from tests.factories import OfferingFactory, ServiceFactory, SiteFactory, calendar_24x7, policy_with_targets

D = Decimal
pytestmark = pytest.mark.django_db


def create(world, **overrides):
    currency = overrides.pop("currency", "CNY")
    return services.contract_create(
        actor=world.users["client_admin"],
        vendor=world.vendor,
        number="HT-V",
        title="Validation",
        currency=currency,
        terms=make_terms(world, **overrides),
    )


def refused(world, **overrides) -> tuple[str, str, dict]:
    with pytest.raises(services.ApplicationError) as exc:
        create(world, **overrides)
    assert not Contract.objects.exists()
    return exc.value.code, str(exc.value.message), exc.value.extra


def commitment(**kwargs) -> CommitmentInput:
    values = {"code": "c", "name": "C", "sla_metric": "response", "target": D("95"), "allocation_percent": D("30")}
    values.update(kwargs)
    return CommitmentInput(**values)


@pytest.mark.parametrize(
    ("bands", "code"),
    [
        ((BandInput(upper=D("90"), lower=D("80"), per_point=D("1")), BandInput(upper=D("70"))), "band_gap"),
        ((BandInput(upper=D("90")), BandInput(upper=D("80"))), "band_gap"),  # the upper band has no lower edge
        ((BandInput(upper=D("90"), lower=D("90")),), "band_edges"),
        ((BandInput(upper=D("101")),), "band_edges"),
        ((BandInput(upper=D("0")),), "band_edges"),
        ((BandInput(upper=D("90"), lower=D("-1")),), "band_edges"),
        ((BandInput(upper=D("90"), per_point=D("-1")),), "percent_range"),
        ((BandInput(upper=D("90"), per_point=D("150")),), "percent_range"),
        ((BandInput(upper=D("90"), per_point=D("1000.005"), per_point_basis="amount"),), "too_many_decimals"),
        ((BandInput(upper=D("90"), step_basis="fraction"),), "basis"),
        ((BandInput(upper=D("90.001")),), "too_many_decimals"),
    ],
)
def test_score_bands_must_be_consistent(world, bands, code):
    got, message, extra = refused(world, bands=bands)
    assert got == code, message
    assert extra["field"] == "bands"


def test_bands_in_any_order_are_stored_from_the_top(world):
    contract = create(
        world,
        bands=(
            BandInput(upper=D("80"), per_point=D("2"), step=D("5")),
            BandInput(upper=D("90"), lower=D("80"), per_point=D("1")),
        ),
    )
    rows = list(contract.versions.get().bands.values_list("upper", "lower", "per_point", "step"))
    assert rows == [(D("90"), D("80"), D("1"), D("0")), (D("80"), None, D("2"), D("5"))]


def test_the_maximum_deduction_is_a_percentage_or_money(world):
    assert refused(world, max_deduction=D("120"))[0] == "percent_range"
    assert refused(world, max_deduction=D("-5"), max_deduction_basis="amount")[0] == "negative"
    contract = create(world, max_deduction=D("30000.00"), max_deduction_basis="amount")
    assert contract.versions.get().max_deduction == D("30000.00")


@pytest.mark.parametrize(
    ("commitments", "code"),
    [
        ((commitment(code=""),), "commitment_code"),
        ((commitment(code="has space"),), "commitment_code"),
        ((commitment(name=""),), "commitment_name"),
        ((commitment(sla_metric="", indicator=""),), "indicator_missing"),
        ((commitment(sla_metric="lunch"),), "metric"),
        ((commitment(sla_metric="", indicator="happiness"),), "indicator"),
        ((commitment(sla_metric="response", indicator="resolution_timeliness"),), "indicator_metric_mismatch"),
        ((commitment(target=D("101")),), "target_range"),
        ((commitment(sla_metric="", indicator="csat_mean", target=D("6")),), "target_range"),
        ((commitment(sla_metric="", indicator="mttr", target=D("-1")),), "target_range"),
        ((commitment(allocation_percent=D("100.5")),), "percent_range"),
        ((commitment(miss_share_percent=D("-1")),), "percent_range"),
        ((commitment(), commitment(name="again")), "commitment_duplicate"),
        ((commitment(share_steps=(ShareStepInput(D("96"), D("100")),)),), "step_side"),
        (
            (commitment(share_steps=(ShareStepInput(D("90"), D("50")), ShareStepInput(D("90"), D("60")))),),
            "step_duplicate",
        ),
        (
            (commitment(share_steps=(ShareStepInput(D("90"), D("80")), ShareStepInput(D("80"), D("50")))),),
            "step_order",
        ),
        ((commitment(miss_share_percent=D("60"), share_steps=(ShareStepInput(D("90"), D("50")),)),), "step_order"),
        (
            (
                commitment(
                    sla_metric="",
                    indicator="mttr",
                    target=D("14400"),
                    share_steps=(ShareStepInput(D("7200"), D("100")),),
                ),
            ),
            "step_side",
        ),
    ],
)
def test_commitments_are_checked(world, commitments, code):
    got, message, extra = refused(world, commitments=commitments)
    assert got == code, message
    assert extra["field"] == "commitments"


def test_allocations_may_add_up_to_more_than_100_percent(world):
    contract = create(
        world,
        commitments=(
            commitment(code="a", allocation_percent=D("60")),
            commitment(code="b", sla_metric="resolution", allocation_percent=D("60")),
        ),
    )
    assert sum(c.allocation_percent for c in contract.versions.get().commitments.all()) == D("120")


def test_lower_is_better_commitments_take_steps_above_the_target(world):
    contract = create(
        world,
        commitments=(
            commitment(
                code="complaints",
                sla_metric="",
                indicator="complaint_count",
                target=D("2"),
                miss_share_percent=D("50"),
                share_steps=(ShareStepInput(D("5"), D("100")),),
            ),
        ),
    )
    assert contract.versions.get().commitments.get().share_steps.get().threshold == D("5")


def test_services_must_belong_to_the_vendor_and_sites_to_the_organisation(world):
    code, message, _extra = refused(world, services=(world.other_service,))
    assert code == "service_vendor"
    assert "Net" in message or "Network" in message
    assert refused(world, services=())[0] == "no_services"
    foreign_site = SiteFactory(organisation=world.other_org)
    assert refused(world, sites=(foreign_site,))[0] == "site_organisation"


def test_linked_sla_policy_versions_must_be_those_of_the_services_in_scope(world):
    unrelated = policy_with_targets(world.org, world.calendar, code="unrelated").versions.get()
    got, _message, _extra = refused(world, commitments=(commitment(sla_policy_versions=(unrelated,)),))
    assert got == "commitment_policy"
    # The policy of an offering of a service in scope is fine.
    offering_policy = policy_with_targets(world.org, calendar_24x7(world.org, name="o"), code="offer")
    OfferingFactory(service=world.service, sla_policy=offering_policy)
    contract = create(world, commitments=(commitment(sla_policy_versions=(offering_policy.versions.get(),)),))
    assert contract.versions.get().commitments.get().sla_policy_versions.get().policy == offering_policy


@pytest.mark.parametrize(
    ("unit_rates", "code"),
    [
        ((UnitRateInput(kind="problem", rate=D("1")),), "unit_kind"),
        ((UnitRateInput(kind="incident", rate=D("-1")),), "negative"),
        ((UnitRateInput(kind="incident", rate=D("1"), included_quantity=-1),), "unit_included"),
        ((UnitRateInput(kind="incident", rate=D("1")), UnitRateInput(kind="incident", rate=D("2"))), "unit_duplicate"),
    ],
)
def test_unit_rates_are_checked(world, unit_rates, code):
    assert refused(world, unit_rates=unit_rates)[0] == code


@pytest.mark.parametrize(
    ("staffing", "code"),
    [
        ((StaffingInput(position="astronaut", count=1),), "staff_position"),
        ((StaffingInput(position="service_desk", count=0),), "staff_count"),
        (
            (StaffingInput(position="service_desk", count=1), StaffingInput(position="service_desk", count=2)),
            "staff_duplicate",
        ),
    ],
)
def test_staffing_is_checked(world, staffing, code):
    assert refused(world, staffing=staffing)[0] == code


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"term_end": dt.date(2026, 1, 1)}, "term_order"),
        ({"fee_period": "weekly"}, "fee_period"),
        ({"renewal_notice_days": -1}, "notice_days"),
        ({"renewal_notice_days": 5000}, "notice_days"),
        ({"at_risk_percent": "ten"}, "not_a_number"),
        ({"fixed_fee": D("1e13")}, "too_large"),
        ({"currency": "RMB"}, "currency"),
        ({"currency": "cn"}, "currency"),
    ],
)
def test_other_terms_are_checked(world, overrides, code):
    assert refused(world, **overrides)[0] == code


def test_currency_is_normalised_and_other_vendors_services_cannot_sneak_in(world):
    contract = create(world, currency="usd")
    assert contract.currency == "USD"
    other = ServiceFactory(organisation=world.org, vendor=world.other_vendor)
    with pytest.raises(services.ApplicationError):
        services.contract_create(
            actor=world.users["client_admin"],
            vendor=world.vendor,
            number="HT-W",
            title="t",
            terms=make_terms(world, services=(world.service, other)),
        )
