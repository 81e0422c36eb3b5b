"""An incident linked to an open problem may await it (ADR 0028): the SLA clock pauses only where the policy
version names "awaiting problem" among its pause statuses, and the incident goes back to work when the problem
is resolved or it is unlinked. Figures are business time on an office calendar, computed by hand below."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from oversight.catalog import services as catalog
from oversight.catalog.choices import HolidaySource, Priority
from oversight.core.clock import frozen_at
from oversight.core.errors import ApplicationError
from oversight.problems import handlers
from oversight.problems import services as problems
from oversight.tickets import permissions
from oversight.tickets import services as tickets
from oversight.tickets.choices import Action, ClockState, Status
from oversight.tickets.models import SLAClock, WorkOrder
from tests.factories import ServiceFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = {day: [(9 * 60, 17 * 60)] for day in range(5)}  # Monday–Friday 09:00–17:00, 8 business hours a day
HOUR = 3600


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in Shanghai in the week of Monday 2 March 2026 (day 2 = Monday)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def office_service(world, *, code: str, pauses: list[str]):
    """A service whose policy counts 16 business hours to resolve on office hours, pausing on ``pauses``."""
    calendar = catalog.calendar_create(
        actor=None,
        organisation=world.org,
        name=f"Office {code}",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.NONE,
        weekly=OFFICE,
    )
    policy = catalog.sla_policy_create(actor=None, organisation=world.org, name=f"Office {code}", code=code)
    targets = [
        {"priority": p, "metric": "resolution", "target_minutes": 16 * 60, "calendar": calendar} for p in Priority
    ]
    catalog.sla_policy_version_create(actor=None, policy=policy, targets=targets, pause_statuses={"resolution": pauses})
    return ServiceFactory(organisation=world.org, vendor=world.vendor, sla_policy=policy, code=code)


def resolution(wo) -> SLAClock:
    return WorkOrder.objects.get(pk=wo.pk).clocks.get(metric="resolution")


def run_until_resolved(world, service, capture):
    """Created Mon 10:00, accepted 10:30, linked to a problem and set to await it at 11:30; the problem is
    resolved Wed 14:00 (the incident resumes then) and the incident is resolved Wed 16:00."""
    agent, supervisor = world.users["vendor_agent"], world.users["client_supervisor"]
    with frozen_at(local(2, 10)):
        wo = tickets.work_order_create(actor=world.users["requester"], service=service, title="HIS login slow")
    with frozen_at(local(2, 10, 30)):
        wo = tickets.work_order_transition(actor=agent, work_order=wo, action=Action.ACCEPT)
    with frozen_at(local(2, 11)):
        problem = problems.problem_create(actor=supervisor, title="HIS slow at logon", work_orders=[wo])
    with frozen_at(local(2, 11, 30)):
        wo = tickets.work_order_transition(actor=agent, work_order=wo, action=Action.PAUSE_PROBLEM)
    assert wo.status == Status.PENDING_PROBLEM
    with frozen_at(local(3, 9)):
        problem = problems.problem_transition(actor=supervisor, problem=problem, action="analyse")
        problem = problems.problem_update_analysis(
            actor=supervisor, problem=problem, root_cause="Index missing", permanent_fix="Index added"
        )
    with frozen_at(local(4, 14)), capture(execute=True):
        problems.problem_transition(actor=supervisor, problem=problem, action="resolve")
    wo = WorkOrder.objects.get(pk=wo.pk)
    assert wo.status == Status.ACCEPTED  # back to the working status held before the pause, by the system
    last = wo.events.exclude(to_status="").order_by("-seq").first()
    assert (last.action, last.actor_id, last.at) == (Action.RESUME, None, local(4, 14))
    running = resolution(wo)
    with frozen_at(local(4, 16)):
        wo = tickets.work_order_transition(actor=agent, work_order=wo, action=Action.RESOLVE, resolution="Fixed")
    return wo, running


def test_the_clock_pauses_while_awaiting_the_problem_when_the_policy_allows_it(
    world, django_capture_on_commit_callbacks
):
    service = office_service(world, code="allow", pauses=["pending_problem"])
    wo, running = run_until_resolved(world, service, django_capture_on_commit_callbacks)
    # Counted: Mon 10:00–11:30 (1.5 h) and Wed 14:00–16:00 (2 h) = 3.5 h.
    # Paused: Mon 11:30–17:00 (5.5 h) + Tue 09:00–17:00 (8 h) + Wed 09:00–14:00 (5 h) = 18.5 h.
    # On resuming, 16 − 1.5 = 14.5 h were left: Wed 14:00–17:00 (3 h), Thu (8 h), Fri 09:00–12:30 (3.5 h).
    assert running.state == ClockState.RUNNING
    assert running.due_at == local(6, 12, 30)
    clock = resolution(wo)
    assert clock.state == ClockState.MET
    assert clock.elapsed_seconds == 3.5 * HOUR
    assert clock.paused_seconds == 18.5 * HOUR


def test_the_clock_keeps_running_while_awaiting_the_problem_when_the_policy_forbids_it(
    world, django_capture_on_commit_callbacks
):
    service = office_service(world, code="forbid", pauses=["pending_requester"])
    wo, _running = run_until_resolved(world, service, django_capture_on_commit_callbacks)
    # Counted throughout: Mon 10:00–17:00 (7 h) + Tue (8 h) + Wed 09:00–16:00 (7 h) = 22 h, over the 16 h target,
    # which ran out Wed 10:00 (Mon 7 h + Tue 8 h + Wed 1 h).
    clock = resolution(wo)
    assert clock.state == ClockState.BREACHED
    assert clock.elapsed_seconds == 22 * HOUR
    assert clock.paused_seconds == 0
    assert clock.breached_at == local(4, 10)


def test_only_an_incident_linked_to_an_open_problem_may_await_it(world, incident, problem):
    agent = world.users["vendor_agent"]
    wo = incident()
    assert Action.PAUSE_PROBLEM not in permissions.allowed_actions(agent, wo)
    with translation.override("en"), pytest.raises(ApplicationError, match="linked to an open problem"):
        tickets.work_order_transition(actor=agent, work_order=wo, action=Action.PAUSE_PROBLEM)
    assert WorkOrder.objects.get(pk=wo.pk).status == Status.ACCEPTED

    found = problem(work_orders=[wo])
    assert Action.PAUSE_PROBLEM in permissions.allowed_actions(agent, wo)
    assert Action.PAUSE_PROBLEM not in permissions.allowed_actions(world.users["requester"], wo)
    supervisor = world.users["client_supervisor"]
    problems.problem_transition(actor=supervisor, problem=found, action="cancel", note="Not one problem")
    assert Action.PAUSE_PROBLEM not in permissions.allowed_actions(agent, wo)
    with translation.override("en"), pytest.raises(ApplicationError, match="linked to an open problem"):
        tickets.work_order_transition(actor=agent, work_order=wo, action=Action.PAUSE_PROBLEM)


def test_unlinking_resumes_the_incident_and_the_handlers_run_twice_harmlessly(
    world, incident, problem, django_capture_on_commit_callbacks
):
    agent, supervisor = world.users["vendor_agent"], world.users["client_supervisor"]
    wo = tickets.work_order_transition(actor=agent, work_order=incident(), action=Action.ARRIVE)
    found = problem(work_orders=[wo])
    wo = tickets.work_order_transition(actor=agent, work_order=wo, action=Action.PAUSE_PROBLEM)
    with django_capture_on_commit_callbacks(execute=True):
        problems.problem_unlink_incident(actor=supervisor, problem=found, work_order=wo)
    wo = WorkOrder.objects.get(pk=wo.pk)
    assert wo.status == Status.ON_SITE
    steps = wo.events.count()
    handlers.resume_incident_when_unlinked(problem_id=found.pk, work_order_id=wo.pk, actor_id=None, event_id="x")
    handlers.resume_incidents_when_problem_closes(
        problem_id=found.pk, actor_id=None, action="cancel", from_status="new", to_status="cancelled", event_id="y"
    )
    assert WorkOrder.objects.get(pk=wo.pk).events.count() == steps


def test_a_problem_moving_on_but_still_open_leaves_its_incidents_waiting(
    world, incident, problem, django_capture_on_commit_callbacks
):
    agent, supervisor = world.users["vendor_agent"], world.users["client_supervisor"]
    wo = incident()
    found = problem(work_orders=[wo])
    tickets.work_order_transition(actor=agent, work_order=wo, action=Action.PAUSE_PROBLEM)
    with django_capture_on_commit_callbacks(execute=True):
        problems.problem_transition(actor=supervisor, problem=found, action="analyse")
    assert WorkOrder.objects.get(pk=wo.pk).status == Status.PENDING_PROBLEM
