"""Live links from incidents to problems, the workaround communicated to the linked open incidents."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, Conflict, NotAllowed
from oversight.problems import selectors, services
from oversight.problems.models import ProblemIncident
from oversight.tickets import services as tickets
from oversight.tickets.choices import SLAState, WorkOrderKind
from oversight.tickets.models import Comment


def test_link_is_live_and_shows_current_sla_state(world, problem, incident):
    sup = world.users["client_supervisor"]
    wo = incident()
    p = problem(work_orders=[wo])
    link = selectors.problem_incidents(user=sup, problem=p).get()
    assert (link.linked_by, link.work_order.sla_state) == (sup, SLAState.ON_TRACK)
    tickets.work_order_transition(actor=world.users["vendor_agent"], work_order=wo, action="resolve", resolution="ok")
    link = selectors.problem_incidents(user=sup, problem=p).get()
    assert link.work_order.status == "resolved"  # read live from the work order, never copied
    assert link.work_order.sla_state == wo.__class__.objects.get(pk=wo.pk).sla_state


def test_link_unlink_audit_and_one_problem_per_incident(world, problem, incident):
    sup = world.users["client_supervisor"]
    a, b = incident(), incident(title="Again")
    p = problem()
    assert len(services.problem_link_incidents(actor=sup, problem=p, work_orders=[a, b])) == 2
    assert services.problem_link_incidents(actor=sup, problem=p, work_orders=[a]) == []  # harmless repeat
    other = problem(title="Other")
    with pytest.raises(ApplicationError):
        services.problem_link_incidents(actor=sup, problem=other, work_orders=[a])
    assert services.problem_unlink_incident(actor=sup, problem=p, work_order=a) is True
    assert services.problem_unlink_incident(actor=sup, problem=p, work_order=a) is False
    assert list(ProblemIncident.objects.values_list("work_order", flat=True)) == [b.pk]
    assert AuditEntry.objects.filter(action="problems.problem.incident_linked").count() == 2
    assert AuditEntry.objects.filter(action="problems.problem.incident_unlinked").count() == 1
    with pytest.raises(NotAllowed):
        services.problem_link_incidents(actor=world.users["vendor_manager"], problem=p, work_orders=[a])


def test_only_incidents_of_the_organisation_link(world, problem, incident):
    sup = world.users["client_supervisor"]
    request = incident(kind=WorkOrderKind.SERVICE_REQUEST)
    with pytest.raises(ApplicationError):
        problem(work_orders=[request])
    foreign = tickets.work_order_create(
        actor=world.users["foreign_requester"], service=world.foreign_service, title="x"
    )
    with pytest.raises(ApplicationError):
        services.problem_link_incidents(actor=sup, problem=problem(), work_orders=[foreign])


def test_communicate_workaround_posts_once_per_press_to_each_open_linked_incident(world, problem, incident):
    sup = world.users["client_supervisor"]
    open_a, open_b, done = incident(), incident(title="b"), incident(title="c")
    tickets.work_order_transition(actor=world.users["vendor_agent"], work_order=done, action="resolve", resolution="x")
    p = problem(work_orders=[open_a, open_b, done])
    with pytest.raises(ApplicationError):
        services.problem_communicate_workaround(actor=sup, problem=p, expected_version=p.version)
    p = services.problem_update_analysis(actor=sup, problem=p, workaround="Restart the print spooler")
    sent = services.problem_communicate_workaround(actor=sup, problem=p, expected_version=p.version)
    assert sent == 2
    comments = Comment.objects.filter(body__contains="Restart the print spooler")
    assert sorted(comments.values_list("work_order", flat=True)) == sorted([open_a.pk, open_b.pk])
    assert not comments.filter(is_internal=True).exists()
    # The same page submitted again carries the old version: refused, nothing posted twice.
    with pytest.raises(Conflict):
        services.problem_communicate_workaround(actor=sup, problem=p, expected_version=p.version)
    assert comments.count() == 2
    p.refresh_from_db()
    assert services.problem_communicate_workaround(actor=sup, problem=p, expected_version=p.version) == 2
    assert comments.count() == 4
    assert AuditEntry.objects.filter(action="problems.problem.workaround_communicated").count() == 2
    assert AuditEntry.objects.filter(action="tickets.comment.created").count() == 4
