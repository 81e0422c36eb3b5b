"""Scenario and commercial-model services: saved, changed and deleted with an audit entry; refusals are clear."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, Conflict, NotAllowed
from oversight.sourcing import scenarios, selectors, services
from oversight.sourcing.models import Scenario
from tests.sourcing.conftest import scenario_fields

D = Decimal


def test_a_saved_scenario_is_audited_and_gives_the_hand_worked_figures(world, scenario):
    entry = AuditEntry.objects.get(action="sourcing.scenario.created", object_id=str(scenario.pk))
    assert entry.after["price_per_contact"] == "9"
    result = scenarios.evaluate(scenario)
    # test_sourcing_finance's worked example, entered in percent: same tables, same figures
    assert result.tco_baseline == D(3039000)
    assert result.tco_proposal == D("2894390.63")
    assert result.payback_years == D("1.30")
    assert result.roi == D("0.964062")


def test_update_records_what_changed_and_refuses_a_stale_version(world, scenario):
    actor = world.users["client_admin"]
    services.scenario_update(actor=actor, scenario=scenario, expected_version=1, price_per_contact="10")
    scenario.refresh_from_db()
    assert (scenario.version, scenario.price_per_contact) == (2, D(10))
    entry = AuditEntry.objects.get(action="sourcing.scenario.updated")
    assert entry.before == {"price_per_contact": "9.0000"} and entry.after == {"price_per_contact": "10"}
    with pytest.raises(Conflict):
        services.scenario_update(actor=actor, scenario=scenario, expected_version=1, price_per_contact="11")


def test_delete_keeps_the_inputs_in_the_audit_trail(world, scenario):
    pk = scenario.pk
    services.scenario_delete(actor=world.users["client_admin"], scenario=scenario)
    assert not Scenario.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.get(action="sourcing.scenario.deleted").before["name"] == "收回自营"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"kind": "mixed", "in_house_share": D(100)}, "between 0 and 100"),
        ({"kind": "outsourced"}, "in-house share is 0"),
        ({"shrinkage": D(100)}, "Shrinkage"),
        ({"annual_contacts": "many"}, "must be a number"),
        ({"name": " "}, "name"),
        ({"currency": "RMB1"}, "three-letter"),
        ({"horizon_years": 40}, "Horizon"),
        ({"service_level_target": D(0)}, "service-level target"),
    ],
)
def test_bad_scenarios_are_refused_with_the_reason(world, english, overrides, words):
    with pytest.raises(ApplicationError) as error:
        services.scenario_create(
            actor=world.users["client_supervisor"], organisation=world.org, **scenario_fields(**overrides)
        )
    assert words.lower() in str(error.value.message).lower()
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("role", ["executive", "auditor", "vendor_manager", "requester"])
def test_only_client_operators_save_scenarios(world, role):
    with pytest.raises(NotAllowed):
        services.scenario_create(actor=world.users[role], organisation=world.org, **scenario_fields())


def test_scenarios_are_the_clients_own(world, scenario):
    assert list(selectors.scenario_list(user=world.users["executive"])) == [scenario]
    for role in ("vendor_manager", "vendor_agent", "requester", "foreign_admin"):
        assert not selectors.scenario_list(user=world.users[role]).exists()


def test_commercial_model_rules(world, english, cc):
    admin = world.users["client_admin"]
    with pytest.raises(ApplicationError, match="needs the outcome KPI"):
        services.commercial_model_create(
            actor=admin, contract_version=cc["version"], basis="handled_contact", rate="3", bonus_percent="5"
        )
    with pytest.raises(ApplicationError, match="needs a target"):
        services.commercial_model_create(
            actor=admin, contract_version=cc["version"], basis="handled_contact", rate="3", outcome_kpi="asa_seconds"
        )
    model = services.commercial_model_create(
        actor=admin, contract_version=cc["version"], basis="handled_contact", rate="3"
    )
    with pytest.raises(ApplicationError, match="has a commercial model already"):
        services.commercial_model_create(actor=admin, contract_version=cc["version"], basis="minute", rate="1")
    services.commercial_model_update(actor=admin, model=model, expected_version=1, rate="3.2")
    model.refresh_from_db()
    assert (model.rate, model.version) == (D("3.2"), 2)
    assert AuditEntry.objects.filter(action__startswith="sourcing.commercialmodel.").count() == 2
    # The contract's vendor reads it; the other vendor and requesters do not.
    assert list(selectors.commercial_model_list(user=world.users["vendor_agent"])) == [model]
    assert not selectors.commercial_model_list(user=world.users["other_vendor_manager"]).exists()
    assert not selectors.commercial_model_list(user=world.users["requester"]).exists()
    with pytest.raises(NotAllowed):
        services.commercial_model_update(actor=world.users["vendor_manager"], model=model, rate="9")
