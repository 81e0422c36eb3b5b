"""Services of the risk quantification: inputs checked in plain language, correlations kept consistent, runs
queued, executed once, reproducible from their seed, immutable, audited; and who may do what."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.quant import montecarlo
from oversight.risks import simulation
from oversight.risks.choices_quant import SimulationStatus
from oversight.risks.models import Risk, RiskCorrelation, RiskQuantification, SimulationRun
from oversight.risks.tasks import run_simulation

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def make_risk(world, number, *, category="vendor", vendor=None, org=None, status=None):
    owner = world.users["client_supervisor"]
    fields = {
        "organisation": org or world.org,
        "number": number,
        "title": f"风险 {number}",
        "cause": "c",
        "event": "e",
        "consequence": "q",
        "category": category,
        "owner": owner,
        "vendor": vendor,
        "next_review_date": dt.date(2027, 1, 1),
        "created_by": owner,
        "created_at": NOW,
        "updated_at": NOW,
    }
    if status:
        fields["status"] = status
    return Risk.objects.create(**fields)


def quantify(world, risk, p="0.2", a="10000", m="20000", b="60000", **kwargs):
    return simulation.quantification_save(
        actor=world.users["client_supervisor"],
        risk=risk,
        frequency=kwargs.pop("frequency", "bernoulli"),
        rate=Decimal(p),
        severity=kwargs.pop("severity", "pert"),
        low=Decimal(a),
        mode=None if m is None else Decimal(m),
        high=Decimal(b),
        **kwargs,
    )


def run_now(world, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        run = simulation.simulation_create(actor=world.users["client_supervisor"], **kwargs)
    return SimulationRun.objects.get(pk=run.pk)


def test_inputs_are_saved_replaced_and_audited(world):
    risk = make_risk(world, "R-1")
    quantify(world, risk)
    quantify(world, risk, p="0.3")
    assert RiskQuantification.objects.get(risk=risk).rate == Decimal("0.3")
    entries = AuditEntry.objects.filter(object_type="risks.riskquantification").order_by("pk")
    actions = list(entries.values_list("action", flat=True))
    assert actions == ["risks.riskquantification.created", "risks.riskquantification.changed"]


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"a": "500", "m": "300", "b": "100"}, "low", "lower bound must be below the upper bound"),
        ({"a": "-5"}, "low", "cannot be negative"),
        ({"p": "1.5"}, "rate", "probability must lie between 0 and 1"),
        ({"m": "90000"}, "mode", "most likely value"),
    ],
)
def test_bad_inputs_are_refused_in_plain_language_on_their_field(world, values, field, words):
    risk = make_risk(world, "R-1")
    with pytest.raises(ApplicationError) as caught:
        quantify(world, risk, **values)
    assert caught.value.extra["field"] == field
    assert words in str(caught.value.message)
    assert "R-1" in str(caught.value.message)


def test_read_only_roles_and_vendors_cannot_quantify(world):
    risk = make_risk(world, "R-1")
    for role in ("executive", "auditor", "vendor_manager"):
        with pytest.raises(NotAllowed):
            simulation.quantification_save(
                actor=world.users[role],
                risk=risk,
                frequency="bernoulli",
                rate=Decimal("0.1"),
                severity="pert",
                low=Decimal(1),
                mode=Decimal(2),
                high=Decimal(3),
            )
    with pytest.raises(NotAllowed):
        simulation.simulation_create(actor=world.users["executive"])


def test_contradictory_correlations_are_refused(world):
    r1, r2, r3 = (make_risk(world, f"R-{i}") for i in (1, 2, 3))
    actor = world.users["client_admin"]
    simulation.correlation_save(actor=actor, risk=r1, other=r2, coefficient=Decimal("0.6"))
    simulation.correlation_save(actor=actor, risk=r3, other=r1, coefficient=Decimal("0.6"))
    with pytest.raises(ApplicationError, match="contradict"):
        simulation.correlation_save(actor=actor, risk=r2, other=r3, coefficient=Decimal("-0.9"))
    # stored once per pair, lower id first; 0 removes it
    row = RiskCorrelation.objects.get(first=r1, second=r3)
    assert row.coefficient == Decimal("0.6")
    simulation.correlation_save(actor=actor, risk=r3, other=r1, coefficient=Decimal("0"))
    assert not RiskCorrelation.objects.filter(first=r1, second=r3).exists()


def test_a_run_simulates_the_open_quantified_risks_and_stores_a_reproducible_result(
    world, django_capture_on_commit_callbacks
):
    r1 = make_risk(world, "R-1", vendor=world.vendor, category="technical")
    r2 = make_risk(world, "R-2", vendor=world.other_vendor)
    make_risk(world, "R-3")  # not quantified: left out
    quantify(world, r1)
    quantify(world, r2, p="1.5", a="100", m=None, b="900", frequency="poisson", severity="lognormal")
    simulation.correlation_save(actor=world.users["client_admin"], risk=r1, other=r2, coefficient=Decimal("0.5"))
    with clock.frozen_at(NOW):
        run = run_now(world, django_capture_on_commit_callbacks, seed=42, appetite=Decimal("30000"))
    assert run.status == SimulationStatus.FINISHED and run.progress == 100 and run.finished_at == NOW
    assert [r["number"] for r in run.inputs["risks"]] == ["R-1", "R-2"]
    result = run.result
    # the analytic mean, computed here: 0.2·(10000 + 80000 + 60000)/6 + 1.5·exp(μ + σ²/2)
    mu, sigma = montecarlo.lognormal_parameters(100, 900)
    expected = 0.2 * 150_000 / 6 + 1.5 * math.exp(mu + sigma**2 / 2)
    assert result["analytic_mean"] == pytest.approx(expected)
    assert abs(result["mean"] - expected) <= 4 * result["standard_error"]
    assert result["correlated"] is True
    assert {(g["dimension"], g["label"]) for g in result["groups"]} == {
        ("vendor", "Desk Co"),
        ("vendor", "Net Co"),
        ("category", "technical"),
        ("category", "vendor"),
    }
    # the same snapshot and seed give the same numbers
    risks, correlation = simulation.simulation_inputs(run.inputs)
    again = montecarlo.simulate(
        risks, iterations=run.iterations, seed=run.seed, correlation=correlation, appetite=30000
    )
    assert again.as_dict() == result
    actions = list(
        AuditEntry.objects.filter(object_type="risks.simulationrun").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["risks.simulationrun.created", "risks.simulationrun.start", "risks.simulationrun.finish"]


def test_the_job_runs_a_run_once_and_a_finished_run_is_never_recomputed(world, django_capture_on_commit_callbacks):
    quantify(world, make_risk(world, "R-1"))
    run = run_now(world, django_capture_on_commit_callbacks, seed=7)
    stored = run.result
    assert run_simulation(run.pk) == "skipped"
    run.refresh_from_db()
    assert run.result == stored and run.status == SimulationStatus.FINISHED


def test_scope_filters_and_refusals(world, django_capture_on_commit_callbacks):
    r1 = make_risk(world, "R-1", vendor=world.vendor, category="technical")
    r2 = make_risk(world, "R-2", category="compliance")
    quantify(world, r1)
    quantify(world, r2, currency="USD")
    with pytest.raises(ApplicationError, match="several currencies"):
        simulation.simulation_create(actor=world.users["client_admin"])
    run = run_now(world, django_capture_on_commit_callbacks, vendor=world.vendor)
    assert [r["number"] for r in run.inputs["risks"]] == ["R-1"]
    run = run_now(world, django_capture_on_commit_callbacks, category="compliance")
    assert run.currency == "USD" and [r["number"] for r in run.inputs["risks"]] == ["R-2"]
    with pytest.raises(ApplicationError) as caught:
        simulation.simulation_create(actor=world.users["client_admin"], category="market")
    assert caught.value.code == "quant_no_risks"
    with pytest.raises(ApplicationError):
        simulation.simulation_create(actor=world.users["client_admin"], vendor=world.foreign_vendor)
    with pytest.raises(ApplicationError) as caught:
        simulation.simulation_create(actor=world.users["client_admin"], vendor=world.vendor, iterations=500)
    assert caught.value.extra["field"] == "iterations"


def test_the_demo_quantifies_the_open_risks_and_runs_one_seeded_simulation(world):
    from oversight.risks.demo_quant import SEED, load_demo_quantification

    assert load_demo_quantification(world.org) is None  # no risks yet: nothing to do
    for i, (category, vendor) in enumerate(
        [("vendor", world.vendor), ("vendor", world.vendor), ("vendor", world.vendor), ("data_security", None)]
    ):
        make_risk(world, f"R-{i}", category=category, vendor=vendor)
    run = load_demo_quantification(world.org)
    assert run.status == SimulationStatus.FINISHED and run.seed == SEED
    assert len(run.inputs["risks"]) == 4 and len(run.inputs["correlations"]) == 2
    assert load_demo_quantification(world.org) is None  # idempotent
    risks, correlation = simulation.simulation_inputs(run.inputs)
    again = montecarlo.simulate(risks, iterations=run.iterations, seed=SEED, correlation=correlation, appetite=3e6)
    assert again.as_dict() == run.result
