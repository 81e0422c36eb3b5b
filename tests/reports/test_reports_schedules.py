"""Report schedules: the N-th working day on China's calendar, when a report is due, the recipient rules, and the
schedule pages and API (who reads, who manages).

Hand facts (State Council notice of 2025-11-04, MISSION.md "Calendars: facts to respect"): 1–7 October 2026 are
holidays and Saturday 10 October an adjusted working day, so October's working days begin Thu 8, Fri 9, Sat 10;
1–3 January 2026 are holidays and Sunday 4 January an adjusted working day, so January's begin Sun 4, Mon 5, Tue 6.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from oversight.audit.models import AuditEntry
from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec
from oversight.catalog.calendars import calendar_spec
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.reports import services
from oversight.reports.models import ReportSchedule
from oversight.reports.schedule import DueReport, due_report, next_send_day, nth_working_day, period_bounds
from tests.reports.schedule_fixtures import CREATED_AT, OFFICE_HOURS, china_calendar, make_schedule

D = dt.date
API = "/api/v1/"

# A hand-written spec of the same facts (no library): Monday–Friday, October and January 2026 as above.
HOLIDAYS = [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)] + [D(2026, 10, d) for d in range(1, 8)]
ADJUSTED = [D(2026, 1, 4), D(2026, 9, 20), D(2026, 10, 10)]
HAND_SPEC = CalendarSpec(
    tz="Asia/Shanghai",
    weekly=tuple(tuple(OFFICE_HOURS) if d < 5 else () for d in range(7)),
    overrides={**{d: () for d in HOLIDAYS}, **{d: tuple(OFFICE_HOURS) for d in ADJUSTED}},
    covered_years=frozenset({2026}),
    name="hand",
)


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched on their English words: the default language is Chinese, and they are translated."""
    with translation.override("en"):
        yield


@pytest.fixture
def china(world):
    return china_calendar(world.org)


# ---------------------------------------------------------------------------------------------- pure maths


@pytest.mark.parametrize(
    ("first", "n", "expected"),
    [
        (D(2026, 10, 1), 1, D(2026, 10, 8)),
        (D(2026, 10, 1), 2, D(2026, 10, 9)),
        (D(2026, 10, 1), 3, D(2026, 10, 10)),  # Saturday, adjusted working day
        (D(2026, 10, 1), 4, D(2026, 10, 12)),  # Sunday 11 is off
        (D(2026, 1, 1), 1, D(2026, 1, 4)),  # Sunday, adjusted working day
        (D(2026, 1, 1), 3, D(2026, 1, 6)),
        (D(2026, 9, 1), 3, D(2026, 9, 3)),  # Tue 1, Wed 2, Thu 3
        (D(2026, 7, 1), 10, D(2026, 7, 14)),  # 1–3, 6–10, 13, 14
    ],
)
def test_nth_working_day_on_hand_facts(first, n, expected):
    assert nth_working_day(HAND_SPEC, first, n) == expected


@pytest.mark.parametrize(
    ("first", "n", "expected"),
    [
        (D(2026, 10, 1), 3, D(2026, 10, 10)),
        (D(2026, 1, 1), 3, D(2026, 1, 6)),
        (D(2026, 10, 1), 1, D(2026, 10, 8)),
        (D(2026, 2, 1), 3, D(2026, 2, 4)),  # Sun 1 off: Mon 2, Tue 3, Wed 4
    ],
)
def test_nth_working_day_on_the_loaded_china_calendar(china, first, n, expected):
    assert nth_working_day(calendar_spec(china), first, n) == expected


def test_a_year_without_calendar_data_is_refused_not_guessed(china):
    with pytest.raises(CalendarDataMissing) as caught:
        nth_working_day(calendar_spec(china), D(2027, 1, 1), 3)
    assert caught.value.year == 2027
    with pytest.raises(CalendarDataMissing):
        nth_working_day(HAND_SPEC, D(2025, 12, 30), 3)  # the hand spec covers 2026 only


