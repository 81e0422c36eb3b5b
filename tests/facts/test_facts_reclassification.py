"""Edits outside the work orders that move figures already counted: a service's category, an organisation's zone.

Each is announced by the app that owns the row (catalog, tenancy); the facts follow it and end equal to a rebuild.
Before these events existed the facts kept the old category and the old local days until someone rebuilt them.
"""

from __future__ import annotations

import datetime as dt

from oversight.catalog.models import Service, ServiceCategory
from oversight.catalog.services import service_save
from oversight.core import clock
from oversight.core.events import handlers_for
from oversight.facts.handlers import recount_local_days, refile_service
from oversight.facts.models import DailyFact, WorkOrderFact
from oversight.facts.services import facts_rebuild, facts_rebuild_recent
from oversight.tenancy.services import organisation_save
from tests.facts.conftest import NOW
from tests.facts.test_facts_maintenance import snapshot


def test_the_catalog_and_tenancy_events_are_handled():
    assert refile_service in handlers_for("catalog.service.reclassified")
    assert recount_local_days in handlers_for("tenancy.organisation.time_zone_changed")


def test_a_service_moved_to_another_category_moves_its_figures(organisation, django_capture_on_commit_callbacks):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
    service = Service.objects.filter(organisation=organisation, work_orders__isnull=False).distinct().first()
    counted = WorkOrderFact.objects.filter(service=service).count()
    assert counted > 0
    target = ServiceCategory.objects.filter(organisation=organisation).exclude(pk=service.category_id).first()
    service.category = target
    with clock.frozen_at(NOW), django_capture_on_commit_callbacks(execute=True):
        service_save(actor=None, service=service, fields=["category"])
    assert WorkOrderFact.objects.filter(service=service, category=target).count() == counted
    assert not DailyFact.objects.filter(service=service).exclude(category=target).exists()
    with clock.frozen_at(NOW):
        after = snapshot(organisation)
        facts_rebuild(organisation=organisation)
        assert snapshot(organisation) == after


def test_an_unchanged_category_announces_nothing(organisation, django_capture_on_commit_callbacks):
    service = Service.objects.filter(organisation=organisation).first()
    service.name = f"{service.name} (renamed)"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service_save(actor=None, service=service, fields=["name"])
    assert callbacks == []


def test_a_new_organisation_time_zone_recounts_the_local_days(organisation, django_capture_on_commit_callbacks):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        before = snapshot(organisation)
    organisation.time_zone = "America/Los_Angeles"  # sixteen hours behind Beijing: most days move
    with clock.frozen_at(NOW), django_capture_on_commit_callbacks(execute=True):
        organisation_save(actor=None, organisation=organisation, fields=["time_zone"])
    with clock.frozen_at(NOW):
        after = snapshot(organisation)
        assert after != before
        facts_rebuild(organisation=organisation)
        assert snapshot(organisation) == after


def test_the_nightly_rebuild_repairs_what_no_event_announced(organisation):
    with clock.frozen_at(NOW):
        facts_rebuild(organisation=organisation)
        good = snapshot(organisation)
    yesterday = NOW.astimezone(dt.timezone(dt.timedelta(hours=8))).date() - dt.timedelta(days=1)
    damaged = DailyFact.objects.filter(organisation=organisation, day__gte=yesterday, received__gt=0)
    assert damaged.exists()
    damaged.update(received=999)
    with clock.frozen_at(NOW):
        assert facts_rebuild_recent()[organisation.code] > 0
        assert snapshot(organisation) == good
