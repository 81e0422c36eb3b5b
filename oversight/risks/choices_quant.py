"""Choices of the risk quantification: how often a risk happens, how its cost is described, the state machine of
a simulation run, and the audit labels and plain-language input errors of this part (the register's `choices.py`
merges `QUANT_AUDIT_ACTIONS` into its `AUDIT_ACTIONS`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine


class FrequencyKind(models.TextChoices):
    """How often a risk happens in a year (`oversight.quant.montecarlo.Frequency`)."""

    BERNOULLI = "bernoulli", _("At most once a year (probability)")
    POISSON = "poisson", _("Can recur (events per year)")


class SeverityKind(models.TextChoices):
    """How the cost of one occurrence is described (`oversight.quant.montecarlo.Severity`)."""

    PERT = "pert", _("Three-point estimate (PERT)")
    TRIANGULAR = "triangular", _("Triangular")
    LOGNORMAL = "lognormal", _("Lognormal from P5 and P95")


class SimulationStatus(models.TextChoices):
    """Where a simulation run is: queued, running as a job, finished (its result is stored, never changed) or
    failed (with the reason)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class SimulationAction(models.TextChoices):
    START = "start", _("Start")
    FINISH = "finish", _("Finish")
    FAIL = "fail", _("Fail")


SIMULATION_TRANSITIONS = {
    SimulationAction.START: (frozenset({SimulationStatus.QUEUED}), SimulationStatus.RUNNING),
    SimulationAction.FINISH: (frozenset({SimulationStatus.RUNNING}), SimulationStatus.FINISHED),
    SimulationAction.FAIL: (frozenset({SimulationStatus.QUEUED, SimulationStatus.RUNNING}), SimulationStatus.FAILED),
}

SIMULATION_MACHINE = Machine(
    name="risks.simulationrun",
    table=SIMULATION_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the simulation is “%(status)s”.")
        % {"action": SimulationAction(action).label, "status": SimulationStatus(status).label}
    ),
    audit="risks.simulationrun.{action}",
)

RUNNING_STATUSES = frozenset({SimulationStatus.QUEUED, SimulationStatus.RUNNING})

QUANT_AUDIT_ACTIONS = {
    "risks.simulationrun.created": _("Risk simulation requested"),
    "risks.simulationrun.start": _("Risk simulation started"),
    "risks.simulationrun.finish": _("Risk simulation finished"),
    "risks.simulationrun.fail": _("Risk simulation failed"),
}

#: The input errors of `oversight.quant` (by code) in the reader's language; ``%(risk)s`` is the risk's number.
QUANT_ERRORS = {
    "frequency_unknown": _("%(risk)s: choose how often the risk happens."),
    "severity_unknown": _("%(risk)s: choose how its cost is described."),
    "missing_value": _("%(risk)s: a number is needed for every input."),
    "negative": _("%(risk)s: the values cannot be negative."),
    "probability_range": _("%(risk)s: a probability must lie between 0 and 1."),
    "rate_range": _("%(risk)s: at most 50 events a year can be simulated."),
    "bounds_order": _("%(risk)s: the lower bound must be below the upper bound."),
    "lognormal_zero": _("%(risk)s: a lognormal range needs a lower bound (P5) above zero."),
    "mode_outside": _("%(risk)s: the most likely value must lie between the lower and upper bounds."),
    "iterations_range": _("The number of iterations must be between 10,000 and 200,000."),
    "seed_range": _("The seed must be a whole number from 0 to 9,223,372,036,854,775,807."),
    "appetite_negative": _("The appetite must be an amount of 0 or more."),
    "no_risks": _("There is no quantified open risk in this scope to simulate."),
    "duplicate_key": _("Two risks carry the same number."),
    "too_large": _("This register is too large for so many iterations; use fewer iterations."),
    "correlation_range": _("A correlation must lie between −1 and 1."),
    "correlation_self": _("A risk cannot be correlated with itself."),
    "correlation_unknown_risk": _("A correlation names a risk that is not simulated."),
    "correlation_conflict": _("The correlation between two risks is given twice with different values."),
    "correlation_shape": _("The correlation table must have one row and one column per risk."),
    "correlation_not_number": _("Every correlation must be a number."),
    "correlation_diagonal": _("Each risk's correlation with itself must be 1."),
    "correlation_asymmetric": _("The correlation between two risks must be the same both ways round."),
    "correlation_inconsistent": _(
        "These correlations contradict each other: no set of risks can be related this way. "
        "Lower the strongest ones or check their signs."
    ),
}
