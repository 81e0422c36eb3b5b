"""Sending scheduled reports: due by the calendar's local date, once per period (twice run, concurrent claim,
resumed after a crash), each recipient's report as they see it (a vendor only ever gets its own), in their
language and time zone, with the PDF and XLSX attached; "send now", retries, and calendar years without data.

The schedules are made on 20 September 2026 (Shanghai), so the first report owed is September's, due on the 3rd
working day of October 2026: Saturday 10 October (1–7 October are holidays, 10 October an adjusted working day).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.reports import services
from oversight.reports.models import DeliveryRecipient, ReportDelivery, ReportSchedule
from oversight.reports.periods import period_from_key
from oversight.reports.tasks import send_due_reports
from tests.reports.schedule_fixtures import china_calendar, make_schedule, shanghai
from tests.scorecards.conftest import make_contract

DUE = shanghai(2026, 10, 10, 9, 0)  # Saturday 10 October 2026, 09:00 in Shanghai = 01:00 UTC


@pytest.fixture
def china(world):
    return china_calendar(world.org)


@pytest.fixture
def schedule(world, china):
    return make_schedule(world, china, recipients=["client_supervisor", "vendor_manager"])


def _to(message) -> str:
    (address,) = message.to
    return address


def _attachments(message) -> dict[str, bytes]:
    return {name: content for name, content, _type in message.attachments}


# ---------------------------------------------------------------------------------------------- when


def test_due_by_the_calendars_local_date(world, schedule):
    # 9 October 23:59 in Shanghai (15:59 UTC): September is not owed yet, August was before the schedule.
    assert services.deliveries_send_due(now=shanghai(2026, 10, 9, 23, 59))["delivered"] == 0
    assert not ReportDelivery.objects.exists() and mail.outbox == []
    # 10 October 00:00 in Shanghai is still 9 October in UTC: due all the same.
    with clock.frozen_at(shanghai(2026, 10, 10, 0, 0)):
        summary = services.deliveries_send_due()
    assert summary["delivered"] == 1
    delivery = ReportDelivery.objects.get()
    assert (delivery.period_key, delivery.period_first, delivery.period_last) == (
        "2026-09",
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 30),
    )
    assert delivery.requested_by is None


def test_a_missed_sending_day_is_delivered_later(world, schedule):
    services.deliveries_send_due(now=shanghai(2026, 10, 28, 15, 0))
    assert ReportDelivery.objects.get().period_key == "2026-09"


def test_quarterly_schedule_sends_the_previous_quarter(world, china):
    make_schedule(world, china, recipients=["client_supervisor"], kind="quarterly", at=shanghai(2026, 8, 1))
    assert services.deliveries_send_due(now=shanghai(2026, 10, 9, 12))["delivered"] == 0
    services.deliveries_send_due(now=DUE)
    delivery = ReportDelivery.objects.get()
    assert (delivery.period_key, delivery.period_first, delivery.period_last) == (
        "2026-Q3",
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )


def test_inactive_schedules_send_nothing(world, schedule):
    services.schedule_deactivate(actor=world.users["client_admin"], schedule=schedule)
    assert services.deliveries_send_due(now=DUE)["schedules"] == 0
    assert not ReportDelivery.objects.exists()


def test_a_year_without_calendar_data_leaves_the_schedule_pending(world, schedule):
    # 5 January 2027: December 2026's report needs January 2027's working days, which nobody has loaded.
    summary = services.deliveries_send_due(now=shanghai(2027, 1, 5, 12))
    assert summary["pending"] == 1 and summary["delivered"] == 0
    schedule.refresh_from_db()
    assert "2027" in schedule.pending_reason
    assert not ReportDelivery.objects.exists()
    page = Client()
    page.force_login(world.users["client_supervisor"])
    from django.urls import reverse

    assert "2027" in page.get(reverse("reports:schedule_detail", args=[schedule.pk])).content.decode()


# ---------------------------------------------------------------------------------------------- once


def test_running_twice_delivers_once_and_mails_each_recipient_once(world, schedule):
    with clock.frozen_at(DUE):
        first = send_due_reports.delay().get()
        second = services.deliveries_send_due()
    assert first["delivered"] == 1 and first["emails"] == 2
    assert second["delivered"] == 0 and second["emails"] == 0
    assert ReportDelivery.objects.count() == 1
    assert sorted(_to(m) for m in mail.outbox) == ["super_a@example.org", "vm_a@example.org"]
    delivery = ReportDelivery.objects.get()
    assert delivery.status == "sent" and delivery.finished_at == DUE
    assert sorted(delivery.outcomes.values_list("email", "outcome")) == [
        ("super_a@example.org", "sent"),
        ("vm_a@example.org", "sent"),
    ]
    assert AuditEntry.objects.filter(action="reports.reportdelivery.sent", object_id=str(delivery.pk)).count() == 1


def test_a_second_claim_sees_the_existing_row(world, schedule):
    period = period_from_key("2026-09", world.org)
    with clock.frozen_at(DUE):
        first = services.delivery_claim(schedule=schedule, period=period)
        assert first is not None and first.status == "sending"
        assert services.delivery_claim(schedule=schedule, period=period) is None
    assert ReportDelivery.objects.count() == 1
    # A run meeting a delivery that another run is sending right now leaves it alone.
    with clock.frozen_at(DUE + dt.timedelta(minutes=5)):
        assert services.deliveries_send_due()["emails"] == 0
    assert mail.outbox == []


def test_a_delivery_cut_off_by_a_crash_is_resumed_for_the_others_only(world, schedule):
    period = period_from_key("2026-09", world.org)
    with clock.frozen_at(DUE):
        delivery = services.delivery_claim(schedule=schedule, period=period)
        DeliveryRecipient.objects.create(
            delivery=delivery,
            user=world.users["client_supervisor"],
            email="super_a@example.org",
            outcome="sent",
            at=DUE,
        )
    summary = services.deliveries_send_due(now=DUE + dt.timedelta(hours=1))
    assert summary["resumed"] == 1 and summary["emails"] == 1
    assert [_to(m) for m in mail.outbox] == ["vm_a@example.org"]
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_command_runs_the_job(world, schedule):
    out = io.StringIO()
    with clock.frozen_at(DUE):
        call_command("reports_send_due", stdout=out)
        call_command("reports_send_due", stdout=out)
    assert "1 delivered" in out.getvalue() and "0 delivered" in out.getvalue()
    assert len(mail.outbox) == 2


# ---------------------------------------------------------------------------------------------- the e-mail


def test_each_email_has_the_pdf_the_xlsx_the_link_and_the_period(world, schedule):
    services.deliveries_send_due(now=DUE)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert world.vendor.name in message.subject and "2026-09" in message.subject
        files = _attachments(message)
        pdf = next(content for name, content in files.items() if name.endswith(".pdf"))
        xlsx = next(content for name, content in files.items() if name.endswith(".xlsx"))
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
        assert zipfile.is_zipfile(io.BytesIO(xlsx))
        assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(xlsx)).namelist()
        assert f"http://127.0.0.1:8000/reports/vendors/{world.vendor.pk}/2026-09/" in message.body


def test_language_and_time_zone_follow_each_recipient(world, china):
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-1")
    supervisor, manager = world.users["client_supervisor"], world.users["vendor_manager"]
    supervisor.language, supervisor.time_zone = "zh-hans", "Asia/Shanghai"
    supervisor.save(update_fields=["language", "time_zone"])
    manager.language, manager.time_zone = "en", "Europe/London"
    manager.save(update_fields=["language", "time_zone"])
    make_schedule(world, china, recipients=[supervisor, manager], contract=contract)
    with clock.frozen_at(DUE):
        services.deliveries_send_due()
    by_address = {_to(m): m for m in mail.outbox}
    chinese, english = by_address["super_a@example.org"], by_address["vm_a@example.org"]
    # "Contract" is 合同 in Chinese; 01:00 UTC is 09:00 in Shanghai and 02:00 in London (summer time until 25 Oct).
    assert "合同: HT-1" in chinese.body and "Contract: HT-1" not in chinese.body
    assert "Contract: HT-1" in english.body
    assert "2026-10-10 09:00" in chinese.body and "2026-10-10 02:00" in english.body
    assert f"/reports/contracts/{contract.pk}/2026-09/" in english.body


# ---------------------------------------------------------------------------------------------- who gets what


def test_a_vendor_manager_who_moved_to_another_vendor_is_skipped(world, schedule):
    manager = world.users["vendor_manager"]
    manager.vendor = world.other_vendor
    manager.save(update_fields=["vendor"])
    services.deliveries_send_due(now=DUE)
    assert [_to(m) for m in mail.outbox] == ["super_a@example.org"]
    row = DeliveryRecipient.objects.get(user=manager)
    assert (row.outcome, row.reason) == ("skipped", "other_vendor")
    assert ReportDelivery.objects.get().status == "sent"


def test_vendor_b_manager_never_receives_vendor_a_report(world, china):
    make_schedule(world, china, recipients=["client_supervisor", "vendor_manager"])
    make_schedule(world, china, recipients=["other_vendor_manager"], vendor=world.other_vendor)
    services.deliveries_send_due(now=DUE)
    received = {}
    for message in mail.outbox:
        received.setdefault(_to(message), []).append(message.subject)
    assert [world.other_vendor.name in s for s in received["vm_b@example.org"]] == [True]
    assert all(world.vendor.name not in s for s in received["vm_b@example.org"])
    assert all(world.other_vendor.name not in s for s in received["vm_a@example.org"])


def test_a_recipient_who_lost_access_to_the_report_is_skipped(world, china):
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-1")
    make_schedule(world, china, recipients=["client_supervisor", "vendor_manager"], contract=contract)
    # The contract moves back out of the vendor's sight (a draft is the client's work in progress).
    type(contract).objects.filter(pk=contract.pk).update(status="draft")
    services.deliveries_send_due(now=DUE)
    assert [_to(m) for m in mail.outbox] == ["super_a@example.org"]
    row = DeliveryRecipient.objects.get(user=world.users["vendor_manager"])
    assert (row.outcome, row.reason) == ("skipped", "no_access")


def test_switched_off_accounts_and_missing_addresses_are_skipped(world, schedule):
    manager, supervisor = world.users["vendor_manager"], world.users["client_supervisor"]
    ReportSchedule.objects.get().recipients.add(world.users["executive"])
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    supervisor.email = ""
    supervisor.save(update_fields=["email"])
    services.deliveries_send_due(now=DUE)
    assert [_to(m) for m in mail.outbox] == ["exec_a@example.org"]
    reasons = dict(DeliveryRecipient.objects.values_list("user__username", "reason"))
    assert reasons == {"vm_a": "inactive", "super_a": "no_email", "exec_a": ""}


# ---------------------------------------------------------------------------------------------- send now, retries


def test_send_now_sends_the_last_ended_period_once(world, schedule):
    supervisor = world.users["client_supervisor"]
    with clock.frozen_at(shanghai(2026, 10, 2, 10)):
        delivery = services.delivery_send(schedule=schedule, period=services.period_to_send(schedule), actor=supervisor)
        assert delivery.period_key == "2026-09" and delivery.requested_by == supervisor
        with pytest.raises(ApplicationError) as caught:
            services.delivery_send(schedule=schedule, period=services.period_to_send(schedule), actor=supervisor)
        assert caught.value.code == "already_sent"
        with pytest.raises(ApplicationError):  # October has not ended
            services.delivery_send(schedule=schedule, period=period_from_key("2026-10", world.org), actor=supervisor)
        with pytest.raises(NotAllowed):
            services.delivery_send(
                schedule=schedule, period=period_from_key("2026-08", world.org), actor=world.users["vendor_manager"]
            )
    assert len(mail.outbox) == 2
    # The schedule's own run on 10 October finds September sent and sends nothing more.
    services.deliveries_send_due(now=DUE)
    assert len(mail.outbox) == 2


def test_send_now_page_and_api(world, schedule):
    from django.urls import reverse
    from rest_framework.test import APIClient

    client = Client()
    client.force_login(world.users["client_admin"])
    with clock.frozen_at(DUE):
        response = client.post(reverse("reports:schedule_send", args=[schedule.pk]), {"period": "2026-08"}, follow=True)
        assert response.status_code == 200 and "2026-08" in response.content.decode()
        api = APIClient()
        api.force_authenticate(world.users["client_supervisor"])
        sent = api.post(f"/api/v1/report-schedules/{schedule.pk}/send/", {"period": "2026-07"}, format="json")
        assert sent.status_code == 201 and sent.json()["period_key"] == "2026-07"
        assert len(sent.json()["outcomes"]) == 2
        again = api.post(f"/api/v1/report-schedules/{schedule.pk}/send/", {"period": "2026-07"}, format="json")
        assert again.status_code == 400 and again.json()["error"]["code"] == "already_sent"
        deliveries = api.get("/api/v1/report-deliveries/").json()
    assert sorted(row["period_key"] for row in deliveries["results"]) == ["2026-07", "2026-08"]
    other = APIClient()
    other.force_authenticate(world.users["other_vendor_manager"])
    assert other.get("/api/v1/report-deliveries/").json()["count"] == 0
    assert len(mail.outbox) == 4


def test_a_failed_email_is_recorded_and_retried_for_that_recipient_only(world, schedule):
    original = mail.EmailMessage.send

    def flaky(message, *args, **kwargs):
        if "vm_a@example.org" in message.to:
            raise ConnectionRefusedError("mail server down")
        return original(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", flaky):
        services.deliveries_send_due(now=DUE)
    delivery = ReportDelivery.objects.get()
    assert delivery.status == "failed"
    row = DeliveryRecipient.objects.get(user=world.users["vendor_manager"])
    assert (row.outcome, row.reason) == ("failed", "mail_error") and "mail server down" in row.detail
    assert [_to(m) for m in mail.outbox] == ["super_a@example.org"]
    # The job does not retry by itself (a half-sent e-mail must never go twice); the supervisor does.
    services.deliveries_send_due(now=DUE + dt.timedelta(hours=2))
    assert len(mail.outbox) == 1
    with clock.frozen_at(DUE + dt.timedelta(hours=3)):
        retried = services.delivery_send(
            schedule=schedule, period=period_from_key("2026-09", world.org), actor=world.users["client_supervisor"]
        )
    assert retried.pk == delivery.pk and retried.status == "sent"
    assert [_to(m) for m in mail.outbox] == ["super_a@example.org", "vm_a@example.org"]
    assert AuditEntry.objects.filter(action="reports.reportdelivery.retried").count() == 1


# ---------------------------------------------------------------------------------------------- demo


def test_demo_schedules_are_loaded_once_and_send_nothing_at_load(db):
    from oversight.contracts.demo import load_demo_contracts
    from oversight.demo.scenario import build_scenario
    from oversight.reports.demo import load_demo_schedules

    now = dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC)
    with clock.frozen_at(now):
        scenario = build_scenario(now=now)
        load_demo_contracts(scenario.organisation)
        schedules = load_demo_schedules(scenario.organisation)
        again = load_demo_schedules(scenario.organisation)
        summary = services.deliveries_send_due()
    assert [s.pk for s in again] == [s.pk for s in schedules]
    monthly = [s for s in schedules if s.kind == "monthly"]
    assert sorted(s.vendor.code for s in monthly) == ["desk", "his", "net"]
    for schedule in monthly:
        assert schedule.working_day == 3 and schedule.calendar.holiday_source == "china"
        roles = sorted((u.role, u.vendor_id) for u in schedule.recipients.all())
        assert roles == [("client_supervisor", None), ("vendor_manager", schedule.vendor_id)]
    (quarterly,) = [s for s in schedules if s.kind == "quarterly"]
    assert quarterly.contract is not None and quarterly.contract.vendor_id == quarterly.vendor_id
    assert summary["delivered"] == 0 and mail.outbox == []
