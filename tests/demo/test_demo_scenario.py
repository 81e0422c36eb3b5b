"""The demo scenario: people in every role, calendars with China's 2026 adjusted working days, policies, commands."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oversight.audit.models import AuditEntry
from oversight.catalog import calendars
from oversight.catalog.calendars import calendar_spec
from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import CalendarDay, Service, SLAPolicy
from oversight.demo.scenario import DEMO_ORGANISATION_CODE, DEMO_PASSWORD, build_scenario
from oversight.liaisons.models import HotlineReport
from oversight.mailintake.models import InboundMail
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Certificate, Organisation, StaffMember, User
from oversight.tickets.models import IntakePoint, WorkOrder

NOW = dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC)  # a Wednesday, 10:30 in Beijing
ADJUSTED_2026 = [dt.date(2026, 1, 4), dt.date(2026, 2, 14), dt.date(2026, 2, 28), dt.date(2026, 5, 9),
                 dt.date(2026, 9, 20), dt.date(2026, 10, 10)]  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_calendar_specs():
    # Specs are cached per (pk, revision); rolled-back tests reuse primary keys.
    calendars._cache.clear()


@pytest.fixture
def scenario(db):
    return build_scenario(now=NOW)


def test_demo_scenario_has_every_role(scenario):
    users = User.objects.filter(organisation=scenario.organisation)
    count = {role: users.filter(role=role).count() for role in Role.values}
    assert 55 <= users.count() <= 65
    assert count[Role.CLIENT_ADMIN] == 2
    assert users.filter(role=Role.CLIENT_ADMIN, is_staff=True).count() == 2
    assert not users.exclude(role=Role.CLIENT_ADMIN).filter(is_staff=True).exists()
    assert not users.filter(is_superuser=True).exists()
    assert count[Role.CLIENT_SUPERVISOR] >= 2
    assert count[Role.EXECUTIVE] == 1
    assert count[Role.AUDITOR] == 1
    assert count[Role.REQUESTER] >= 30
    for vendor in scenario.vendors.values():
        assert users.filter(vendor=vendor, role=Role.VENDOR_MANAGER).exists()
        assert users.filter(vendor=vendor, role=Role.VENDOR_AGENT).count() >= 3
    assert not users.filter(role=Role.REQUESTER).exclude(language="zh-hans").exists()
    english = users.filter(language="en")
    assert (
        english.filter(role__in=[Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR, Role.EXECUTIVE, Role.AUDITOR]).count() == 1
    )
    assert english.filter(role__in=[Role.VENDOR_MANAGER, Role.VENDOR_AGENT]).count() == 1
    admin = users.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD)
    assert users.filter(role=Role.REQUESTER, department__isnull=True).count() == 0


def test_demo_scenario_roster_has_certificates_expiring_soon(scenario):
    staff = StaffMember.objects.filter(vendor__organisation=scenario.organisation)
    assert staff.count() == User.objects.filter(organisation=scenario.organisation, vendor__isnull=False).count()
    assert {s.position for s in staff} >= {"project_manager", "qc_manager", "onsite_engineer", "service_desk"}
    certificates = Certificate.objects.filter(staff_member__in=staff)
    today = NOW.date()
    assert certificates.filter(expires_on__gt=today, expires_on__lte=today + dt.timedelta(days=30)).exists()
    assert certificates.filter(expires_on__gt=today + dt.timedelta(days=30)).exists()


def test_demo_scenario_calendar_has_2026_adjusted_working_days(scenario):
    office, round_the_clock = scenario.calendars["office"], scenario.calendars["24x7"]
    assert office.holiday_source == HolidaySource.CHINA
    assert round_the_clock.holiday_source == HolidaySource.NONE
    assert list(office.years.values_list("year", flat=True)) == [2026]
    working = set(CalendarDay.objects.filter(calendar=office, is_working=True).values_list("date", flat=True))
    assert working == set(ADJUSTED_2026)
    spec = calendar_spec(office)
    assert spec.intervals_for(dt.date(2026, 2, 14)) == ((480, 720), (810, 1050))  # a working Saturday (调休)
    assert spec.intervals_for(dt.date(2026, 10, 1)) == ()  # National Day
    assert spec.intervals_for(dt.date(2026, 11, 21)) == ()  # an ordinary Saturday
    assert calendar_spec(round_the_clock).intervals_for(dt.date(2026, 10, 1)) == ((0, 1440),)


def test_demo_scenario_catalog_and_versioned_policies(scenario):
    services = Service.objects.filter(organisation=scenario.organisation)
    assert 18 <= services.count() <= 22
    assert not services.filter(name_en="").exists()
    assert services.filter(is_critical=True).exists()
    assert {s.vendor.code for s in services} == {"desk", "net", "his"}
    assert all(s.offerings.exists() for s in services)
    assert services.filter(offerings__requires_onsite=True).distinct().count() >= 5
    standard = SLAPolicy.objects.get(organisation=scenario.organisation, code="standard")
    first, second = standard.versions.order_by("number")
    assert first.created_at < NOW - dt.timedelta(days=183) < second.created_at < NOW
    p2 = {t.metric: t.target_minutes for t in second.targets.filter(priority="P2")}
    assert p2 == {"response": 30, "onsite": 120, "resolution": 360}
    critical = SLAPolicy.objects.get(organisation=scenario.organisation, code="critical").current_version()
    assert critical.targets.get(priority="P1", metric="resolution").calendar == scenario.calendars["24x7"]
    assert critical.targets.get(priority="P4", metric="resolution").calendar == scenario.calendars["office"]
    assert IntakePoint.objects.filter(organisation=scenario.organisation).count() >= 3
    assert AuditEntry.objects.filter(action="demo.scenario.loaded").count() == 1


def test_demo_load_command_if_empty(db):
    out = StringIO()
    call_command("demo_load", work_orders=40, seed=5, stdout=out)
    assert "Demo data loaded" in out.getvalue()
    organisation = Organisation.objects.get(code=DEMO_ORGANISATION_CODE)
    # 40 generated work orders, plus those the demo maildir's new requests make when it is polled once.
    made_by_mail = InboundMail.objects.filter(mailbox__organisation=organisation, reason="new_work_order")
    by_mail = set(made_by_mail.values_list("work_order_id", flat=True))
    assert by_mail and None not in by_mail
    # ... and the one the supervisor made of a hotline report (oversight/liaisons/demo.py).
    by_hotline = set(
        HotlineReport.objects.filter(organisation=organisation, work_order__isnull=False).values_list(
            "work_order_id", flat=True
        )
    )
    assert len(by_hotline) == 1
    assert WorkOrder.objects.filter(organisation=organisation).exclude(pk__in=by_mail | by_hotline).count() == 40
    assert WorkOrder.objects.filter(pk__in=by_mail, channel="email").count() == len(by_mail)
    total = WorkOrder.objects.count()
    out = StringIO()
    call_command("demo_load", if_empty=True, stdout=out)
    assert "already has data" in out.getvalue()
    assert WorkOrder.objects.count() == total
    with pytest.raises(CommandError):
        call_command("demo_load", work_orders=0, stdout=StringIO())


def test_demo_logins_prints_every_role(scenario):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert DEMO_PASSWORD in text
    for label in ("Client administrator", "Client supervisor", "Executive", "Auditor", "Vendor manager",
                  "Vendor agent", "Requester"):  # fmt: skip
        assert label in text
    for username in ("admin", "supervisor", "executive", "auditor", "desk_manager", "desk_agent1", "net_manager",
                     "his_manager", "nurse1"):  # fmt: skip
        assert f"\n{username} " in text
    assert "English" in text and "中文" in text
    everyone = StringIO()
    call_command("demo_logins", "--all", stdout=everyone)
    assert "\nnurse20 " in everyone.getvalue()


def test_demo_logins_marks_changed_passwords(scenario):
    user = User.objects.get(username="auditor")
    user.set_password("something-else-42")
    user.save(update_fields=["password"])
    out = StringIO()
    call_command("demo_logins", stdout=out)
    line = next(row for row in out.getvalue().splitlines() if row.startswith("auditor "))
    assert "(changed)" in line
    assert DEMO_PASSWORD not in line


def test_demo_users_sign_in_without_a_required_password_change(scenario):
    """The demo's people use the printed password as it is; none is sent to the change-password page."""
    users = User.objects.filter(organisation=scenario.organisation)
    assert users.exists() and not users.filter(must_change_password=True).exists()
