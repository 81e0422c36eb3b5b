"""Writes of sourcing: save, change and delete outsourcing scenarios and the commercial models of contract versions.
Every change goes through here, checked and audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.ccmath import finance
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.sourcing import permissions, scenarios
from oversight.sourcing.choices import OutcomeKpi, PricingBasis, ScenarioKind
from oversight.sourcing.models import CommercialModel, Scenario

HUNDRED = Decimal(100)
SCENARIO_FIELDS = (
    "name",
    "name_en",
    "description",
    "kind",
    "currency",
    "service_level_target",
    "service_level_seconds",
    "open_hours_per_year",
    "productive_hours_per_fte",
    "max_occupancy",
    *scenarios.INPUT_FIELDS,
)
TEXT_FIELDS = frozenset({"name", "name_en", "description", "kind", "currency"})
INTEGER_FIELDS = frozenset({"horizon_years", "service_level_seconds"})
MODEL_FIELDS = (
    "basis",
    "rate",
    "hours_per_fte_month",
    "outcome_kpi",
    "outcome_target",
    "bonus_percent",
    "malus_percent",
    "note",
)
STALE = _("This was changed by someone else in the meantime. Reload it and try again.")


def _number(value, *, field: str, model) -> Decimal | None:
    """A Decimal from a form or API value; a clear error naming the field otherwise."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("“%(field)s” must be a number.") % {"field": _label(model, field)}) from exc
    if not number.is_finite():
        raise ApplicationError(_("“%(field)s” must be a number.") % {"field": _label(model, field)})
    return number


def _label(model, field: str):
    try:
        return model._meta.get_field(field).verbose_name
    except Exception:  # noqa: BLE001 - a driver of the maths that is not a model field
        return field


