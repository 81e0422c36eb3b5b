"""The permission matrix's knowledge of sourcing: saved outsourcing scenarios and commercial models.

Rules (issue 12 "Cost, ROI and TCO"): a scenario is the client's business case — the client side of its
organisation sees it, vendor staff and requesters never (not even a list), other organisations none. A commercial
model is seen with its contract: the client side, and the contract's own vendor once the contract is activated
(a draft contract's model is hidden from its vendor). The client's administrators and supervisors save, change and
delete both; executives and auditors read.
"""

from __future__ import annotations

from decimal import Decimal

from oversight.sourcing import services
from oversight.sourcing.models import CommercialModel, Scenario
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    VENDOR_SIDE,
    Matrix,
    Payload,
    describe_app,
    secret,
    side,
)

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
MODELS = ("A.V1", "A.V1.draft", "A.V2", "X")


def scenario_fields(name: str) -> dict:
    return {
        "name": name,
        "kind": "in_house",
        "in_house_share": "100",
        "baseline_in_house_share": "0",
        "horizon_years": "3",
        "discount_rate": "8",
        "annual_contacts": "100000",
        "aht_seconds": "300",
        "required_fte": "10",
        "annual_wage_per_fte": "50000",
        "price_per_contact": "9",
        "transition_cost": "150000",
    }


def build(matrix: Matrix) -> None:
    world = matrix.world
    scenarios = {}
    for key, org in (("A", world.org), ("X", world.foreign_vendor.organisation)):
        actor = matrix.users["foreign_admin" if key == "X" else "client_supervisor"]
        scenarios[key] = services.scenario_create(
            actor=actor, organisation=org, **scenario_fields(secret(f"Scn{key}", "Name"))
        )
    matrix.objects["sourcing_scenario"] = scenarios
    models = {}
    for key in MODELS:
        version = matrix.objects["contract_version"][key]
        actor = matrix.users["foreign_admin" if key == "X" else "client_admin"]
        models[key] = services.commercial_model_create(
            actor=actor,
            contract_version=version,
            basis="handled_contact",
            rate=Decimal("3.5"),
            note=secret("Cm" + key.replace(".", ""), "Note"),
        )
    matrix.objects["sourcing_model"] = models


def sees_scenario(matrix: Matrix, role: str, scenario) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == scenario.organisation_id and side(user) == "client"


def sees_model(matrix: Matrix, role: str, model) -> bool:
    user = matrix.user(role)
    contract = model.contract_version.contract
    if user is None or user.organisation_id != contract.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and contract.vendor_id == user.vendor_id and contract.status != "draft")


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for key, scenario in matrix.objects["sourcing_scenario"].items():
        if not sees_scenario(matrix, role, scenario):
            out[scenario.name] = f"scenario {key}"
    for key, model in matrix.objects["sourcing_model"].items():
        if not sees_model(matrix, role, model):
            out[model.note] = f"commercial model {key}"
    return out


def get_status(matrix, role, target) -> int | None:
    """The comparison without two ticked scenarios sends the reader back to the list."""
    if target.endpoint.name == "sourcing:compare":
        return 302
    return None


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data), json=True)


def _version(target) -> str:
    return str(getattr(target.obj, "version", 1))


def _model_fields(target, matrix) -> dict:
    return {"basis": "productive_hour", "rate": "42", "hours_per_fte_month": "174", "version": _version(target)}


def _new_model(target, matrix) -> dict:
    # The A.V1 version has its model already: an allowed role is refused by the service (400, nothing written);
    # the matrix checks that everyone else is refused before that.
    return {**_model_fields(target, matrix), "contract_version": matrix.objects["contract_version"]["A.V1"].pk}


describe_app(
    "sourcing",
    models={"sourcing_scenario": Scenario, "sourcing_model": CommercialModel},
    build=build,
    rules={"sourcing_scenario": sees_scenario, "sourcing_model": sees_model},
    words=words,
    get_status=get_status,
    tables=(Scenario, CommercialModel),
    pk_models={
        "sourcing:scenario_detail": "sourcing_scenario",
        "sourcing:scenario_edit": "sourcing_scenario",
        "sourcing:scenario_delete": "sourcing_scenario",
        "sourcing:scenario_export": "sourcing_scenario",
        "sourcing:commercial_detail": "sourcing_model",
        "sourcing:commercial_edit": "sourcing_model",
        "sourcing:commercial_delete": "sourcing_model",
    },
    gates={
        "sourcing:scenario_list": CLIENT_SIDE,
        "sourcing:compare": CLIENT_SIDE,
        "sourcing:scenario_create": OPERATORS,
        "sourcing:scenario_detail": CLIENT_SIDE,
        "sourcing:scenario_edit": OPERATORS,
        "sourcing:scenario_delete": OPERATORS,
        "sourcing:scenario_export": CLIENT_SIDE,
        "sourcing:commercial_list": READERS,
        "sourcing:commercial_create": OPERATORS,
        "sourcing:commercial_detail": READERS,
        "sourcing:commercial_edit": OPERATORS,
        "sourcing:commercial_delete": OPERATORS,
        "api:sourcing-scenario-list": CLIENT_SIDE,
        "api:sourcing-scenario-detail": CLIENT_SIDE,
        "api:sourcing-commercial-model-list": READERS,
        "api:sourcing-commercial-model-detail": READERS,
        "api:sourcing-commercial-model-charges": READERS,
    },
    payloads={
        ("sourcing:scenario_create", "post"): _form(lambda t, m: scenario_fields("PmxNewScenario")),
        ("sourcing:scenario_edit", "post"): _form(
            lambda t, m: {**scenario_fields("PmxEditedScenario"), "version": _version(t)}
        ),
        ("sourcing:scenario_delete", "post"): _form(lambda t, m: {"version": _version(t)}),
        ("sourcing:commercial_create", "post"): _form(_new_model),
        ("sourcing:commercial_edit", "post"): _form(_model_fields),
        ("sourcing:commercial_delete", "post"): _form(lambda t, m: {"version": _version(t)}),
        ("api:sourcing-scenario-list", "post"): _json(lambda t, m: scenario_fields("PmxApiScenario")),
        ("api:sourcing-scenario-detail", "patch"): _json({"name": "PmxApiPatched"}),
        ("api:sourcing-commercial-model-list", "post"): _json(
            lambda t, m: {
                "contract_version": m.objects["contract_version"]["A.V1"].pk,
                "basis": "handled_contact",
                "rate": "3",
            }
        ),
        ("api:sourcing-commercial-model-detail", "patch"): _json({"rate": "4"}),
        ("api:sourcing-scenario-detail", "delete"): _json({}),
        ("api:sourcing-commercial-model-detail", "delete"): _json({}),
    },
)
