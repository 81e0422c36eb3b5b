"""The domain events keep the service facts equal to a rebuild, through the real services."""

from __future__ import annotations

import datetime as dt

from oversight.core import clock
from oversight.core.events import handlers_for
from oversight.facts.handlers import WORK_ORDER_EVENTS, refresh_facts
from oversight.facts.models import WorkOrderFact
from oversight.facts.services import facts_rebuild
from oversight.tickets import services as tickets
from tests.facts.test_facts_maintenance import snapshot

T = dt.datetime(2026, 10, 5, 2, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


def test_every_event_that_moves_a_figure_refreshes_the_facts():
    for name in WORK_ORDER_EVENTS:
        assert refresh_facts in handlers_for(name), name


def test_work_order_lifecycle_through_the_services_equals_a_rebuild(world, django_capture_on_commit_callbacks):
    req, agent, vm = world.users["requester"], world.users["vendor_agent"], world.users["vendor_manager"]

    def step(at, func, **kwargs):
        with clock.frozen_at(at), django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    wo = step(T, tickets.work_order_create, actor=req, service=world.service, title="PC", site=world.dept)
    assert WorkOrderFact.objects.get(pk=wo.pk).received_on == dt.date(2026, 10, 5)
    wo = step(T + MIN, tickets.work_order_assign, actor=vm, work_order=wo, assignee=agent)
    wo = step(T + 10 * MIN, tickets.work_order_transition, actor=agent, work_order=wo, action="accept")
    wo = step(
        T + 2 * HOUR, tickets.work_order_transition, actor=agent, work_order=wo, action="resolve", resolution="ok"
    )
    fact = WorkOrderFact.objects.get(pk=wo.pk)
    assert fact.resolved_on == dt.date(2026, 10, 5) and fact.response_outcome == "met"
    wo = step(
        T + 3 * HOUR, tickets.work_order_transition, actor=req, work_order=wo, action="reopen", note="still broken"
    )
    assert WorkOrderFact.objects.get(pk=wo.pk).resolved_at is None
    with clock.frozen_at(T + 4 * HOUR):
        after = snapshot(world.org)
        facts_rebuild(organisation=world.org)
        assert snapshot(world.org) == after


def test_a_site_edited_on_the_work_order_moves_its_facts(world, django_capture_on_commit_callbacks):
    req, agent = world.users["requester"], world.users["vendor_agent"]
    with clock.frozen_at(T), django_capture_on_commit_callbacks(execute=True):
        wo = tickets.work_order_create(actor=req, service=world.service, title="PC", site=world.dept)
    assert WorkOrderFact.objects.get(pk=wo.pk).site_id == world.dept.pk
    with clock.frozen_at(T + HOUR), django_capture_on_commit_callbacks(execute=True):
        wo = tickets.work_order_update_details(actor=agent, work_order=wo, changes={"site": world.other_dept})
    assert WorkOrderFact.objects.get(pk=wo.pk).site_id == world.other_dept.pk
    with clock.frozen_at(T + 2 * HOUR):
        after = snapshot(world.org)
        facts_rebuild(organisation=world.org)
        assert snapshot(world.org) == after
