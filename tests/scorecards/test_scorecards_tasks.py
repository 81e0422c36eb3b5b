"""The period-end job: opens the previous and current periods of every evaluated contract, computes an ended
draft once after its end, and changes nothing when run again."""

from __future__ import annotations

import datetime as dt

from oversight.core import clock
from oversight.scorecards import services
from oversight.scorecards.models import EvaluationPeriod, PeriodEvent
from oversight.scorecards.tasks import compute_due_periods
from tests.scorecards.conftest import EVAL_AT

OCT_5 = EVAL_AT


def test_the_job_opens_and_computes_and_is_idempotent(world, contract, simple_scheme, fixture_data):
    counts = services.periods_compute_due(now=OCT_5)
    assert counts == {"opened": 2, "computed": 0, "skipped": 0, "failed": 0}
    q3 = EvaluationPeriod.objects.get(starts_on=dt.date(2026, 7, 1))
    q4 = EvaluationPeriod.objects.get(starts_on=dt.date(2026, 10, 1))
    assert (q3.kind, q3.status, q3.computed_after_end, str(q3.total_score)) == ("quarterly", "draft", True, "60.33")
    assert q4.computed_after_end is False
    events = PeriodEvent.objects.count()
    again = services.periods_compute_due(now=OCT_5 + dt.timedelta(hours=1))
    assert again == {"opened": 0, "computed": 0, "skipped": 2, "failed": 0}
    assert PeriodEvent.objects.count() == events
    assert EvaluationPeriod.objects.count() == 2


def test_a_draft_computed_before_its_end_is_computed_once_more_after_it(world, contract, simple_scheme, fixture_data):
    services.periods_compute_due(now=dt.datetime(2026, 9, 20, 2, tzinfo=dt.UTC))  # opens Q2 and Q3 (Q3 early)
    q3 = EvaluationPeriod.objects.get(starts_on=dt.date(2026, 7, 1))
    assert q3.computed_after_end is False
    counts = services.periods_compute_due(now=OCT_5)
    assert counts["computed"] == 1 and counts["opened"] == 1  # Q3 computed after its end; Q4 opened
    q3.refresh_from_db()
    assert q3.computed_after_end is True
    assert services.periods_compute_due(now=OCT_5)["computed"] == 0


def test_a_published_period_is_left_alone(world, contract, simple_scheme, fixture_data):
    services.periods_compute_due(now=dt.datetime(2026, 9, 20, 2, tzinfo=dt.UTC))
    q3 = EvaluationPeriod.objects.get(starts_on=dt.date(2026, 7, 1))
    with clock.frozen_at(dt.datetime(2026, 9, 21, tzinfo=dt.UTC)):
        # Published before the quarter ends: only with the explicit confirmation.
        services.period_publish(period=q3, actor=world.users["client_supervisor"], early=True)
    computed_at = EvaluationPeriod.objects.get(pk=q3.pk).computed_at
    services.periods_compute_due(now=OCT_5)
    assert EvaluationPeriod.objects.get(pk=q3.pk).computed_at == computed_at


def test_the_celery_task_takes_no_arguments_and_runs_the_job(world, contract, simple_scheme):
    with clock.frozen_at(OCT_5):
        result = compute_due_periods.delay().get()
    assert result["opened"] == 2
    with clock.frozen_at(OCT_5):
        assert compute_due_periods.delay().get()["opened"] == 0


def test_contracts_without_a_scheme_or_out_of_term_are_skipped(world, contract):
    assert services.periods_compute_due(now=OCT_5) == {"opened": 0, "computed": 0, "skipped": 0, "failed": 0}
