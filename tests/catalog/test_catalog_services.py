"""The catalog services the admin writes through: calendars bump their revision on every change, date overrides
are removed with audit, the priority matrix and SLA policy headers are saved and audited once."""

from __future__ import annotations

import datetime as dt

from oversight.audit.models import AuditEntry
from oversight.catalog import services
from oversight.catalog.models import BusinessCalendar, PriorityRule, SLAPolicy
from oversight.catalog.services import priority_for


def entries(action: str):
    """The audit entries of one action, oldest first."""
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_a_calendar_change_bumps_the_revision_and_records_only_what_changed(world):
    calendar = BusinessCalendar.objects.get(pk=world.calendar.pk)
    revision = calendar.revision
    calendar.name = "Round the clock"
    services.calendar_update(actor=world.users["client_admin"], calendar=calendar, fields=["name"])
    assert BusinessCalendar.objects.get(pk=calendar.pk).revision == revision + 1
    [changed] = entries("catalog.calendar.changed")
    assert changed.before["name"] == "24x7" and changed.after["name"] == "Round the clock"
    assert changed.after["revision"] == revision + 1  # the bump is part of what changed

    services.calendar_update(actor=None, calendar=calendar, fields=[])
    assert BusinessCalendar.objects.get(pk=calendar.pk).revision == revision + 1
    assert len(entries("catalog.calendar.changed")) == 1


def test_removing_a_date_override_bumps_the_revision_once_and_a_gone_one_changes_nothing(world):
    calendar = world.calendar
    day = services.calendar_set_day(actor=None, calendar=calendar, date=dt.date(2026, 10, 1), is_working=False)
    revision = BusinessCalendar.objects.get(pk=calendar.pk).revision
    services.calendar_day_delete(actor=world.users["client_admin"], calendar=calendar, day_id=day.pk)
    [deleted] = entries("catalog.calendar.day_deleted")
    assert deleted.before["date"] == "2026-10-01" and deleted.object_id == str(calendar.pk)
    services.calendar_day_delete(actor=world.users["client_admin"], calendar=calendar, day_id=day.pk)
    assert BusinessCalendar.objects.get(pk=calendar.pk).revision == revision + 1
    assert len(entries("catalog.calendar.day_deleted")) == 1


def test_a_calendar_deletion_is_recorded_under_its_organisation(world):
    calendar = BusinessCalendar.objects.create(organisation=world.org, name="Spare", time_zone="UTC")
    pk = calendar.pk
    services.calendar_delete(actor=world.users["client_admin"], calendar=calendar)
    [deleted] = entries("catalog.calendar.deleted")
    assert deleted.object_id == str(pk) and deleted.organisation == world.org and deleted.before["name"] == "Spare"


def test_a_priority_cell_is_saved_and_removed_with_audit_and_the_matrix_follows(world):
    assert priority_for(organisation=world.org, impact=1, urgency=3) == "P3"
    rule = services.priority_rule_save(
        actor=world.users["client_admin"],
        rule=PriorityRule(organisation=world.org, impact=1, urgency=3, priority="P1"),
        fields=None,
    )
    assert priority_for(organisation=world.org, impact=1, urgency=3) == "P1"
    assert entries("catalog.priorityrule.created")[0].organisation == world.org
    services.priority_rule_delete(actor=world.users["client_admin"], rule=rule)
    assert priority_for(organisation=world.org, impact=1, urgency=3) == "P3"
    assert len(entries("catalog.priorityrule.deleted")) == 1


def test_a_policy_rename_is_audited_and_keeps_its_versions(world):
    policy = SLAPolicy.objects.get(pk=world.policy.pk)
    versions = policy.versions.count()
    policy.name = "Standard desk SLA"
    services.sla_policy_update(actor=world.users["client_admin"], policy=policy, fields=["name"])
    [changed] = entries("catalog.slapolicy.changed")
    assert changed.after == {"name": "Standard desk SLA"} and changed.organisation == world.org
    assert SLAPolicy.objects.get(pk=policy.pk).versions.count() == versions


def test_a_service_category_is_created_and_deleted_with_audit(world):
    from oversight.catalog.models import ServiceCategory

    category = services.service_category_save(
        actor=None, category=ServiceCategory(organisation=world.org, code="it", name="IT"), fields=None
    )
    services.service_category_delete(actor=None, category=category)
    assert [e.action for e in AuditEntry.objects.filter(object_type="catalog.servicecategory").order_by("pk")] == [
        "catalog.servicecategory.created",
        "catalog.servicecategory.deleted",
    ]
