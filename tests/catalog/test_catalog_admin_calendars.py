"""Business calendars in the admin: edits go through the services, bump the revision and are audited;
China's holidays load by year, and a year the library lacks is refused visibly with nothing changed."""

import datetime as dt

import pytest
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import BusinessCalendar, CalendarDay, CalendarYear
from oversight.catalog.services import calendar_create
from tests.admin.admin_support import changeform_data, messages_text

OFFICE_HOURS = {d: [(480, 720), (810, 1050)] for d in range(5)}
ADJUSTED_2026 = [
    dt.date(2026, 1, 4),
    dt.date(2026, 2, 14),
    dt.date(2026, 2, 28),
    dt.date(2026, 5, 9),
    dt.date(2026, 9, 20),
    dt.date(2026, 10, 10),
]
MISSING_2027 = "2027: no holiday data — enter the holidays and adjusted working days by hand, then confirm the year"


@pytest.fixture
def china_calendar(world):
    return calendar_create(
        actor=None,
        organisation=world.org,
        name="Hospital office hours",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.CHINA,
        weekly=OFFICE_HOURS,
    )


def _change_url(calendar):
    return reverse("admin:catalog_businesscalendar_change", args=[calendar.pk])


def _changelist_action(client, action, calendar, **extra):
    data = {"action": action, "_selected_action": [str(calendar.pk)], "index": "0", **extra}
    return client.post(reverse("admin:catalog_businesscalendar_changelist"), data, follow=True)


def test_editing_weekly_hours_bumps_the_revision_and_audits(admin_client_a, china_calendar, client_admin):
    revision = china_calendar.revision
    data = changeform_data(admin_client_a.get(_change_url(china_calendar)))
    assert data["intervals-0-start"] == "08:00" and data["intervals-0-end"] == "12:00"
    data["intervals-0-end"] = "11:30"
    response = admin_client_a.post(_change_url(china_calendar), data)
    assert response.status_code == 302
    china_calendar.refresh_from_db()
    assert china_calendar.revision > revision
    monday = sorted(china_calendar.intervals.filter(weekday=0).values_list("start_minute", "end_minute"))
    assert monday == [(480, 690), (810, 1050)]
    entry = AuditEntry.objects.get(action="catalog.calendar.hours_changed", actor=client_admin)
    assert entry.before["weekly"]["0"] == [[480, 720], [810, 1050]]
    assert entry.after["weekly"]["0"] == [[480, 690], [810, 1050]]


def test_overlapping_hours_are_refused_and_nothing_changes(admin_client_a, china_calendar):
    revision = china_calendar.revision
    data = changeform_data(admin_client_a.get(_change_url(china_calendar)))
    data["intervals-0-end"] = "14:00"
    response = admin_client_a.post(_change_url(china_calendar), data)
    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    china_calendar.refresh_from_db()
    assert china_calendar.revision == revision
    assert not AuditEntry.objects.filter(action="catalog.calendar.hours_changed").exclude(actor=None).exists()


def test_a_date_override_goes_through_the_service(admin_client_a, china_calendar, client_admin):
    revision = china_calendar.revision
    data = changeform_data(admin_client_a.get(_change_url(china_calendar)))
    data.update(
        {
            "days-TOTAL_FORMS": "1",
            "days-0-date": "2026-12-31",
            "days-0-is_working": "on",
            "days-0-hours": "09:00-12:00",
            "days-0-name": "Year-end inventory",
        }
    )
    assert admin_client_a.post(_change_url(china_calendar), data).status_code == 302
    day = CalendarDay.objects.get(calendar=china_calendar, date=dt.date(2026, 12, 31))
    assert day.is_working and day.intervals == [[540, 720]] and day.source == "manual"
    china_calendar.refresh_from_db()
    assert china_calendar.revision == revision + 1
    assert AuditEntry.objects.filter(action="catalog.calendar.day_set", actor=client_admin).count() == 1

    # Deleting the override bumps the revision again and is audited.
    data = changeform_data(admin_client_a.get(_change_url(china_calendar)))
    data["days-0-DELETE"] = "on"
    assert admin_client_a.post(_change_url(china_calendar), data).status_code == 302
    assert not CalendarDay.objects.filter(calendar=china_calendar).exists()
    china_calendar.refresh_from_db()
    assert china_calendar.revision == revision + 2
    deleted = AuditEntry.objects.get(action="catalog.calendar.day_deleted")
    assert deleted.before["date"] == "2026-12-31"


def test_a_holiday_with_hours_is_refused(admin_client_a, china_calendar):
    data = changeform_data(admin_client_a.get(_change_url(china_calendar)))
    data.update({"days-TOTAL_FORMS": "1", "days-0-date": "2026-12-31", "days-0-hours": "09:00-12:00"})
    response = admin_client_a.post(_change_url(china_calendar), data)
    assert response.status_code == 200
    assert not CalendarDay.objects.exists()


