"""Renewal reminders: once per contract, end date and threshold, to client admins, supervisors and vendor managers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from oversight.audit.models import AuditEntry
from oversight.contracts import services, tasks
from oversight.core import clock
from oversight.notifications.models import Notification

pytestmark = pytest.mark.django_db


def day(d: dt.date) -> dt.datetime:
    """09:00 in Shanghai on that day."""
    return dt.datetime(d.year, d.month, d.day, 1, tzinfo=dt.UTC)


def run(on: dt.date) -> int:
    with clock.frozen_at(day(on)):
        return tasks.send_renewal_reminders.delay().get()


def test_reminders_go_out_once_per_threshold_to_the_right_people(
    world, make_contract, django_capture_on_commit_callbacks
):
    contract = make_contract()  # ends 2027-12-31, notice 90 days
    assert run(dt.date(2027, 10, 1)) == 0  # 91 days left
    with django_capture_on_commit_callbacks(execute=True):
        sent = run(dt.date(2027, 10, 2))  # 90 days left: the notice period is reached
    recipients = {n.recipient.username for n in Notification.objects.filter(kind="contract_renewal")}
    assert recipients == {"admin_a", "super_a", "vm_a"}  # not the other vendor, executives, agents or requesters
    assert sent == 3
    assert len(mail.outbox) == 3
    assert run(dt.date(2027, 10, 2)) == 0  # a rerun the same day adds nothing
    assert run(dt.date(2027, 10, 20)) == 0  # still within the same threshold
    assert run(dt.date(2027, 12, 1)) == 3  # 30 days left
    assert run(dt.date(2027, 12, 1)) == 0
    assert run(dt.date(2027, 12, 24)) == 3  # 7 days left
    assert run(dt.date(2027, 12, 31)) == 0
    assert Notification.objects.filter(kind="contract_renewal").count() == 9
    assert (
        AuditEntry.objects.filter(action="contracts.contract.renewal_reminded", object_id=str(contract.pk)).count() == 3
    )
    notice = Notification.objects.filter(recipient=world.users["vendor_manager"]).order_by("created_at").first()
    assert contract.number in notice.subject
    assert "2027-12-31" in notice.subject


def test_a_contract_seen_late_gets_only_the_most_urgent_reminder(world, make_contract):
    make_contract()
    assert run(dt.date(2027, 12, 28)) == 3
    assert {n.dedupe_key.split(":")[4] for n in Notification.objects.all()} == {"7"}
    assert run(dt.date(2027, 12, 29)) == 0


def test_an_extension_starts_the_reminders_again_and_ended_or_inactive_contracts_get_none(world, make_contract):
    contract = make_contract()
    assert run(dt.date(2027, 10, 5)) == 3
    with clock.frozen_at(day(dt.date(2027, 10, 6))):
        services.contract_amend(
            actor=world.users["client_admin"],
            contract=contract,
            effective_from=dt.date(2027, 11, 1),
            reason="Renewed for a year",
            term_end=dt.date(2028, 12, 31),
            renewal_notice_days=60,
        )
    assert run(dt.date(2027, 12, 1)) == 0  # the new end is far away
    assert run(dt.date(2028, 11, 1)) == 3  # 60 days before the new end
    make_contract(number="HT-DRAFT", activate=False)
    assert run(dt.date(2028, 11, 2)) == 0  # drafts are not reminded
    assert run(dt.date(2029, 1, 5)) == 0  # ended


def test_no_reminders_when_the_notice_period_is_zero(world, make_contract):
    make_contract(renewal_notice_days=0)
    assert run(dt.date(2027, 12, 30)) == 0


def test_threshold_list():
    assert services.reminder_thresholds(90) == [90, 30, 7]
    assert services.reminder_thresholds(30) == [30, 7]
    assert services.reminder_thresholds(10) == [10, 7]
    assert services.reminder_thresholds(5) == [5]
    assert services.reminder_thresholds(0) == []


def test_the_expiry_task_expires_ended_contracts(world, make_contract):
    contract = make_contract()
    with clock.frozen_at(day(dt.date(2028, 1, 1))):
        assert tasks.expire_ended_contracts.delay().get() == 1
    contract.refresh_from_db()
    assert contract.status == "expired"
