"""Periodic jobs of the risks app. Each takes no instance and is safe to run twice or after a crash. The
quantification and trigger parts add their own tasks below."""

from celery import shared_task

from oversight.risks.services import overdue_notify


@shared_task(name="oversight.risks.tasks.notify_overdue_risk_work")
def notify_overdue_risk_work() -> int:
    """Notify owners of overdue risk reviews and mitigations, once per overdue episode."""
    return overdue_notify()


@shared_task(name="oversight.risks.tasks.evaluate_key_risk_indicators")
def evaluate_key_risk_indicators() -> int:
    """Evaluate every active key risk indicator (a breach raises its risk event once); returns events raised."""
    from oversight.risks.triggers import kris_evaluate

    return kris_evaluate()


# --- quantification: running a queued simulation (queued by risks.simulation.simulation_create) ---


@shared_task(name="oversight.risks.tasks.run_simulation")
def run_simulation(run_id: int) -> str:
    """Run a queued simulation once; a second delivery finds it started and does nothing."""
    from oversight.risks.simulation import simulation_execute

    run = simulation_execute(run_id=run_id)
    return run.status if run is not None else "skipped"


@shared_task(name="oversight.risks.tasks.fail_stalled_simulations")
def fail_stalled_simulations() -> int:
    """Mark failed the running simulations whose worker stopped reporting progress (they can be run again)."""
    from oversight.risks.simulation import simulations_fail_stalled

    return simulations_fail_stalled()