def test_renaming_or_moving_the_time_zone_bumps_the_revision(admin_client_a, china_calendar, client_admin):
    revision = china_calendar.revision
    data = changeform_data(admin_client_a.get(_change_url(china_calendar)))
    data["time_zone"] = "Asia/Urumqi"
    assert admin_client_a.post(_change_url(china_calendar), data).status_code == 302
    china_calendar.refresh_from_db()
    assert china_calendar.time_zone == "Asia/Urumqi"
    assert china_calendar.revision == revision + 1
    entry = AuditEntry.objects.get(action="catalog.calendar.changed", actor=client_admin)
    assert entry.before["time_zone"] == "Asia/Shanghai" and entry.after["time_zone"] == "Asia/Urumqi"


def test_adding_a_calendar_uses_the_service(admin_client_a, world, client_admin):
    response = admin_client_a.post(
        reverse("admin:catalog_businesscalendar_add"),
        {
            "organisation": str(world.org.pk),
            "name": "Night shift",
            "time_zone": "Asia/Shanghai",
            "holiday_source": "none",
            "intervals-TOTAL_FORMS": "2",
            "intervals-INITIAL_FORMS": "0",
            "intervals-0-weekday": "0",
            "intervals-0-start": "20:00",
            "intervals-0-end": "24:00",
            "intervals-1-weekday": "1",
            "intervals-1-start": "00:00",
            "intervals-1-end": "08:00",
            "days-TOTAL_FORMS": "0",
            "days-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    calendar = BusinessCalendar.objects.get(name="Night shift")
    assert sorted(calendar.intervals.values_list("weekday", "start_minute", "end_minute")) == [
        (0, 1200, 1440),
        (1, 0, 480),
    ]
    assert AuditEntry.objects.filter(action="catalog.calendar.created", actor=client_admin).count() == 1


def test_loading_2026_creates_the_adjusted_working_days(admin_client_a, china_calendar, client_admin, frozen_2026):
    revision = china_calendar.revision
    response = _changelist_action(admin_client_a, "load_china_2026", china_calendar)
    assert response.status_code == 200
    assert "2026" in messages_text(response)
    working = set(CalendarDay.objects.filter(calendar=china_calendar, is_working=True).values_list("date", flat=True))
    assert set(ADJUSTED_2026) <= working
    assert CalendarDay.objects.get(calendar=china_calendar, date=dt.date(2026, 10, 1)).is_working is False
    assert CalendarYear.objects.filter(calendar=china_calendar, year=2026, source="library").exists()
    china_calendar.refresh_from_db()
    assert china_calendar.revision > revision
    assert AuditEntry.objects.filter(action="catalog.calendar.year_loaded", actor=client_admin).count() == 1


def test_loading_2027_shows_the_refusal_and_changes_nothing(admin_client_a, china_calendar, frozen_2026):
    revision = china_calendar.revision
    entries = AuditEntry.objects.count()
    response = _changelist_action(admin_client_a, "load_china_2027", china_calendar)
    assert response.status_code == 200
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert "no data for 2027" in errors[0]
    assert "by hand" in errors[0]
    assert not CalendarDay.objects.filter(calendar=china_calendar).exists()
    assert not CalendarYear.objects.filter(calendar=china_calendar, year=2027).exists()
    china_calendar.refresh_from_db()
    assert china_calendar.revision == revision
    assert AuditEntry.objects.count() == entries


def test_the_actions_follow_the_current_year(admin_client_a, china_calendar, frozen_2026):
    response = admin_client_a.get(reverse("admin:catalog_businesscalendar_changelist"))
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert choices["load_china_2026"] == "Load China holidays for 2026"
    assert choices["load_china_2027"] == "Load China holidays for 2027"
    assert "confirm_year" in choices


def test_missing_years_are_warned_about_until_confirmed(admin_client_a, china_calendar, world, frozen_2026):
    changelist = reverse("admin:catalog_businesscalendar_changelist")
    page = admin_client_a.get(changelist).content.decode()
    assert MISSING_2027 in page
    assert "Load China holidays for 2026" in page  # 2026 is missing too, but the library has it
    assert MISSING_2027 in admin_client_a.get(_change_url(china_calendar)).content.decode()
    # The 24×7 calendar observes no holidays: never warned about.
    assert f"{world.calendar.name} — 2027" not in page

    _changelist_action(admin_client_a, "load_china_2026", china_calendar)
    intermediate = admin_client_a.post(
        changelist, {"action": "confirm_year", "_selected_action": [str(china_calendar.pk)], "index": "0"}
    )
    assert intermediate.status_code == 200
    assert intermediate.context["form"]["year"].value() == 2027
    response = admin_client_a.post(
        changelist,
        {"action": "confirm_year", "_selected_action": [str(china_calendar.pk)], "apply": "1", "year": "2027"},
        follow=True,
    )
    assert "2027 was confirmed" in messages_text(response)
    covered = CalendarYear.objects.get(calendar=china_calendar, year=2027)
    assert covered.source == "manual"
    page = admin_client_a.get(changelist).content.decode()
    assert "no holiday data" not in page
    assert AuditEntry.objects.filter(action="catalog.calendar.year_confirmed").count() == 1
