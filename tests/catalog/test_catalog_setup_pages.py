"""The client administrator's setup pages for services, SLA policies and business calendars.

Each page is the client administrator's alone (every other role 403, another organisation's objects 404), each
write goes through the catalog service the Django admin uses and leaves an audit entry, and absurd or hostile
input gets a clear error, never a server error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.catalog import services
from oversight.catalog.models import BusinessCalendar, CalendarDay, CalendarYear, Service, SLAPolicyVersion
from oversight.tenancy.choices import Role
from tests.catalog.test_catalog_admin_sla_policies import _grid
from tests.factories import ServiceCategoryFactory, signed_in
from tests.reports.schedule_fixtures import china_calendar

OTHER_ROLES = ("client_supervisor", "executive", "auditor", "vendor_manager", "vendor_agent", "requester")


@pytest.fixture
def admin(world):
    return signed_in(world.users["client_admin"])


@pytest.fixture
def office_calendar(world):
    """Monday-Friday 08:00-12:00 and 13:30-17:30 in Shanghai, with China's 2025 and 2026 holidays loaded."""
    return china_calendar(world.org)


def page_urls(world, calendar):
    return [
        reverse("catalog:services"),
        reverse("catalog:service_create"),
        reverse("catalog:service_edit", args=[world.service.pk]),
        reverse("catalog:policies"),
        reverse("catalog:policy_create"),
        reverse("catalog:policy", args=[world.policy.pk]),
        reverse("catalog:policy_version", args=[world.policy.pk]),
        reverse("catalog:calendars"),
        reverse("catalog:calendar_create"),
        reverse("catalog:calendar", args=[calendar.pk]),
        reverse("catalog:calendar_edit", args=[calendar.pk]),
    ]


