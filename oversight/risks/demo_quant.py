"""Demo quantification of the demo hospital's risk register, through the real services.

`load_demo_quantification(organisation)` runs after the register's demo: it gives every open risk yearly loss
inputs (by its category, its probability from its level), correlates risks of the same vendor, and runs one
simulation with a fixed seed, so the demo shows a finished result that anyone can reproduce. Idempotent: an
organisation that already has a simulation run is skipped; without risks nothing is done.
"""

from __future__ import annotations

from decimal import Decimal

from oversight.risks import simulation
from oversight.risks.choices import OPEN_RISK_STATUSES
from oversight.risks.models import Risk, SimulationRun
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User

SEED = 20261207
APPETITE = Decimal("3000000")

#: Yearly probability by the risk's level (at most once a year).
PROBABILITY = {
    "very_low": Decimal("0.03"),
    "low": Decimal("0.08"),
    "medium": Decimal("0.15"),
    "high": Decimal("0.30"),
    "very_high": Decimal("0.50"),
}

#: Inputs by category: (frequency, rate or None for the level's probability, severity, low, mode, high) in yuan.
BY_CATEGORY = {
    "vendor": ("bernoulli", None, "pert", 50_000, 150_000, 600_000),
    "technical": ("bernoulli", None, "triangular", 20_000, 80_000, 400_000),
    "operational": ("poisson", Decimal("2.5"), "pert", 5_000, 20_000, 80_000),
    "data_security": ("bernoulli", None, "lognormal", 100_000, None, 3_000_000),
    "compliance": ("bernoulli", None, "pert", 100_000, 300_000, 1_200_000),
    "financial": ("bernoulli", None, "lognormal", 50_000, None, 1_000_000),
    "market": ("bernoulli", None, "triangular", 30_000, 100_000, 500_000),
}


def _amount(value: int | None, index: int) -> Decimal | None:
    """A category's amount, varied by the risk's place (×1.0 … ×1.4) so the risks differ."""
    return None if value is None else Decimal(value) * (Decimal(10 + index % 5) / Decimal(10))


def load_demo_quantification(organisation) -> SimulationRun | None:
    """Quantify the open demo risks, correlate those of one vendor, and run one seeded simulation."""
    if SimulationRun.objects.filter(organisation=organisation).exists():
        return None
    risks = list(Risk.objects.filter(organisation=organisation, status__in=OPEN_RISK_STATUSES).order_by("number", "pk"))
    actor = (
        User.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN, is_active=True).order_by("pk").first()
    )
    if not risks or actor is None:
        return None
    for index, risk in enumerate(risks):
        frequency, rate, severity, low, mode, high = BY_CATEGORY.get(risk.category, BY_CATEGORY["vendor"])
        simulation.quantification_save(
            actor=actor,
            risk=risk,
            frequency=frequency,
            rate=rate if rate is not None else PROBABILITY.get(risk.level, Decimal("0.10")),
            severity=severity,
            low=_amount(low, index),
            mode=_amount(mode, index),
            high=_amount(high, index),
        )
    by_vendor: dict[int, list[Risk]] = {}
    for risk in risks:
        if risk.vendor_id:
            by_vendor.setdefault(risk.vendor_id, []).append(risk)
    for same_vendor in by_vendor.values():
        # a vendor's failures come together (one bad quarter hits several of its risks)
        for first, second in zip(same_vendor, same_vendor[1:3], strict=False):
            simulation.correlation_save(actor=actor, risk=first, other=second, coefficient=Decimal("0.4"))
    run = simulation.simulation_create(actor=actor, seed=SEED, appetite=APPETITE)
    simulation.simulation_execute(run_id=run.pk)  # in case no job ran it (a queue without a worker)
    return SimulationRun.objects.get(pk=run.pk)
