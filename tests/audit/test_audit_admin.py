"""The audit trail: read-only in the admin for everyone, searchable, and written whatever the origin."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import CalendarDay, CalendarYear
from oversight.catalog.services import calendar_create, calendar_set_day


@pytest.fixture
def china_calendar(world):
    return calendar_create(
        actor=None,
        organisation=world.org,
        name="Office",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.CHINA,
        weekly={d: [(480, 1050)] for d in range(5)},
    )


def test_audit_entries_cannot_be_added_changed_or_deleted_even_by_a_superuser(world, superuser, china_calendar):
    entry = AuditEntry.objects.filter(organisation=world.org).first()
    client = Client()
    client.force_login(superuser)
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    response = client.get(change_url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(change_url, {"action": "forged"}).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "catalog.calendar.created"


def test_the_audit_list_is_searchable_and_scoped(admin_client_a, world, china_calendar):
    url = reverse("admin:audit_auditentry_changelist")
    found = admin_client_a.get(url, {"q": "calendar.created"}).context["cl"].result_list
    assert {e.object_repr for e in found} >= {"Office", world.calendar.name}
    assert all(e.organisation_id == world.org.pk for e in found)
    assert AuditEntry.objects.filter(action="catalog.calendar.created").exclude(organisation=world.org).exists()
    detail = admin_client_a.get(reverse("admin:audit_auditentry_change", args=[found[0].pk]))
    assert "<pre>" in detail.content.decode()


def test_a_shell_change_through_a_service_is_audited_as_system(china_calendar):
    calendar_set_day(actor=None, calendar=china_calendar, date=dt.date(2026, 12, 31), is_working=False, name="Closed")
    entry = AuditEntry.objects.get(action="catalog.calendar.day_set")
    assert entry.actor is None
    assert entry.actor_repr == "system"
    assert entry.request_id.startswith("proc-")
    assert entry.after["date"] == "2026-12-31"


def test_the_load_command_loads_a_known_year_as_system(china_calendar, capsys):
    call_command("calendar_load_china", "2026", "--calendar", str(china_calendar.pk))
    assert "2026 loaded" in capsys.readouterr().out
    assert CalendarDay.objects.get(calendar=china_calendar, date=dt.date(2026, 2, 14)).is_working
    entry = AuditEntry.objects.get(action="catalog.calendar.year_loaded")
    assert entry.actor_repr == "system"


def test_the_load_command_refuses_a_missing_year_clearly_and_changes_nothing(china_calendar, capsys):
    revision = china_calendar.revision
    with pytest.raises(CommandError, match="2027 was refused"), translation.override("en"):
        call_command("calendar_load_china", "2027")
    assert "no data for 2027" in capsys.readouterr().err
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.exists()
    china_calendar.refresh_from_db()
    assert china_calendar.revision == revision
