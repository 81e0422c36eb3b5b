"""The permission matrix's knowledge of the risk quantification: each risk's inputs, correlations and the
simulation runs (issue 10 "Quantification"; the register's visibility).

Rules: the organisation's client roles (administrators, supervisors, executives, auditors) see its risks' inputs
and its runs; vendor staff and requesters are refused the pages and the API (403, as the register and the
triggers), another organisation's risks and runs are 404. Client administrators and supervisors write. The risks
(model key "risk", with their secret titles, which a run's page names) are built by the register's rules file;
this one quantifies every one of them and runs one simulation per organisation.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from oversight.risks import simulation
from oversight.risks.models import RiskCorrelation, RiskQuantification, SimulationRun
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, Matrix, Payload, describe_app, side

OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
QUANT_INPUT = {
    "frequency": "bernoulli",
    "rate": "0.2",
    "severity": "pert",
    "low": "1000",
    "mode": "2000",
    "high": "6000",
    "currency": "CNY",
}


def build(matrix: Matrix) -> None:
    risks = matrix.objects["risk"]
    runs = {}
    for risk in risks.values():
        actor = matrix.users["foreign_admin" if risk.organisation_id != matrix.world.org.pk else "client_admin"]
        simulation.quantification_save(
            actor=actor,
            risk=risk,
            frequency="bernoulli",
            rate=Decimal("0.3"),
            severity="pert",
            low=Decimal("100"),
            mode=Decimal("400"),
            high=Decimal("900"),
        )
    for key, role in (("A", "client_admin"), ("X", "foreign_admin")):
        actor = matrix.users[role]
        if not any(r.organisation_id == actor.organisation_id and r.is_open for r in risks.values()):
            continue  # a run simulates open risks only
        with transaction.atomic():
            run = simulation.simulation_create(actor=actor, seed=1)
        simulation.simulation_execute(run_id=run.pk)
        runs[key] = SimulationRun.objects.get(pk=run.pk)
    matrix.objects["risk_quantification"] = {
        key: RiskQuantification.objects.get(risk=risk) for key, risk in risks.items()
    }
    matrix.objects["simulation_run"] = runs


def _client_of(matrix: Matrix, role: str, organisation_id: int) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == organisation_id and side(user) == "client"


def sees_run(matrix: Matrix, role: str, run) -> bool:
    return _client_of(matrix, role, run.organisation_id)


def sees_quantification(matrix: Matrix, role: str, q) -> bool:
    return _client_of(matrix, role, q.risk.organisation_id)


def _other_risk(target, matrix: Matrix):
    """Another risk of the target risk's organisation (any risk for a probe, which names none)."""
    risks = list(matrix.objects.get("risk", {}).values())
    risk = target.obj
    if risk is None:
        return risks[0]
    return next((r for r in risks if r.organisation_id == risk.organisation_id and r != risk), risk)


describe_app(
    "risks",
    models={"risk_quantification": RiskQuantification, "simulation_run": SimulationRun},
    build=build,
    rules={"risk_quantification": sees_quantification, "simulation_run": sees_run},
    tables=(RiskQuantification, RiskCorrelation, SimulationRun),
    pk_models={
        "risks:quantification": "risk",
        "risks:correlations": "risk",
        "risks:simulation_detail": "simulation_run",
        "risks:simulation_progress": "simulation_run",
        "risks:simulation_rerun": "simulation_run",
    },
    gates={
        "risks:quantification": CLIENT_SIDE,
        "risks:correlations": CLIENT_SIDE,
        "risks:simulation_list": CLIENT_SIDE,
        "risks:simulation_create": OPERATORS,
        "risks:simulation_detail": CLIENT_SIDE,
        "risks:simulation_progress": CLIENT_SIDE,
        "risks:simulation_rerun": CLIENT_SIDE,
        "api:risk-quantification-list": CLIENT_SIDE,
        "api:risk-quantification-detail": CLIENT_SIDE,
        "api:risk-simulation-list": CLIENT_SIDE,
        "api:risk-simulation-detail": CLIENT_SIDE,
        "api:risk-simulation-rerun": CLIENT_SIDE,
    },
    payloads={
        ("risks:quantification", "post"): lambda target, matrix: Payload(dict(QUANT_INPUT)),
        ("risks:correlations", "post"): lambda target, matrix: Payload(
            {"other": _other_risk(target, matrix).pk, "coefficient": "0.2"}
        ),
        ("risks:simulation_create", "post"): lambda target, matrix: Payload({"iterations": "10000", "seed": "3"}),
        ("api:risk-quantification-list", "post"): lambda target, matrix: Payload(
            {"risk": next(iter(matrix.objects["risk"].values())).pk, **QUANT_INPUT}, json=True
        ),
        ("api:risk-simulation-list", "post"): lambda target, matrix: Payload({"seed": 3}, json=True),
        ("risks:simulation_rerun", "post"): lambda target, matrix: Payload({}),
        ("api:risk-simulation-rerun", "post"): lambda target, matrix: Payload({}, json=True),
    },
)
