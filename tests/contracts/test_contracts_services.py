"""Contract lifecycle through the services: create, activate, amend (version in force by date), terminate, expire."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.contracts import selectors, services
from oversight.contracts.models import Contract, ContractVersion
from oversight.contracts.validation import BandInput, CommitmentInput, ShareStepInput
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from tests.contracts.conftest import SIGNED_AT, make_terms

D = Decimal
pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    """10:00 in Shanghai (UTC+8) on a calendar day."""
    return dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC)


def test_create_makes_a_draft_with_version_1_holding_every_term(world, make_contract):
    contract = make_contract(activate=False)
    assert contract.status == "draft"
    assert (contract.starts_on, contract.ends_on) == (dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    version = contract.versions.get()
    assert (version.number, version.effective_from) == (1, dt.date(2026, 1, 1))
    assert version.fixed_fee == D("120000.00")
    assert list(version.services.all()) == [world.service]
    assert [c.code for c in version.commitments.all()] == ["response", "resolution", "onsite"]
    assert [c.indicator for c in version.commitments.all()] == [
        "response_timeliness",
        "resolution_timeliness",
        "onsite_timeliness",
    ]
    assert version.commitments.get(code="response").sla_policy_versions.get() == world.policy.versions.get()
    assert {(s.position, s.count) for s in version.staffing.all()} == {("onsite_engineer", 4), ("service_desk", 2)}
    entry = AuditEntry.objects.get(action="contracts.contract.created")
    assert entry.after["terms"]["fixed_fee"] == "120000.00"
    assert entry.actor == world.users["client_admin"]


def test_a_draft_is_in_force_nowhere_until_activated(world, make_contract):
    contract = make_contract(activate=False)
    assert selectors.contract_version_in_force(contract, dt.date(2026, 3, 1)) is None
    with clock.frozen_at(SIGNED_AT):
        contract = services.contract_activate(actor=world.users["client_admin"], contract=contract)
        again = services.contract_activate(actor=world.users["client_admin"], contract=contract)
    assert contract.status == again.status == "active"
    assert AuditEntry.objects.filter(action="contracts.contract.activated").count() == 1
    assert selectors.contract_version_in_force(contract, dt.date(2026, 3, 1)).number == 1
    assert selectors.contract_version_in_force(contract, dt.date(2025, 12, 31)) is None
    assert selectors.contract_version_in_force(contract, dt.date(2028, 1, 1)) is None


def test_only_client_admins_of_the_organisation_write(world, make_contract, terms):
    for role in ("client_supervisor", "executive", "auditor", "vendor_manager", "requester", "foreign_admin"):
        with pytest.raises(NotAllowed):
            services.contract_create(
                actor=world.users[role], vendor=world.vendor, number=f"X-{role}", title="t", terms=terms
            )
    contract = make_contract()
    with clock.frozen_at(SIGNED_AT), pytest.raises(NotAllowed):
        services.contract_amend(
            actor=world.users["client_supervisor"],
            contract=contract,
            effective_from=dt.date(2026, 2, 1),
            reason="r",
            fixed_fee=D("1"),
        )
    assert Contract.objects.count() == 1


def test_the_number_is_unique_per_organisation(world, make_contract):
    make_contract()
    with pytest.raises(ApplicationError) as exc:
        make_contract(number="HT-2026-001")
    assert exc.value.code == "duplicate_number"
    # Another organisation may use the same number.
    from tests.factories import ServiceFactory

    foreign_service = ServiceFactory(organisation=world.other_org, vendor=world.foreign_vendor)
    contract = services.contract_create(
        actor=world.users["foreign_admin"],
        vendor=world.foreign_vendor,
        number="HT-2026-001",
        title="Far",
        terms=make_terms(world, services=(foreign_service,), sites=(), commitments=()),
    )
    assert contract.organisation == world.other_org


def test_amend_creates_a_new_version_and_leaves_the_old_one_untouched(world, make_contract):
    contract = make_contract()
    v1 = contract.versions.get()
    v1_before = (v1.fixed_fee, v1.at_risk_percent, list(v1.bands.values_list("upper", "per_point")))
    with clock.frozen_at(at(dt.date(2026, 3, 20))):
        v2 = services.contract_amend(
            actor=world.users["client_admin"],
            contract=contract,
            effective_from=dt.date(2026, 4, 1),
            reason="Price review after the first quarter",
            fixed_fee=D("126000.00"),
            bands=(
                BandInput(upper=D("90"), lower=D("80"), per_point=D("1")),
                BandInput(upper=D("80"), per_point=D("2")),
            ),
        )
    assert (v2.number, v2.effective_from, v2.fixed_fee) == (2, dt.date(2026, 4, 1), D("126000.00"))
    # Carried over unchanged.
    assert v2.at_risk_percent == D("10.00")
    assert [c.code for c in v2.commitments.all()] == ["response", "resolution", "onsite"]
    assert list(v2.services.all()) == [world.service]
    v1.refresh_from_db()
    assert (v1.fixed_fee, v1.at_risk_percent, list(v1.bands.values_list("upper", "per_point"))) == v1_before
    # The version in force follows the date; the day before the amendment is still version 1.
    assert selectors.contract_version_in_force(contract, dt.date(2026, 3, 31)).number == 1
    assert selectors.contract_version_in_force(contract, dt.date(2026, 4, 1)).number == 2
    assert selectors.contract_version_in_force(contract, dt.date(2027, 12, 31)).number == 2
    versions = selectors.contract_versions(contract=contract)
    assert [(v.number, v.effective_from, v.effective_to) for v in versions] == [
        (1, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (2, dt.date(2026, 4, 1), dt.date(2027, 12, 31)),
    ]
    entry = AuditEntry.objects.get(action="contracts.contract.amended")
    assert entry.before["fixed_fee"] == "120000.00" and entry.after["fixed_fee"] == "126000.00"
    assert "commitments" not in entry.after  # only what changed


def test_a_period_is_evaluated_under_the_version_in_force_on_its_first_day(world, make_contract):
    contract = make_contract()
    with clock.frozen_at(at(dt.date(2026, 2, 10))):
        services.contract_amend(
            actor=world.users["client_admin"],
            contract=contract,
            effective_from=dt.date(2026, 2, 15),
            reason="Mid-month change",
            at_risk_percent=D("12"),
        )
    for_period = selectors.contract_version_for_period
    assert for_period(contract, dt.date(2026, 2, 1), dt.date(2026, 3, 1)).number == 1  # mid-month: next period on
    assert for_period(contract, dt.date(2026, 3, 1), dt.date(2026, 4, 1)).number == 2
    assert for_period(contract, dt.date(2026, 1, 1), dt.date(2026, 4, 1)).number == 1  # the first quarter
    # A period that starts before the term is evaluated under the version of the contract's first day.
    assert for_period(contract, dt.date(2025, 12, 15), dt.date(2026, 1, 15)).number == 1
    assert for_period(contract, dt.date(2025, 11, 1), dt.date(2025, 12, 1)) is None


def test_amendment_can_extend_the_term(world, make_contract):
    contract = make_contract()
    with clock.frozen_at(at(dt.date(2027, 6, 1))):
        services.contract_amend(
            actor=world.users["client_admin"],
            contract=contract,
            effective_from=dt.date(2027, 7, 1),
            reason="Extension by one year",
            term_end=dt.date(2028, 12, 31),
        )
    contract.refresh_from_db()
    assert contract.ends_on == dt.date(2028, 12, 31)
    assert selectors.contract_version_in_force(contract, dt.date(2028, 6, 1)).number == 2


@pytest.mark.parametrize(
    ("effective_from", "changes", "code"),
    [
        (dt.date(2026, 3, 1), {"fixed_fee": D("1.00")}, "amendment_in_past"),
        (dt.date(2026, 4, 1), {}, "no_change"),
        (dt.date(2026, 4, 1), {"fixed_fee": D("120000.00")}, "no_change"),
        (dt.date(2026, 4, 1), {"term_start": dt.date(2026, 2, 1)}, "term_start_fixed"),
        (dt.date(2026, 4, 1), {"colour": "red"}, "unknown_terms"),
        (dt.date(2028, 1, 1), {"fixed_fee": D("1.00")}, "amendment_after_end"),
        (dt.date(2026, 4, 1), {"term_end": dt.date(2026, 3, 31)}, "effective_outside_term"),
        (dt.date(2026, 4, 1), {"at_risk_percent": D("100.01")}, "percent_range"),
        (dt.date(2026, 4, 1), {"fixed_fee": D("-1")}, "negative"),
        (dt.date(2026, 4, 1), {"fixed_fee": D("1.005")}, "too_many_decimals"),
        (dt.date(2026, 4, 1), {"fixed_fee": 1.5}, "not_a_number"),
    ],
)
def test_amend_refuses_bad_input_with_a_clear_error(world, make_contract, effective_from, changes, code):
    contract = make_contract()
    with clock.frozen_at(at(dt.date(2026, 3, 20))), pytest.raises(ApplicationError) as exc:
        services.contract_amend(
            actor=world.users["client_admin"], contract=contract, effective_from=effective_from, reason="r", **changes
        )
    assert exc.value.code == code, exc.value.message
    assert str(exc.value.message)
    assert ContractVersion.objects.filter(contract=contract).count() == 1


def test_amend_needs_an_active_contract_and_a_reason(world, make_contract):
    draft = make_contract(activate=False)
    with clock.frozen_at(SIGNED_AT):
        with pytest.raises(InvalidTransition):
            services.contract_amend(
                actor=world.users["client_admin"],
                contract=draft,
                effective_from=dt.date(2026, 2, 1),
                reason="r",
                fixed_fee=D("1"),
            )
        active = make_contract(number="HT-2")
        with pytest.raises(ApplicationError) as exc:
            services.contract_amend(
                actor=world.users["client_admin"],
                contract=active,
                effective_from=dt.date(2026, 2, 1),
                reason="  ",
                fixed_fee=D("1"),
            )
    assert exc.value.code == "required"


def test_amendments_follow_each_other_and_a_future_one_can_be_withdrawn(world, make_contract):
    contract = make_contract()
    admin = world.users["client_admin"]
    with clock.frozen_at(at(dt.date(2026, 3, 20))):
        v2 = services.contract_amend(
            actor=admin, contract=contract, effective_from=dt.date(2026, 5, 1), reason="a", fixed_fee=D("2")
        )
        with pytest.raises(ApplicationError) as exc:
            services.contract_amend(
                actor=admin, contract=contract, effective_from=dt.date(2026, 4, 1), reason="b", fixed_fee=D("3")
            )
        assert exc.value.code == "amendment_not_after_latest"
        v3 = services.contract_amend(
            actor=admin,
            contract=contract,
            effective_from=dt.date(2026, 6, 1),
            reason="c",
            term_end=dt.date(2028, 6, 30),
        )
        assert v3.fixed_fee == D("2.00")  # built on the latest version
        with pytest.raises(ApplicationError) as exc:
            services.contract_amendment_withdraw(actor=admin, version=v2, reason="wrong")
        assert exc.value.code == "not_latest_amendment"
        services.contract_amendment_withdraw(actor=admin, version=v3, reason="typo")
    contract.refresh_from_db()
    assert contract.ends_on == dt.date(2027, 12, 31)
    assert list(contract.versions.values_list("number", flat=True)) == [1, 2]
    assert AuditEntry.objects.get(action="contracts.contractversion.withdrawn").before["term_end"] == "2028-06-30"
    with clock.frozen_at(at(dt.date(2026, 5, 1))), pytest.raises(ApplicationError) as exc:
        services.contract_amendment_withdraw(actor=admin, version=v2, reason="too late")
    assert exc.value.code == "amendment_in_force"


def test_a_draft_is_edited_in_place(world, make_contract):
    contract = make_contract(activate=False)
    services.contract_update_draft(
        actor=world.users["client_admin"],
        contract=contract,
        number="HT-2026-009",
        title="Desk",
        terms=make_terms(world, fixed_fee=D("99000.00"), commitments=()),
    )
    contract.refresh_from_db()
    version = contract.versions.get()
    assert (contract.number, contract.title, version.fixed_fee) == ("HT-2026-009", "Desk", D("99000.00"))
    assert not version.commitments.exists()
    with clock.frozen_at(SIGNED_AT):
        services.contract_activate(actor=world.users["client_admin"], contract=contract)
    with pytest.raises(InvalidTransition):
        services.contract_update_draft(actor=world.users["client_admin"], contract=contract, title="x")


def test_terminate_ends_the_contract_on_the_given_day(world, make_contract):
    contract = make_contract()
    admin = world.users["client_admin"]
    with clock.frozen_at(at(dt.date(2026, 6, 10))):
        with pytest.raises(ApplicationError) as exc:
            services.contract_terminate(actor=admin, contract=contract, terminated_on=dt.date(2026, 6, 1), reason="x")
        assert exc.value.code == "termination_in_past"
        with pytest.raises(ApplicationError) as exc:
            services.contract_terminate(actor=admin, contract=contract, terminated_on=dt.date(2026, 6, 30), reason="")
        assert exc.value.code == "required"
        contract = services.contract_terminate(
            actor=admin, contract=contract, terminated_on=dt.date(2026, 6, 30), reason="Vendor insolvent"
        )
        assert services.contract_terminate(
            actor=admin, contract=contract, terminated_on=dt.date(2026, 6, 30), reason="again"
        ).terminated_on == dt.date(2026, 6, 30)
    assert contract.status == "terminated"
    assert selectors.contract_version_in_force(contract, dt.date(2026, 6, 30)).number == 1
    assert selectors.contract_version_in_force(contract, dt.date(2026, 7, 1)) is None
    assert selectors.contract_versions(contract=contract)[0].effective_to == dt.date(2026, 6, 30)
    assert AuditEntry.objects.filter(action="contracts.contract.terminated").count() == 1
    with clock.frozen_at(at(dt.date(2026, 6, 12))), pytest.raises(InvalidTransition):
        services.contract_activate(actor=admin, contract=contract)


def test_contracts_expire_the_day_after_their_term_in_the_organisations_time_zone(world, make_contract):
    contract = make_contract()
    # 2027-12-31 23:30 in Shanghai: still the last day.
    with clock.frozen_at(dt.datetime(2027, 12, 31, 15, 30, tzinfo=dt.UTC)):
        assert services.contracts_expire_ended() == 0
    # 2028-01-01 00:30 in Shanghai (still 31 December in UTC): expired.
    with clock.frozen_at(dt.datetime(2027, 12, 31, 16, 30, tzinfo=dt.UTC)):
        assert services.contracts_expire_ended() == 1
        assert services.contracts_expire_ended() == 0
    contract.refresh_from_db()
    assert contract.status == "expired"
    assert selectors.contract_version_in_force(contract, dt.date(2027, 6, 1)).number == 1  # history stays
    assert AuditEntry.objects.get(action="contracts.contract.expired").actor is None


def test_activating_a_contract_whose_term_has_ended_is_refused(world, make_contract):
    contract = make_contract(activate=False)
    with clock.frozen_at(at(dt.date(2028, 2, 1))), pytest.raises(ApplicationError) as exc:
        services.contract_activate(actor=world.users["client_admin"], contract=contract)
    assert exc.value.code == "term_ended"


def test_title_can_be_corrected_at_any_time(world, make_contract):
    contract = make_contract()
    services.contract_update_title(actor=world.users["client_admin"], contract=contract, title="Desktop and printers")
    contract.refresh_from_db()
    assert contract.title == "Desktop and printers"
    assert AuditEntry.objects.get(action="contracts.contract.title_changed").before == {"title": "Desktop support"}


def test_graduated_share_steps_are_stored_sorted(world, make_contract):
    commitment = CommitmentInput(
        code="csat",
        name="CSAT",
        indicator="csat_satisfied_share",
        target=D("90"),
        allocation_percent=D("40"),
        miss_share_percent=D("25"),
        share_steps=(ShareStepInput(D("70"), D("100")), ShareStepInput(D("80"), D("50"))),
    )
    contract = make_contract(commitments=(commitment,))
    stored = contract.versions.get().commitments.get()
    assert list(stored.share_steps.values_list("threshold", "share_percent")) == [
        (D("70"), D("100")),
        (D("80"), D("50")),
    ]
    steps = selectors.version_terms(contract.versions.get()).commitments[0].share_steps
    assert [dataclasses.astuple(step) for step in steps] == [(D("70"), D("100")), (D("80"), D("50"))]