def test_period_bounds():
    assert period_bounds("monthly", D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert period_bounds("monthly", D(2026, 12, 31)) == (D(2026, 12, 1), D(2026, 12, 31))
    assert period_bounds("quarterly", D(2026, 11, 5)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert period_bounds("quarterly", D(2026, 3, 31)) == (D(2026, 1, 1), D(2026, 3, 31))


def test_due_on_and_after_the_nth_working_day_not_before():
    september = DueReport(first=D(2026, 9, 1), last=D(2026, 9, 30), send_on=D(2026, 10, 10))
    assert due_report(HAND_SPEC, "monthly", D(2026, 10, 10), 3) == september
    assert due_report(HAND_SPEC, "monthly", D(2026, 10, 31), 3) == september  # a missed one is still owed
    # On 9 October September is not owed yet; August (sent on Thu 3 September) is the one still owed.
    august = DueReport(first=D(2026, 8, 1), last=D(2026, 8, 31), send_on=D(2026, 9, 3))
    assert due_report(HAND_SPEC, "monthly", D(2026, 10, 9), 3) == august
    # ... unless the schedule was switched on after August's sending day.
    assert due_report(HAND_SPEC, "monthly", D(2026, 10, 9), 3, not_before=D(2026, 9, 20)) is None
    assert due_report(HAND_SPEC, "monthly", D(2026, 10, 10), 3, not_before=D(2026, 9, 20)) == september
    # The 2nd working day of October is Fri 9.
    assert due_report(HAND_SPEC, "monthly", D(2026, 10, 9), 2).first == D(2026, 9, 1)


def test_quarterly_due_on_the_third_working_day_of_the_next_quarter():
    q3 = DueReport(first=D(2026, 7, 1), last=D(2026, 9, 30), send_on=D(2026, 10, 10))
    assert due_report(HAND_SPEC, "quarterly", D(2026, 10, 10), 3) == q3
    assert due_report(HAND_SPEC, "quarterly", D(2026, 12, 31), 3) == q3
    assert due_report(HAND_SPEC, "quarterly", D(2026, 10, 9), 3, not_before=D(2026, 8, 1)) is None


def test_next_send_day():
    assert next_send_day(HAND_SPEC, "monthly", D(2026, 10, 2), 3) == D(2026, 10, 10)
    assert next_send_day(HAND_SPEC, "monthly", D(2026, 10, 10), 3) == D(2026, 10, 10)
    # After 10 October: the 3rd working day of November 2026 (Sun 1 off: Mon 2, Tue 3, Wed 4).
    assert next_send_day(HAND_SPEC, "monthly", D(2026, 10, 11), 3) == D(2026, 11, 4)


# ---------------------------------------------------------------------------------------------- services


def test_create_records_everything_and_audits(world, china):
    schedule = make_schedule(world, china, recipients=["client_supervisor", "vendor_manager"])
    assert schedule.is_active and schedule.working_day == 3 and schedule.kind == "monthly"
    assert schedule.active_since == CREATED_AT and schedule.created_by == world.users["client_supervisor"]
    assert {u.username for u in schedule.recipients.all()} == {"super_a", "vm_a"}
    entry = AuditEntry.objects.get(action="reports.reportschedule.created", object_id=str(schedule.pk))
    assert entry.after["recipients"] == sorted([world.users["client_supervisor"].pk, world.users["vendor_manager"].pk])


@pytest.mark.parametrize(
    ("recipient", "words"),
    [
        ("other_vendor_manager", "not a manager of this vendor"),
        ("vendor_agent", "may not receive reports"),
        ("requester", "may not receive reports"),
        ("foreign_admin", "may not receive reports"),
    ],
)
def test_recipients_outside_the_rule_are_refused(world, china, recipient, words):
    with pytest.raises(ApplicationError) as caught:
        make_schedule(world, china, recipients=["client_supervisor", recipient])
    assert words in str(caught.value.message)
    assert caught.value.extra["field"] == "recipients"
    assert not ReportSchedule.objects.exists()


def test_recipients_need_an_address_and_an_active_account(world, china):
    executive, auditor = world.users["executive"], world.users["auditor"]
    executive.email = ""
    executive.save(update_fields=["email"])
    auditor.is_active = False
    auditor.save(update_fields=["is_active"])
    with pytest.raises(ApplicationError) as caught:
        make_schedule(world, china, recipients=[executive, auditor])
    assert "has no e-mail address" in str(caught.value.message) and "is switched off" in str(caught.value.message)


def test_contract_must_be_the_vendors_and_calendar_the_organisations(world, china):
    from tests.scorecards.conftest import make_contract

    other = make_contract(world, vendor=world.other_vendor, service=world.other_service, number="HT-9")
    with pytest.raises(ApplicationError) as caught:
        make_schedule(world, china, recipients=["client_supervisor"], contract=other)
    assert caught.value.extra["field"] == "contract"
    foreign_calendar = china_calendar(world.other_org, name="Far calendar")
    with pytest.raises(ApplicationError) as caught:
        make_schedule(world, foreign_calendar, recipients=["client_supervisor"])
    assert caught.value.extra["field"] == "calendar"
    with pytest.raises(ApplicationError):
        make_schedule(world, china, recipients=["client_supervisor"], working_day=11)
    with pytest.raises(ApplicationError):
        make_schedule(world, china, recipients=[])


@pytest.mark.parametrize(
    "role", ["executive", "auditor", "vendor_manager", "vendor_agent", "requester", "foreign_admin"]
)
def test_only_client_admins_and_supervisors_manage(world, china, role):
    with pytest.raises(NotAllowed):
        make_schedule(world, china, recipients=["client_supervisor"], actor=role)
    schedule = make_schedule(world, china, recipients=["client_supervisor"], actor="client_admin")
    with pytest.raises(NotAllowed):
        services.schedule_deactivate(actor=world.users[role], schedule=schedule)


def test_update_deactivate_and_activate(world, china):
    schedule = make_schedule(world, china, recipients=["client_supervisor"])
    admin = world.users["client_admin"]
    services.schedule_update(
        actor=admin,
        schedule=schedule,
        contract=None,
        kind="quarterly",
        working_day=5,
        calendar=china,
        recipients=[world.users["executive"], world.users["vendor_manager"]],
    )
    schedule.refresh_from_db()
    assert (schedule.kind, schedule.working_day) == ("quarterly", 5)
    assert {u.username for u in schedule.recipients.all()} == {"exec_a", "vm_a"}
    changed = AuditEntry.objects.get(action="reports.reportschedule.changed")
    assert changed.before["working_day"] == 3 and changed.after["working_day"] == 5
    services.schedule_deactivate(actor=admin, schedule=schedule)
    services.schedule_deactivate(actor=admin, schedule=schedule)  # harmless twice
    assert AuditEntry.objects.filter(action="reports.reportschedule.deactivated").count() == 1
    later = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    with clock.frozen_at(later):
        services.schedule_activate(actor=admin, schedule=schedule)
    schedule.refresh_from_db()
    assert schedule.is_active and schedule.active_since == later


# ---------------------------------------------------------------------------------------------- pages


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_list_page_per_role(world, china):
    own = make_schedule(world, china, recipients=["client_supervisor", "vendor_manager"])
    other = make_schedule(world, china, recipients=["client_supervisor"], vendor=world.other_vendor)
    url = reverse("reports:schedules")
    for role in ("client_admin", "client_supervisor", "executive", "auditor"):
        page = _client(world.users[role]).get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert world.vendor.name in body and world.other_vendor.name in body
        assert (reverse("reports:schedule_create") in body) == (role in ("client_admin", "client_supervisor"))
    body = _client(world.users["vendor_manager"]).get(url).content.decode()
    assert reverse("reports:schedule_detail", args=[own.pk]) in body
    assert reverse("reports:schedule_detail", args=[other.pk]) not in body
    assert world.other_vendor.name not in body
    for role in ("vendor_agent", "requester"):
        assert _client(world.users[role]).get(url).status_code == 403
    assert _client(world.users["foreign_admin"]).get(url).content.decode().count("schedule-table") == 1
    assert world.vendor.name not in _client(world.users["foreign_admin"]).get(url).content.decode()


def test_detail_page_visibility(world, china):
    own = make_schedule(world, china, recipients=["client_supervisor", "vendor_manager"])
    other = make_schedule(world, china, recipients=["client_supervisor"], vendor=world.other_vendor)
    vm = _client(world.users["vendor_manager"])
    page = vm.get(reverse("reports:schedule_detail", args=[own.pk]))
    assert page.status_code == 200
    assert reverse("reports:schedule_edit", args=[own.pk]) not in page.content.decode()  # read-only for the vendor
    assert vm.get(reverse("reports:schedule_detail", args=[other.pk])).status_code == 404
    assert (
        _client(world.users["foreign_admin"]).get(reverse("reports:schedule_detail", args=[own.pk])).status_code == 404
    )
    supervisor = _client(world.users["client_supervisor"]).get(reverse("reports:schedule_detail", args=[own.pk]))
    assert reverse("reports:schedule_send", args=[own.pk]) in supervisor.content.decode()


def test_create_and_edit_pages(world, china):
    supervisor = _client(world.users["client_supervisor"])
    assert supervisor.get(reverse("reports:schedule_create")).status_code == 200
    data = {
        "vendor": world.vendor.pk,
        "kind": "monthly",
        "working_day": 3,
        "calendar": china.pk,
        "recipients": [world.users["client_supervisor"].pk, world.users["other_vendor_manager"].pk],
    }
    refused = supervisor.post(reverse("reports:schedule_create"), data)
    assert refused.status_code == 400 and "not a manager of this vendor" in refused.content.decode()
    data["recipients"] = [world.users["client_supervisor"].pk, world.users["vendor_manager"].pk]
    response = supervisor.post(reverse("reports:schedule_create"), data)
    schedule = ReportSchedule.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:schedule_detail", args=[schedule.pk]
    )
    edit = reverse("reports:schedule_edit", args=[schedule.pk])
    assert supervisor.get(edit).status_code == 200
    data["working_day"] = 4
    assert supervisor.post(edit, data).status_code == 302
    schedule.refresh_from_db()
    assert schedule.working_day == 4
    for role in ("executive", "vendor_manager"):
        assert _client(world.users[role]).post(edit, data).status_code == 403
        assert _client(world.users[role]).get(reverse("reports:schedule_create")).status_code == 403
    deactivate = reverse("reports:schedule_deactivate", args=[schedule.pk])
    assert _client(world.users["auditor"]).post(deactivate).status_code == 403
    assert supervisor.post(deactivate).status_code == 302
    schedule.refresh_from_db()
    assert not schedule.is_active


# ---------------------------------------------------------------------------------------------- API


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_create_list_and_deactivate(world, china):
    admin = _api(world.users["client_admin"])
    body = {
        "vendor": world.vendor.pk,
        "kind": "quarterly",
        "working_day": 3,
        "calendar": china.pk,
        "recipients": [world.users["client_supervisor"].pk, world.users["vendor_manager"].pk],
    }
    created = admin.post(f"{API}report-schedules/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["kind"] == "quarterly"
    assert {r["username"] for r in created.json()["recipients"]} == {"super_a", "vm_a"}
    refused = admin.post(
        f"{API}report-schedules/",
        {**body, "recipients": [world.users["other_vendor_manager"].pk]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400 and "not a manager of this vendor" in refused.json()["error"]["message"]
    assert _api(world.users["vendor_manager"]).post(f"{API}report-schedules/", body, format="json").status_code == 403
    assert _api(world.users["executive"]).post(f"{API}report-schedules/", body, format="json").status_code == 403
    foreign = _api(world.users["foreign_admin"]).post(f"{API}report-schedules/", body, format="json")
    assert foreign.status_code == 400  # our vendor and calendar are unknown to another organisation
    make_schedule(world, china, recipients=["client_supervisor"], vendor=world.other_vendor)
    assert admin.get(f"{API}report-schedules/").json()["count"] == 2
    assert [
        row["id"] for row in _api(world.users["vendor_manager"]).get(f"{API}report-schedules/").json()["results"]
    ] == [pk]
    assert _api(world.users["other_vendor_manager"]).get(f"{API}report-schedules/{pk}/").status_code == 404
    assert _api(world.users["vendor_agent"]).get(f"{API}report-schedules/").json()["count"] == 0
    update = {**body, "working_day": 6}
    del update["vendor"]
    changed = admin.put(f"{API}report-schedules/{pk}/", update, format="json")
    assert changed.status_code == 200 and changed.json()["working_day"] == 6
    assert _api(world.users["vendor_manager"]).post(f"{API}report-schedules/{pk}/deactivate/").status_code == 403
    off = admin.post(f"{API}report-schedules/{pk}/deactivate/")
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert admin.post(f"{API}report-schedules/{pk}/activate/").json()["is_active"] is True


def test_schedule_and_delivery_lists_do_not_grow_queries_with_rows(world, china):
    from oversight.reports.periods import period_from_key
    from tests.query_counts import assert_flat, count_queries

    admin = _api(world.users["client_admin"])

    def counts() -> tuple[int, int]:
        found = []
        for url in (f"{API}report-schedules/", f"{API}report-deliveries/"):
            with count_queries() as queries:
                assert admin.get(url).status_code == 200
            found.append(len(queries))
        return tuple(found)

    def add(vendor, key):
        schedule = make_schedule(world, china, recipients=["client_supervisor", "executive"], vendor=vendor)
        services.delivery_claim(schedule=schedule, period=period_from_key(key, world.org))

    add(world.vendor, "2026-08")
    one = counts()
    add(world.other_vendor, "2026-07")
    add(world.vendor, "2026-06")
    add(world.other_vendor, "2026-05")
    more = counts()
    assert_flat("reports.api.schedules", one[0], more[0])
    assert_flat("reports.api.deliveries", one[1], more[1])
    page = _client(world.users["client_admin"])
    page.get(reverse("reports:schedules"))  # the calendar's engine spec is built once, then cached
    with count_queries() as queries:
        page.get(reverse("reports:schedules"))
    few = len(queries)
    add(world.vendor, "2026-04")
    with count_queries() as queries:
        page.get(reverse("reports:schedules"))
    assert_flat("reports.schedules_page", few, len(queries))


def test_admin_shows_only_the_own_organisations_schedules_and_deliveries_read_only(world, china):
    from oversight.reports.models import ReportDelivery
    from oversight.reports.periods import period_from_key

    own = make_schedule(world, china, recipients=["client_supervisor"])
    with clock.frozen_at(CREATED_AT):
        foreign = services.schedule_create(
            actor=world.users["foreign_admin"],
            organisation=world.other_org,
            vendor=world.foreign_vendor,
            calendar=china_calendar(world.other_org, name="Far calendar"),
            recipients=[world.users["foreign_admin"]],
        )
    for schedule in (own, foreign):
        services.delivery_claim(schedule=schedule, period=period_from_key("2026-08", schedule.organisation))
    admin = world.users["client_admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client = _client(admin)
    listed = client.get(reverse("admin:reports_reportschedule_changelist"))
    assert {obj.pk for obj in listed.context["cl"].result_list} == {own.pk}
    deliveries = client.get(reverse("admin:reports_reportdelivery_changelist"))
    assert {obj.schedule_id for obj in deliveries.context["cl"].result_list} == {own.pk}
    assert ReportDelivery.objects.count() == 2
    assert client.get(reverse("admin:reports_reportschedule_change", args=[foreign.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:reports_reportschedule_add")).status_code == 403
