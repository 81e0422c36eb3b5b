"""Project services: planning, starting (the first baseline), progress and figures against hand-computed
values, re-baselining with a supervisor's approval, baseline immutability, costs, and the refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.projects import evaluation, services
from oversight.projects.choices import BaselineStatus, ProjectStatus
from oversight.projects.models import Baseline, Snapshot
from tests.projects.conftest import day

D = Decimal
pytestmark = pytest.mark.usefixtures("english")


def record_first_week(world, started, **kwargs):
    """Status 11-11: requirements finished at 100 %, design started; 1 700 spent on 11-10."""
    services.cost_entry_create(
        actor=world.users["client_admin"],
        project=started.project,
        incurred_on=day(11, 10),
        amount="1700",
        description="Vendor invoice 1",
    )
    return services.progress_record(
        actor=kwargs.pop("actor", world.users["vendor_manager"]),
        project=started.project,
        status_date=day(11, 11),
        lines=[
            {"work_package": started.requirements, "finished": True, "percent_complete": D(100)},
            {"work_package": started.design, "started": True},
        ],
        **kwargs,
    )


def test_start_sets_the_first_baseline(world, started):
    project = started.project
    assert project.status == ProjectStatus.ACTIVE
    baseline = project.baselines.get()
    assert (baseline.number, baseline.status, baseline.bac) == (1, BaselineStatus.APPROVED, D(4000))
    assert baseline.decided_by == world.users["client_supervisor"]
    assert sorted(p["code"] for p in baseline.plan["packages"]) == ["1", "1.1", "1.2", "2"]
    assert [p["code"] for p in evaluation.leaves(baseline.plan)] == ["1.1", "1.2", "2"]
    assert AuditEntry.objects.filter(action="projects.baseline.created", object_id=str(baseline.pk)).exists()
    assert AuditEntry.objects.filter(action="projects.project.start").exists()


def test_start_refused_when_budgets_do_not_add_up(world, planned):
    services.project_update(actor=world.users["client_admin"], project=planned.project, bac=D(5000))
    with pytest.raises(ApplicationError, match="4000"):
        services.project_transition(actor=world.users["client_admin"], project=planned.project, action="start")
    planned.project.refresh_from_db()
    assert planned.project.status == ProjectStatus.PLANNING and not planned.project.baselines.exists()


def test_baseline_is_immutable(started):
    baseline = started.project.baselines.get()
    baseline.plan = {"packages": [], "milestones": []}
    with pytest.raises(ValidationError):
        baseline.save()
    baseline.refresh_from_db()
    baseline.bac = D(1)
    with pytest.raises(ValidationError):
        baseline.save()
    with pytest.raises(ValidationError):
        Baseline.objects.get(pk=baseline.pk).delete()
    # and editing the live plan afterwards leaves the baseline's plan as it was
    services.work_package_create(
        actor=started.project.created_by,
        project=started.project,
        code="3",
        name="Extra",
        planned_start=day(11, 30),
        planned_finish=day(12, 4),
        budget=D(500),
    )
    assert len(Baseline.objects.get(pk=baseline.pk).plan["packages"]) == 4


def test_figures_at_a_status_date_by_hand(world, started):
    """PV = 1 000 + 3/5 of 1 000 = 1 600 (8 working days elapsed); EV = 1 000 + 500 = 1 500; AC 1 700."""
    record_first_week(world, started)
    result = evaluation.evaluate(started.project, day(11, 11))
    r = result.rounded
    assert (r["pv"], r["ev"], r["ac"], r["at"]) == (D("1600.00"), D("1500.00"), D("1700.00"), 8)
    assert (r["sv"], r["cv"]) == (D("-100.00"), D("-200.00"))
    assert (r["spi"], r["cpi"]) == (D("0.9375"), D("0.8824"))
    assert r["eac"] == D("4533.33")  # 4 000 · 1 700 / 1 500
    assert r["tcpi"] == D("1.0870")  # 2 500 / 2 300
    # earned schedule: PV reaches 1 400 after day 7 and 1 600 after day 8, so EV 1 500 is day 7.5
    assert r["es"] == D("7.5000") and r["spi_t"] == D("0.9375")
    assert (result.light_spi, result.light_cpi, result.light) == ("yellow", "red", "red")
    tree = {p.code: p for p in result.packages}
    assert (tree["1"].budget, tree["1"].pv, tree["1"].ev) == (D(2000), D(1600), D(1500))
    assert tree["2"].ev == 0 and tree["1.2"].share == D("0.5")
    snapshot = Snapshot.objects.get(project=started.project, status_date=day(11, 11))
    assert (snapshot.pv, snapshot.ev, snapshot.ac, snapshot.light) == (D(1600), D(1500), D(1700), "red")
    started.project.refresh_from_db()
    assert started.project.status_date == day(11, 11)


def test_weighted_milestones_and_slippage(world, started):
    record_first_week(world, started)
    services.progress_record(
        actor=world.users["vendor_agent"],  # the vendor owner
        project=started.project,
        status_date=day(11, 23),
        lines=[{"work_package": started.design, "finished": True}],
        milestones_reached={started.m1.pk: day(11, 23)},
    )
    result = evaluation.evaluate(started.project, day(11, 23))
    # M1 (weight 1 of 4) reached: Build earns 2 000 / 4 = 500; requirements stay at 100 %, design finished
    assert result.figures.ev == D(2500)
    m1 = next(m for m in result.milestones if m.name == "M1")
    assert (m1.reached_on, m1.slippage_days) == (day(11, 23), 1)  # planned Fri 11-20, reached Mon 11-23
    # seen from the earlier status date, M1 was neither due nor reached
    earlier = evaluation.evaluate(started.project, day(11, 11))
    assert earlier.figures.ev == D(1500) and earlier.slippage_days == 0


def test_progress_refusals(world, started):
    with pytest.raises(NotAllowed):
        record_first_week(world, started, actor=world.users["vendor_agent_2"])
    with pytest.raises(NotAllowed):
        record_first_week(world, started, actor=world.users["other_vendor_manager"])
    with pytest.raises(ApplicationError, match="percentage"):
        services.progress_record(
            actor=world.users["vendor_manager"],
            project=started.project,
            status_date=day(11, 4),
            lines=[{"work_package": started.requirements, "started": True}],
        )
    with pytest.raises(ApplicationError, match="future"):
        services.progress_record(actor=world.users["vendor_manager"], project=started.project, status_date=day(12, 31))
    with pytest.raises(ApplicationError, match="baseline"):
        services.progress_record(
            actor=world.users["vendor_manager"],
            project=started.project,
            status_date=day(11, 4),
            lines=[{"work_package": started.analysis, "finished": True}],  # a summary, not a deliverable
        )


def test_progress_before_start_is_refused(world, planned):
    with pytest.raises(ApplicationError):
        services.progress_record(actor=world.users["vendor_manager"], project=planned.project, status_date=day(11, 4))


def test_rebaseline_needs_a_supervisors_approval(world, started):
    record_first_week(world, started)
    services.work_package_create(
        actor=world.users["client_admin"],
        project=started.project,
        code="3",
        name="Training",
        planned_start=day(11, 30),
        planned_finish=day(12, 4),
        budget=D(1000),
        ev_method="0_100",
    )
    services.project_update(actor=world.users["client_admin"], project=started.project, bac=D(5000))
    with pytest.raises(ApplicationError, match="why"):
        services.baseline_request(actor=world.users["vendor_manager"], project=started.project, reason=" ")
    request = services.baseline_request(
        actor=world.users["vendor_manager"], project=started.project, reason="Training added by the client"
    )
    assert request.status == BaselineStatus.REQUESTED and request.number == 2
    # still measured against baseline 1
    assert evaluation.evaluate(started.project, day(11, 11)).figures.bac == D(4000)
    for role in ("client_admin", "vendor_manager", "executive"):
        with pytest.raises(NotAllowed):
            services.baseline_decide(actor=world.users[role], baseline=request, action="approve")
    with pytest.raises(ApplicationError, match="why"):
        services.baseline_decide(actor=world.users["client_supervisor"], baseline=request, action="reject")
    approved = services.baseline_decide(
        actor=world.users["client_supervisor"], baseline=request, action="approve", note="Agreed in the steering group"
    )
    assert approved.status == BaselineStatus.APPROVED and approved.decided_by == world.users["client_supervisor"]
    assert approved.reason == "Training added by the client"
    assert evaluation.evaluate(started.project, day(11, 11)).figures.bac == D(5000)
    with pytest.raises(InvalidTransition):
        services.baseline_decide(actor=world.users["client_supervisor"], baseline=approved, action="reject", note="x")
    assert AuditEntry.objects.filter(action="projects.baseline.approve", object_id=str(approved.pk)).exists()


def test_cost_entry_recomputes_later_snapshots(world, started):
    record_first_week(world, started)
    services.cost_entry_create(
        actor=world.users["client_admin"],
        project=started.project,
        incurred_on=day(11, 9),
        amount="300",
        description="Travel",
    )
    snapshot = Snapshot.objects.get(project=started.project, status_date=day(11, 11))
    assert snapshot.ac == D(2000) and snapshot.cpi == D("0.7500")
    with pytest.raises(NotAllowed):
        services.cost_entry_create(
            actor=world.users["vendor_manager"],
            project=started.project,
            incurred_on=day(11, 9),
            amount="1",
            description="x",
        )
    with pytest.raises(ApplicationError):
        services.cost_entry_create(
            actor=world.users["client_admin"],
            project=started.project,
            incurred_on=day(11, 9),
            amount="abc",
            description="x",
        )


def test_project_create_refusals(world, workweek):
    admin = world.users["client_admin"]
    with pytest.raises(ApplicationError):
        services.project_create(actor=admin, name="X", vendor=world.foreign_vendor, calendar=workweek, bac=D(1))
    with pytest.raises(ApplicationError):
        services.project_create(
            actor=admin,
            name="X",
            vendor=world.vendor,
            calendar=workweek,
            bac=D(1),
            vendor_owner=world.users["other_vendor_manager"],
        )
    with pytest.raises(ApplicationError):
        services.project_create(
            actor=admin,
            name="X",
            vendor=world.vendor,
            calendar=workweek,
            bac=D(1),
            red_deviation=D("0.05"),
            green_tolerance=D("0.1"),
        )
    with pytest.raises(NotAllowed):
        services.project_create(
            actor=world.users["vendor_manager"], name="X", vendor=world.vendor, calendar=workweek, bac=D(1)
        )


def test_finish_to_start_dependency_checked(world, planned):
    with pytest.raises(ApplicationError, match="finish-to-start"):
        services.work_package_create(
            actor=world.users["client_admin"],
            project=planned.project,
            code="3",
            name="Too early",
            planned_start=day(11, 20),
            planned_finish=day(11, 30),
            budget=D(0),
            depends_on=[planned.build],
        )


def test_critical_chain_buffer(world, started):
    services.project_update(
        actor=world.users["client_admin"],
        project=started.project,
        critical_chain=True,
        chain_days=D(20),
        buffer_days=D(10),
    )
    started.project.refresh_from_db()
    record_first_week(world, started, remaining_days=D(16))
    result = evaluation.evaluate(started.project, day(11, 11))
    # 8 days elapsed + 16 remaining = 24 > 20: 4 of 10 buffer days used (40 %), chain 4/20 = 20 % complete
    assert result.buffer.consumed == D(4) and result.buffer.complete_share == D("0.2")
    assert result.buffer.burn_rate == D(2)
    # at 20 % complete the yellow line is at 0.15 + 0.6·0.2 = 0.27 and the red one at 0.30 + 0.6·0.2 = 0.42
    assert result.fever_zone == "yellow"
    snapshot = Snapshot.objects.get(project=started.project, status_date=day(11, 11))
    assert (snapshot.buffer_consumed_share, snapshot.burn_rate, snapshot.fever_zone) == (D("0.4"), D(2), "yellow")