def _set(obj, model, fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in fields.items():
        if name in TEXT_FIELDS or name == "note" or name in ("basis", "outcome_kpi"):
            value = (value or "").strip()
        elif name in INTEGER_FIELDS:
            number = _number(value, field=name, model=model)
            if number is None or number != number.to_integral_value():
                raise ApplicationError(_("“%(field)s” must be a whole number.") % {"field": _label(model, name)})
            value = int(number)
        else:
            value = _number(value, field=name, model=model)
        setattr(obj, name, value)


# --------------------------------------------------------------------------------------------------- scenarios

REQUIRED_SCENARIO = ("annual_contacts", "aht_seconds", "annual_wage_per_fte", "price_per_contact")
#: Blank means "the model's default" (Erlang C for the required FTE, the field's default for the others).
ERLANG_DEFAULTS = {
    "open_hours_per_year": Decimal(5110),
    "productive_hours_per_fte": Decimal(1650),
    "max_occupancy": Decimal(85),
}


def _check_scenario(scenario: Scenario) -> None:
    """The rules of a scenario: a name, a kind that matches the proposal's share, inputs the maths can use."""
    if not (scenario.name or "").strip():
        raise ApplicationError(_("Give the scenario a name."))
    if scenario.kind not in ScenarioKind.values:
        raise ApplicationError(_("Choose in-house, outsourced or mixed."))
    for name in REQUIRED_SCENARIO:
        if getattr(scenario, name) is None:
            raise ApplicationError(_("“%(field)s” is required.") % {"field": _label(Scenario, name)})
    for name in scenarios.INPUT_FIELDS:
        if getattr(scenario, name) is None and name != "required_fte":
            setattr(scenario, name, Decimal(0))
    for name, default in ERLANG_DEFAULTS.items():
        if getattr(scenario, name) is None:
            setattr(scenario, name, default)
    if scenario.open_hours_per_year <= 0 or scenario.productive_hours_per_fte <= 0:
        raise ApplicationError(_("Open hours and productive hours per FTE-year must be above 0."))
    if not 0 < scenario.max_occupancy <= HUNDRED:
        raise ApplicationError(_("The maximum occupancy is a percentage above 0 and at most 100."))
    if scenario.service_level_target is None or not 0 < scenario.service_level_target <= HUNDRED:
        raise ApplicationError(_("The service-level target is a percentage above 0 and at most 100."))
    if len(scenario.currency or "") != 3 or not scenario.currency.isalpha():
        raise ApplicationError(_("The currency is a three-letter code such as CNY."))
    scenario.currency = scenario.currency.upper()
    share = scenario.in_house_share
    if scenario.kind == ScenarioKind.IN_HOUSE and share != HUNDRED:
        raise ApplicationError(_("An in-house proposal handles all the contacts in-house: its in-house share is 100."))
    if scenario.kind == ScenarioKind.OUTSOURCED and share != 0:
        raise ApplicationError(_("An outsourced proposal handles no contact in-house: its in-house share is 0."))
    if scenario.kind == ScenarioKind.MIXED and not 0 < share < HUNDRED:
        raise ApplicationError(_("A mixed proposal has an in-house share between 0 and 100, both excluded."))
    try:
        scenarios.inputs_of(scenario).validate()
    except finance.FinanceInputError as exc:
        raise ApplicationError(
            _("“%(field)s” cannot be used: check its value.") % {"field": _label(Scenario, exc.field)}
        ) from exc


@transaction.atomic
def scenario_create(*, actor, organisation, **fields) -> Scenario:
    """Save a new scenario of the actor's organisation (client operators)."""
    permissions.require(permissions.may_manage(actor, organisation.pk))
    now = clock.now()
    scenario = Scenario(organisation=organisation, created_by=actor, created_at=now, updated_at=now)
    _set(scenario, Scenario, fields, SCENARIO_FIELDS)
    _check_scenario(scenario)
    scenario.save()
    audit_record(actor=actor, action="sourcing.scenario.created", obj=scenario, after=model_snapshot(scenario))
    return scenario


@transaction.atomic
def scenario_update(*, actor, scenario: Scenario, expected_version: int | None = None, **changes) -> Scenario:
    """Change a scenario's drivers or description (refused when someone changed it since it was read)."""
    locked = lock_row(scenario)
    permissions.require(permissions.may_manage(actor, locked.organisation_id))
    check_version(locked, expected_version, STALE)
    before = model_snapshot(locked)
    _set(locked, Scenario, changes, SCENARIO_FIELDS)
    _check_scenario(locked)
    old, new = diff_snapshots(before, model_snapshot(locked))
    if not new:
        return locked
    touch(locked, clock.now(), list(new))
    audit_record(actor=actor, action="sourcing.scenario.updated", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def scenario_delete(*, actor, scenario: Scenario, expected_version: int | None = None) -> None:
    """Delete a scenario (its inputs stay in the audit trail)."""
    locked = lock_row(scenario)
    permissions.require(permissions.may_manage(actor, locked.organisation_id))
    check_version(locked, expected_version, STALE)
    audit_record(actor=actor, action="sourcing.scenario.deleted", obj=locked, before=model_snapshot(locked))
    locked.delete()


# --------------------------------------------------------------------------------------------------- commercial


def _check_model(model: CommercialModel) -> None:
    if model.basis not in PricingBasis.values:
        raise ApplicationError(_("Choose a pricing basis."))
    if model.rate is None or model.rate < 0:
        raise ApplicationError(_("The rate must be a number of at least 0."))
    if model.hours_per_fte_month is None or model.hours_per_fte_month <= 0:
        raise ApplicationError(_("The paid hours per FTE-month must be above 0."))
    for name in ("bonus_percent", "malus_percent"):
        value = getattr(model, name)
        if value is None:
            setattr(model, name, Decimal(0))
        elif not 0 <= value <= HUNDRED:
            raise ApplicationError(_("A bonus or malus is a percentage between 0 and 100."))
    if model.outcome_kpi:
        if model.outcome_kpi not in OutcomeKpi.values:
            raise ApplicationError(_("Choose an outcome KPI from the list."))
        if model.outcome_target is None or model.outcome_target < 0:
            raise ApplicationError(_("An outcome KPI needs a target of at least 0."))
    else:
        model.outcome_target = None
        if model.bonus_percent or model.malus_percent:
            raise ApplicationError(_("A bonus or malus needs the outcome KPI it rests on."))


@transaction.atomic
def commercial_model_create(*, actor, contract_version, **fields) -> CommercialModel:
    """Give a contract version its commercial model (one per version)."""
    contract = contract_version.contract
    permissions.require(permissions.may_manage(actor, contract.organisation_id))
    if CommercialModel.objects.filter(contract_version=contract_version).exists():
        raise ApplicationError(_("This contract version has a commercial model already: change that one."))
    now = clock.now()
    model = CommercialModel(
        organisation_id=contract.organisation_id, contract_version=contract_version, created_at=now, updated_at=now
    )
    _set(model, CommercialModel, fields, MODEL_FIELDS)
    _check_model(model)
    model.save()
    audit_record(actor=actor, action="sourcing.commercialmodel.created", obj=model, after=model_snapshot(model))
    return model


@transaction.atomic
def commercial_model_update(
    *, actor, model: CommercialModel, expected_version: int | None = None, **changes
) -> CommercialModel:
    """Change a commercial model's pricing or outcome term."""
    locked = lock_row(model)
    permissions.require(permissions.may_manage(actor, locked.organisation_id))
    check_version(locked, expected_version, STALE)
    before = model_snapshot(locked)
    _set(locked, CommercialModel, changes, MODEL_FIELDS)
    _check_model(locked)
    old, new = diff_snapshots(before, model_snapshot(locked))
    if not new:
        return locked
    touch(locked, clock.now(), list(new))
    audit_record(actor=actor, action="sourcing.commercialmodel.updated", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def commercial_model_delete(*, actor, model: CommercialModel, expected_version: int | None = None) -> None:
    """Delete a commercial model (its terms stay in the audit trail)."""
    locked = lock_row(model)
    permissions.require(permissions.may_manage(actor, locked.organisation_id))
    check_version(locked, expected_version, STALE)
    audit_record(actor=actor, action="sourcing.commercialmodel.deleted", obj=locked, before=model_snapshot(locked))
    locked.delete()