def test_every_page_opens_for_the_client_administrator_and_is_403_for_every_other_role(world, office_calendar, admin):
    urls = page_urls(world, office_calendar)
    for url in urls:
        assert admin.get(url).status_code == 200, url
    for role in OTHER_ROLES:
        client = signed_in(world.users[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    anonymous = Client()
    assert anonymous.get(urls[0]).status_code == 302


def test_another_organisations_objects_are_404(world, office_calendar):
    foreign = signed_in(world.users["foreign_admin"])
    for url in (
        reverse("catalog:service_edit", args=[world.service.pk]),
        reverse("catalog:policy", args=[world.policy.pk]),
        reverse("catalog:policy_version", args=[world.policy.pk]),
        reverse("catalog:calendar", args=[office_calendar.pk]),
        reverse("catalog:calendar_edit", args=[office_calendar.pk]),
    ):
        assert foreign.get(url).status_code == 404, url
    response = foreign.post(
        reverse("catalog:calendar_day", args=[office_calendar.pk]), {"date": "2026-10-09", "kind": "holiday"}
    )
    assert response.status_code == 404
    assert not CalendarDay.objects.filter(calendar=office_calendar, date=dt.date(2026, 10, 9), source="manual").exists()
    response = foreign.post(reverse("catalog:service_active", args=[world.service.pk]), {"active": "0"})
    assert response.status_code == 404
    world.service.refresh_from_db()
    assert world.service.is_active


def test_a_service_is_created_edited_deactivated_and_reactivated_with_audit(world, admin):
    category = ServiceCategoryFactory(organisation=world.org, code="clin", name="Clinical")
    data = {
        "code": "pacs",
        "name": "影像系统",
        "name_en": "PACS",
        "category": category.pk,
        "vendor": world.vendor.pk,
        "sla_policy": world.policy.pk,
        "description": "",
    }
    response = admin.post(reverse("catalog:service_create"), data)
    assert response.status_code == 302
    service = Service.objects.get(organisation=world.org, code="pacs")
    assert AuditEntry.objects.filter(action="catalog.service.created", object_id=str(service.pk)).exists()

    response = admin.post(reverse("catalog:service_edit", args=[service.pk]), {**data, "is_critical": "on"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.is_critical
    assert AuditEntry.objects.filter(action="catalog.service.changed", object_id=str(service.pk)).count() == 1

    admin.post(reverse("catalog:service_active", args=[service.pk]), {"active": "0"})
    service.refresh_from_db()
    assert not service.is_active
    admin.post(reverse("catalog:service_active", args=[service.pk]), {"active": "1"})
    service.refresh_from_db()
    assert service.is_active
    assert AuditEntry.objects.filter(action="catalog.service.changed", object_id=str(service.pk)).count() == 3


def test_a_service_form_refuses_a_taken_code_and_another_organisations_vendor(world, admin):
    data = {
        "code": world.other_service.code,
        "name": "x",
        "category": world.service.category_id,
        "vendor": world.foreign_vendor.pk,
        "sla_policy": world.policy.pk,
    }
    response = admin.post(reverse("catalog:service_create"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "code" in form.errors and "vendor" in form.errors
    assert Service.objects.filter(organisation=world.org).count() == 2


def test_targets_are_shown_and_entered_in_hours_and_minutes_and_a_change_is_a_new_version(world, admin):
    policy = world.policy
    page = admin.get(reverse("catalog:policy", args=[policy.pk]))
    assert "8 h 00 min" in page.content.decode()  # P2 resolution: 480 minutes, not "480"
    url = reverse("catalog:policy_version", args=[policy.pk])
    data = _grid(admin.get(url))
    assert (data["hours_P2_resolution"], data["mins_P2_resolution"]) == ("8", "0")
    assert "minutes_P2_resolution" not in data
    data.update({"hours_P2_resolution": "32", "mins_P2_resolution": "30", "change_note": "longer P2"})
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    version = policy.current_version()
    assert version.number == 2
    assert version.targets.get(priority="P2", metric="resolution").target_minutes == 32 * 60 + 30
    assert (
        SLAPolicyVersion.objects.get(policy=policy, number=1)
        .targets.get(priority="P2", metric="resolution")
        .target_minutes
        == 480
    )
    assert AuditEntry.objects.filter(action="catalog.slapolicy.version_created", object_id=str(policy.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours_P2_resolution": "0", "mins_P2_resolution": "10"}, "resolution target must not be shorter"),
        ({"hours_P3_response": "-1"}, ""),
        ({"mins_P3_response": "75"}, ""),
        ({"hours_P3_response": "99999999999999999999"}, ""),
        ({"hours_P3_response": "abc"}, ""),
        ({"hours_P3_response": "0", "mins_P3_response": "0"}, ""),
        ({"warning_percent": "100"}, ""),
    ],
)
def test_absurd_targets_get_a_clear_error_and_publish_nothing(world, admin, changes, message):
    url = reverse("catalog:policy_version", args=[world.policy.pk])
    data = _grid(admin.get(url))
    data.update(changes)
    response = admin.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    if message:
        assert message in response.content.decode()
    assert world.policy.current_version().number == 1


def test_the_resolution_rule_is_the_services_so_the_django_admin_obeys_it_too(world):
    version = world.policy.current_version()
    targets = [
        {"priority": t.priority, "metric": t.metric, "target_minutes": t.target_minutes, "calendar": t.calendar}
        for t in version.targets.all()
    ]
    for target in targets:
        if (target["priority"], target["metric"]) == ("P1", "response"):
            target["target_minutes"] = 10_000
    with pytest.raises(services.ApplicationError):
        services.sla_policy_version_create(actor=None, policy=world.policy, targets=targets)
    for target in targets:
        if (target["priority"], target["metric"]) == ("P1", "response"):
            target["target_minutes"] = services.MAX_TARGET_MINUTES + 1
    with pytest.raises(services.ApplicationError):
        services.sla_policy_version_create(actor=None, policy=world.policy, targets=targets)


def test_the_deadline_preview_uses_the_business_time_engine(world, office_calendar, admin):
    # A policy counted on office hours: a P2 responded to within 3 working hours.
    policy = services.sla_policy_create(actor=None, organisation=world.org, name="Office", code="office")
    services.sla_policy_version_create(
        actor=None,
        policy=policy,
        targets=[{"priority": "P2", "metric": "response", "target_minutes": 180, "calendar": office_calendar}],
    )
    world.users["client_admin"].time_zone = "Asia/Shanghai"
    world.users["client_admin"].save(update_fields=["time_zone"])
    # Friday 2026-12-04 17:00 Shanghai: 30 min left that day, 150 min on Monday from 08:00 -> Mon 10:30.
    url = reverse("catalog:policy", args=[policy.pk])
    response = admin.get(url, {"priority": "P2", "start": "2026-12-04T17:00"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Mon 2026-12-07 10:30" in response.content.decode()
    # Received after hours on Friday (17:40): all 180 min on Monday -> 11:00.
    response = admin.get(url, {"priority": "P2", "start": "2026-12-04T17:40"}, HTTP_HX_REQUEST="true")
    assert "Mon 2026-12-07 11:00" in response.content.decode()
    # Before the National Day holiday (10-01..10-07 off): Wednesday 09-30 17:00 -> Thursday 10-08 10:30.
    response = admin.get(url, {"priority": "P2", "start": "2026-09-30T17:00"}, HTTP_HX_REQUEST="true")
    assert "Thu 2026-10-08 10:30" in response.content.decode()
    # Hostile input: a clear error, never a 500.
    for start in ("not-a-date", "9999-12-31T23:59", "1900-01-01T00:00"):
        response = admin.get(url, {"priority": "P2", "start": start})
        assert response.status_code == 400, start
    response = admin.get(url, {"priority": "P9", "start": "2026-12-04T17:40"})
    assert response.status_code == 400


def test_a_year_without_holiday_data_is_reported_in_the_preview(world, office_calendar, admin):
    policy = services.sla_policy_create(actor=None, organisation=world.org, name="Office", code="office")
    services.sla_policy_version_create(
        actor=None,
        policy=policy,
        targets=[{"priority": "P2", "metric": "response", "target_minutes": 180, "calendar": office_calendar}],
    )
    response = admin.get(reverse("catalog:policy", args=[policy.pk]), {"priority": "P2", "start": "2031-03-03T09:00"})
    assert response.status_code == 200
    assert "2031" in response.context["preview"][0]["error"]


def test_a_day_is_made_a_holiday_an_adjusted_working_day_and_normal_again_each_audited(world, office_calendar, admin):
    url = reverse("catalog:calendar_day", args=[office_calendar.pk])
    revision = office_calendar.revision
    day = dt.date(2026, 12, 4)  # an ordinary Friday
    response = admin.post(url, {"date": day.isoformat(), "kind": "holiday", "name": "院庆"})
    assert response.status_code == 302
    stored = CalendarDay.objects.get(calendar=office_calendar, date=day)
    assert (stored.is_working, stored.name, stored.source) == (False, "院庆", "manual")
    saturday = dt.date(2026, 12, 5)
    admin.post(url, {"date": saturday.isoformat(), "kind": "working"}, HTTP_HX_REQUEST="true")
    assert CalendarDay.objects.get(calendar=office_calendar, date=saturday).is_working
    admin.post(url, {"date": day.isoformat(), "kind": "normal"})
    assert not CalendarDay.objects.filter(calendar=office_calendar, date=day).exists()
    office_calendar.refresh_from_db()
    assert office_calendar.revision == revision + 3
    actions = list(
        AuditEntry.objects.filter(object_id=str(office_calendar.pk), action__startswith="catalog.calendar.day")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["catalog.calendar.day_set", "catalog.calendar.day_set", "catalog.calendar.day_deleted"]


def test_the_month_view_shows_holidays_and_adjusted_working_days(world, office_calendar, admin):
    response = admin.get(reverse("catalog:calendar", args=[office_calendar.pk]), {"month": "2026-10"})
    assert response.status_code == 200
    weeks = response.context["weeks"]
    kinds = {d.date: d.kind for week in weeks for d in week}
    assert kinds[dt.date(2026, 10, 1)] == "holiday"
    assert kinds[dt.date(2026, 10, 10)] == "adjusted"  # 调休: Saturday worked
    assert kinds[dt.date(2026, 10, 12)] == "working"
    assert kinds[dt.date(2026, 10, 11)] == "off"
    text = response.content.decode()
    assert "chinesecalendar" in text  # the source of the 2026 data
    # Absurd month and day parameters fall back to this month; never a 500.
    for params in (
        {"month": "2026-13"},
        {"month": "99999-01"},
        {"month": "x"},
        {"day": "2026-02-30"},
        {"day": "0001-01-01"},
    ):
        assert admin.get(reverse("catalog:calendar", args=[office_calendar.pk]), params).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-02-30", "kind": "holiday"},
        {"date": "1800-01-01", "kind": "holiday"},
        {"date": "2026-12-04", "kind": "explode"},
        {"date": "2026-12-04", "kind": "holiday", "name": "x" * 500},
        {},
    ],
)
def test_hostile_day_input_is_refused_with_a_clear_error(world, office_calendar, admin, data):
    before = CalendarDay.objects.count()
    response = admin.post(reverse("catalog:calendar_day", args=[office_calendar.pk]), data)
    assert response.status_code == 400
    assert CalendarDay.objects.count() == before


def test_a_calendar_is_created_with_readable_weekly_hours_and_overlaps_are_refused(world, admin):
    data = {
        "name": "Ward hours",
        "time_zone": "Asia/Shanghai",
        "holiday_source": "china",
        "hours_0": "08:00-12:00, 13:30-17:30",
        "hours_1": "08:00-12:00",
        "hours_5": "",
    }
    response = admin.post(reverse("catalog:calendar_create"), data)
    assert response.status_code == 302
    calendar = BusinessCalendar.objects.get(organisation=world.org, name="Ward hours")
    assert services.calendar_weekly(calendar)[0] == [(480, 720), (810, 1050)]
    assert AuditEntry.objects.filter(action="catalog.calendar.created", object_id=str(calendar.pk)).exists()
    page = admin.get(reverse("catalog:calendar", args=[calendar.pk])).content.decode()
    assert "08:00-12:00, 13:30-17:30" in page

    edit = reverse("catalog:calendar_edit", args=[calendar.pk])
    response = admin.post(edit, {**data, "hours_0": "08:00-12:00, 11:00-13:00"})
    assert response.status_code == 400
    response = admin.post(edit, {**data, "hours_0": "25:00-26:00"})
    assert response.status_code == 400
    response = admin.post(edit, {**data, "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    response = admin.post(edit, {**data, "hours_2": "09:00-17:00"})
    assert response.status_code == 302
    assert services.calendar_weekly(calendar)[2] == [(540, 1020)]
    assert AuditEntry.objects.filter(action="catalog.calendar.hours_changed", object_id=str(calendar.pk)).exists()


def test_a_year_is_loaded_from_the_library_or_confirmed_and_the_source_is_shown(world, admin):
    calendar = services.calendar_create(
        actor=None, organisation=world.org, name="Clinic", time_zone="Asia/Shanghai", holiday_source="china", weekly={}
    )
    url = reverse("catalog:calendar_year", args=[calendar.pk])
    admin.post(url, {"year": "2025", "action": "load"})
    covered = CalendarYear.objects.get(calendar=calendar, year=2025)
    assert covered.source == "library"
    assert covered.confirmed_by == world.users["client_admin"]
    admin.post(url, {"year": "2099", "action": "load"})  # the library has no 2099: a message, nothing loaded
    assert not CalendarYear.objects.filter(calendar=calendar, year=2099).exists()
    admin.post(url, {"year": "2099", "action": "confirm"})
    assert CalendarYear.objects.get(calendar=calendar, year=2099).source == "manual"
    for bad in ({"year": "99999", "action": "load"}, {"year": "abc", "action": "confirm"}, {"action": "x"}):
        assert admin.post(url, bad).status_code == 302
    page = admin.get(reverse("catalog:calendar", args=[calendar.pk])).content.decode()
    assert "chinesecalendar" in page
    actions = set(AuditEntry.objects.filter(object_id=str(calendar.pk)).values_list("action", flat=True))
    assert {"catalog.calendar.year_loaded", "catalog.calendar.year_confirmed"} <= actions


def test_the_setup_menu_is_shown_to_client_administrators_only(world, admin):
    assert reverse("catalog:services") in admin.get(reverse("preferences")).content.decode()
    for role in OTHER_ROLES:
        assert (
            reverse("catalog:services") not in signed_in(world.users[role]).get(reverse("preferences")).content.decode()
        )
    assert world.users["client_admin"].role == Role.CLIENT_ADMIN
