"""The suggestion task: k incidents of one service or category within W business days, no open problem, a
suggestion stored once and the client's supervisors told; the handler on new incidents and the beat task."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.configuration import services as cmdb
from oversight.configuration.models import CIClass
from oversight.core import clock
from oversight.notifications.models import Notification
from oversight.problems import detection, services, tasks
from oversight.problems.models import ProblemSuggestion
from oversight.tickets.models import WorkOrder
from tests.factories import ServiceFactory


def _settings(world, **values):
    values.setdefault("calendar", None)
    services.problem_settings_save(
        actor=world.users["client_admin"],
        organisation=world.org,
        min_incidents=values.get("min_incidents"),
        window_days=values.get("window_days"),
        calendar=values["calendar"],
    )


def test_three_incidents_of_one_service_suggest_once(world, incident):
    ids = [incident(accept=False, title=f"Printer {n}").pk for n in range(3)]
    found = detection.suggestions_detect(organisation=world.org)
    # Its category holds the same three: one suggestion, for the service.
    assert [s.key for s in found] == [f"service:{world.service.pk}"]
    suggestion = found[0]
    assert sorted(suggestion.work_order_ids) == sorted(ids) and suggestion.service == world.service
    # Run again (the beat task after the handler): nothing new.
    assert detection.suggestions_detect(organisation=world.org) == []
    assert tasks.detect_problem_suggestions() == 0
    assert ProblemSuggestion.objects.filter(key=f"service:{world.service.pk}").count() == 1
    told = Notification.objects.filter(kind="problem_suggested")
    assert {n.recipient.role for n in told} == {"client_admin", "client_supervisor"}
    assert told.filter(recipient=world.users["client_supervisor"]).count() == 1


def test_fewer_than_k_or_an_open_problem_suggest_nothing(world, incident, problem):
    _settings(world, min_incidents=4)
    for n in range(3):
        incident(accept=False, title=f"Printer {n}")
    assert [s.key for s in detection.suggestions_detect(organisation=world.org)] == []
    incident(accept=False, title="Printer 4")
    problem(service=world.service)  # already being analysed: no suggestion for its service or category
    assert detection.suggestions_detect(organisation=world.org) == []


def test_incidents_outside_the_window_do_not_count(world, incident):
    _settings(world, window_days=1)
    old = [incident(accept=False, title=f"Old {n}") for n in range(2)]
    WorkOrder.objects.filter(pk__in=[w.pk for w in old]).update(created_at=clock.now() - dt.timedelta(days=10))
    incident(accept=False, title="New")
    assert detection.suggestions_detect(organisation=world.org) == []


def test_a_dismissed_cluster_is_not_suggested_again_in_the_same_window(world, incident):
    for n in range(3):
        incident(accept=False, title=f"Printer {n}")
    (first,) = detection.suggestions_detect(organisation=world.org)
    services.suggestion_dismiss(actor=world.users["client_supervisor"], suggestion=first)
    incident(accept=False, title="Printer 4")
    assert detection.suggestions_detect(organisation=world.org) == []


def test_the_handler_runs_on_a_new_incident(world, incident, django_capture_on_commit_callbacks):
    for n in range(2):
        incident(accept=False, title=f"Printer {n}")
    with django_capture_on_commit_callbacks(execute=True):
        incident(accept=False, title="Printer 3")
    assert ProblemSuggestion.objects.filter(key=f"service:{world.service.pk}").exists()


@pytest.mark.parametrize("days", [1, 5])
def test_window_start_counts_working_days(world, incident, days):
    incident(accept=False)
    _k, _w, calendar = detection.rule_for(world.org)
    now = clock.now()
    start = detection.window_start(calendar, now, days)
    assert start is not None and start <= now
    assert (now - start) < dt.timedelta(days=days * 2 + detection.LOOKBACK_EXTRA_DAYS)


def test_incidents_of_two_services_of_one_category_suggest_the_category(world, incident):
    world.other_service.category = world.service.category
    world.other_service.save(update_fields=["category"])
    ids = [incident(accept=False).pk, incident(accept=False).pk, incident(accept=False, service=world.other_service).pk]
    (found,) = detection.suggestions_detect(organisation=world.org)
    assert (found.key, found.dimension, found.category) == (
        f"category:{world.service.category_id}",
        "category",
        world.service.category,
    )
    assert sorted(found.work_order_ids) == sorted(ids)


def item(world, kind: str, name: str):
    """A configuration item of the desk vendor, recorded by the client supervisor (built-in classes seeded)."""
    cmdb.ci_classes_seed(actor=world.users["client_admin"], organisation=world.org)
    ci_class = CIClass.objects.get(organisation=world.org, code=kind)
    return cmdb.ci_create(actor=world.users["client_supervisor"], ci_class=ci_class, name=name, vendor=world.vendor)


def test_three_incidents_on_one_configuration_item_across_services_suggest_one_problem(world, incident):

    server = item(world, "server", "his-db-01")
    # Three services of the desk vendor in three categories: no service or category has three incidents.
    services_ = [world.service] + [
        ServiceFactory(organisation=world.org, vendor=world.vendor, sla_policy=world.policy) for _ in range(2)
    ]
    made = [incident(accept=False, service=service, title=f"HIS slow {n}") for n, service in enumerate(services_)]
    assert detection.suggestions_detect(organisation=world.org) == []
    for wo in made:
        cmdb.work_order_ci_link(actor=world.users["client_supervisor"], work_order=wo, ci=server)

    found = detection.suggestions_detect(organisation=world.org)
    assert [(s.key, s.dimension, s.configuration_item) for s in found] == [(f"ci:{server.pk}", "ci", server)]
    assert sorted(found[0].work_order_ids) == sorted(wo.pk for wo in made)
    # Accepted, the problem names the item and links the incidents; the item's open problem stops a new one.
    problem = services.suggestion_accept(actor=world.users["client_supervisor"], suggestion=found[0])
    assert list(problem.configuration_items.all()) == [server]
    assert problem.incident_links.count() == 3
    fourth = incident(accept=False, service=services_[1], title="HIS slow again")
    cmdb.work_order_ci_link(actor=world.users["client_supervisor"], work_order=fourth, ci=server)
    assert detection.suggestions_detect(organisation=world.org) == []


def test_an_item_whose_incidents_are_one_services_is_suggested_as_the_service(world, incident):

    printer = item(world, "printer", "ward-3-printer")
    for n in range(3):
        wo = incident(accept=False, title=f"Printer {n}")
        cmdb.work_order_ci_link(actor=world.users["client_supervisor"], work_order=wo, ci=printer)
    assert [s.key for s in detection.suggestions_detect(organisation=world.org)] == [f"service:{world.service.pk}"]


def test_linking_an_item_runs_the_detection(world, incident, django_capture_on_commit_callbacks):

    switch = item(world, "network_device", "core-sw-1")
    made = [
        incident(accept=False, service=ServiceFactory(organisation=world.org, vendor=world.vendor), title=f"Net {n}")
        for n in range(3)
    ]
    for wo in made[:2]:
        cmdb.work_order_ci_link(actor=world.users["client_supervisor"], work_order=wo, ci=switch)
    with django_capture_on_commit_callbacks(execute=True):
        cmdb.work_order_ci_link(actor=world.users["client_supervisor"], work_order=made[2], ci=switch)
    assert ProblemSuggestion.objects.filter(key=f"ci:{switch.pk}", configuration_item=switch).exists()
