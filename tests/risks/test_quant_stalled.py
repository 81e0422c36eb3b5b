"""Stuck simulation runs: a run left "running" by a worker that died (no progress for the configured minutes) is
marked failed by the sweep with a clear reason, exactly once, and can be run again (a new run with the same
inputs and seed); a live worker is never swept, and a worker presumed dead that finishes later leaves the run
failed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.core.clock import frozen_at
from oversight.risks import simulation
from oversight.risks.choices_quant import SimulationStatus
from oversight.risks.models import SimulationRun
from oversight.risks.tasks import fail_stalled_simulations
from tests.risks.test_quant_services import make_risk, quantify

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def run(world):
    quantify(world, make_risk(world, "R-1", vendor=world.vendor))
    quantify(world, make_risk(world, "R-2"), p="0.5", a="1000", m="4000", b="5000")
    with frozen_at(T0):
        return simulation.simulation_create(actor=world.users["client_admin"], seed=7)


def _crashed(run, *, heartbeat=T0):
    """What a worker that died after starting leaves behind: running, the last progress at `heartbeat`."""
    SimulationRun.objects.filter(pk=run.pk).update(status=SimulationStatus.RUNNING, progress=40, heartbeat_at=heartbeat)


def test_a_run_silent_past_the_limit_is_marked_failed_once(run, settings):
    settings.RISK_SIMULATION_STALL_MINUTES = 15
    _crashed(run)
    assert simulation.simulations_fail_stalled(now=T0 + dt.timedelta(minutes=14)) == 0
    assert SimulationRun.objects.get(pk=run.pk).status == SimulationStatus.RUNNING
    assert simulation.simulations_fail_stalled(now=T0 + dt.timedelta(minutes=16)) == 1
    failed = SimulationRun.objects.get(pk=run.pk)
    assert failed.status == SimulationStatus.FAILED
    assert failed.failure == simulation.STALLED_REASON
    assert "stopped reporting progress" in failed.failure
    assert failed.finished_at == T0 + dt.timedelta(minutes=16)
    entry = AuditEntry.objects.get(action="risks.simulationrun.fail", object_id=str(run.pk))
    assert entry.after["silent_since"] == T0.isoformat()
    # Run twice (or by two beat processes): nothing more happens.
    assert simulation.simulations_fail_stalled(now=T0 + dt.timedelta(minutes=30)) == 0
    assert AuditEntry.objects.filter(action="risks.simulationrun.fail").count() == 1


def test_the_limit_is_a_setting_and_the_task_uses_it(run, settings):
    settings.RISK_SIMULATION_STALL_MINUTES = 5
    _crashed(run, heartbeat=None)  # died before its first progress report: the request time counts
    with frozen_at(T0 + dt.timedelta(minutes=4)):
        assert fail_stalled_simulations() == 0
    with frozen_at(T0 + dt.timedelta(minutes=6)):
        assert fail_stalled_simulations() == 1
    assert SimulationRun.objects.get(pk=run.pk).status == SimulationStatus.FAILED


def test_queued_finished_and_live_runs_are_left_alone(world, run, django_capture_on_commit_callbacks):
    later = T0 + dt.timedelta(hours=5)
    assert simulation.simulations_fail_stalled(now=later) == 0  # queued: waiting for a worker is not a crash
    with frozen_at(later - dt.timedelta(minutes=1)):
        simulation.simulation_execute(run_id=run.pk)
    finished = SimulationRun.objects.get(pk=run.pk)
    assert finished.status == SimulationStatus.FINISHED
    assert finished.heartbeat_at == later - dt.timedelta(minutes=1)  # the job's progress is its sign of life
    assert simulation.simulations_fail_stalled(now=later + dt.timedelta(days=1)) == 0
    assert SimulationRun.objects.get(pk=run.pk).status == SimulationStatus.FINISHED


def test_a_worker_swept_as_dead_that_finishes_later_leaves_the_run_failed(run, monkeypatch):
    real = simulation.montecarlo.simulate

    def slow(*args, **kwargs):
        outcome = real(*args, **kwargs)
        # While this worker was silent the sweep declared it dead.
        assert simulation.simulations_fail_stalled(now=simulation.clock.now() + dt.timedelta(hours=1)) == 1
        return outcome

    monkeypatch.setattr(simulation.montecarlo, "simulate", slow)
    simulation.simulation_execute(run_id=run.pk)
    stored = SimulationRun.objects.get(pk=run.pk)
    assert stored.status == SimulationStatus.FAILED and stored.result is None
    assert not AuditEntry.objects.filter(action="risks.simulationrun.finish").exists()


def test_a_failed_run_is_run_again_from_its_page(client, world, run, django_capture_on_commit_callbacks):
    _crashed(run)
    simulation.simulations_fail_stalled(now=T0 + dt.timedelta(hours=1))
    supervisor = world.users["client_supervisor"]
    supervisor.language = "zh-hans"
    supervisor.save(update_fields=["language"])
    client.force_login(supervisor)
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'data-testid="simulation-failure"' in page
    assert "stopped reporting progress" not in page  # the stored reason reads in the reader's language
    assert "停止报告进度" in page and "重新运行" in page
    assert 'data-testid="simulation-rerun"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("risks:simulation_rerun", args=[run.pk]))
    again = SimulationRun.objects.exclude(pk=run.pk).get()
    assert response.status_code == 302 and response["Location"] == again.get_absolute_url()
    assert again.status == SimulationStatus.FINISHED
    assert (again.seed, again.iterations, again.inputs) == (run.seed, run.iterations, run.inputs)
    assert again.rerun_of_id == run.pk
    assert SimulationRun.objects.get(pk=run.pk).status == SimulationStatus.FAILED  # the failed run stays a record
    # The same inputs and seed give exactly what a fresh run of them gives.
    with django_capture_on_commit_callbacks(execute=True):
        fresh = simulation.simulation_create(actor=world.users["client_admin"], seed=run.seed)
    assert SimulationRun.objects.get(pk=fresh.pk).result["mean"] == again.result["mean"]
    # A run that did not fail is not run again: a clear message, nothing queued.
    response = client.post(reverse("risks:simulation_rerun", args=[again.pk]), follow=True)
    assert SimulationRun.objects.count() == 3
    assert "只有失败的模拟才能重新运行" in response.content.decode()


def test_rerun_over_the_api_and_who_may(api, world, run, django_capture_on_commit_callbacks):
    _crashed(run)
    simulation.simulations_fail_stalled(now=T0 + dt.timedelta(hours=1))
    url = f"/api/v1/risk-simulations/{run.pk}/rerun/"
    for role, status in (("executive", 403), ("auditor", 403), ("vendor_manager", 403), ("requester", 403)):
        assert api(role).post(url, format="json").status_code == status, role
    assert api("foreign_admin").post(url, format="json").status_code == 404
    assert SimulationRun.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api("client_admin").post(url, format="json")
    assert response.status_code == 201
    assert response.json()["rerun_of"] == run.pk and response.json()["seed"] == 7
    refused = api("client_admin").post(f"/api/v1/risk-simulations/{response.json()['id']}/rerun/", format="json")
    assert refused.status_code == 400
