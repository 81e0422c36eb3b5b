"""The escalation engine: levels counted in business hours on the matrix's calendar (across the 2026 Spring
Festival, with its adjusted working Saturday), each level sent exactly once, nothing after the subject settles."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.liaisons.choices import EscalationStatus, Trigger
from oversight.liaisons.models import Escalation, EscalationStep
from oversight.liaisons.services import escalation_raise, escalation_settle, escalation_sweep
from oversight.notifications.models import Notification
from tests.liaisons.conftest import local

pytestmark = pytest.mark.django_db

# Friday 13 February 2026, 15:00 in Beijing: the last working day before the Spring Festival holiday
# (15–23 February); Saturday 14 February is an adjusted working day (调休), the 24th the first day back.
START = local(2026, 2, 13, 15, 0)


def raise_action(world, started_at=START, subject_id=41):
    return escalation_raise(
        trigger=Trigger.OVERDUE_ACTION,
        organisation=world.org,
        vendor=world.vendor,
        subject_type="meetings.actionitem",
        subject_id=subject_id,
        title="Replace the core switch",
        url="/meetings/actions/41/",
        started_at=started_at,
    )


def levels(escalation):
    return list(escalation.steps.order_by("level").values_list("level", flat=True))


def sweep_at(instant):
    with clock.frozen_at(instant):
        return escalation_sweep(now=instant)


def test_levels_fall_due_in_business_hours_across_the_holiday(world, matrix):
    with clock.frozen_at(START):
        escalation = raise_action(world)
    assert levels(escalation) == []
    # L1 after 1 business hour: Friday 16:00.
    sweep_at(local(2026, 2, 13, 15, 59))
    assert levels(escalation) == []
    sweep_at(local(2026, 2, 13, 16, 0))
    assert levels(escalation) == [1]
    # L2 after 4: 2 hours on Friday (15–17), 2 on the adjusted working Saturday → Saturday 11:00.
    sweep_at(local(2026, 2, 14, 10, 59))
    assert levels(escalation) == [1]
    sweep_at(local(2026, 2, 14, 11, 0))
    assert levels(escalation) == [1, 2]
    # L3 after 16: 2 on Friday + 8 on Saturday = 10, the holiday counts nothing (a Monday included),
    # then 6 more on Tuesday 24 February → 15:00.
    sweep_at(local(2026, 2, 23, 16, 0))
    sweep_at(local(2026, 2, 24, 14, 59))
    assert levels(escalation) == [1, 2]
    sweep_at(local(2026, 2, 24, 15, 0))
    assert levels(escalation) == [1, 2, 3]
    steps = {s.level: s.due_at for s in escalation.steps.all()}
    assert steps == {
        1: local(2026, 2, 13, 16, 0),
        2: local(2026, 2, 14, 11, 0),
        3: local(2026, 2, 24, 15, 0),
    }
    escalation.refresh_from_db()
    assert escalation.level == 3


def test_each_level_is_sent_once_whatever_runs_twice(world, matrix):
    with clock.frozen_at(START):
        escalation = raise_action(world)
        again = raise_action(world)
    assert again.pk == escalation.pk
    late = local(2026, 2, 24, 16, 0)
    first = sweep_at(late)
    second = sweep_at(late)
    assert first["steps"] == 3 and second["steps"] == 0
    assert EscalationStep.objects.filter(escalation=escalation).count() == 3
    keys = list(Notification.objects.filter(kind="escalation").values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))
    manager = world.users["vendor_manager"]
    # The vendor's project manager hears L1 and L2; the client supervisor and the named administrator L3.
    assert Notification.objects.filter(kind="escalation", recipient=manager).count() == 2
    assert Notification.objects.filter(kind="escalation", recipient=world.users["client_supervisor"]).count() == 1
    assert Notification.objects.filter(kind="escalation", recipient=world.users["client_admin"]).count() == 1
    # The other vendor's project manager is never reached about this vendor's action.
    assert not Notification.objects.filter(recipient=world.users["other_vendor_manager"]).exists()


def test_people_without_account_are_listed_with_their_phone(world, matrix):
    with clock.frozen_at(START):
        escalation = raise_action(world)
    sweep_at(local(2026, 2, 14, 11, 0))
    step = escalation.steps.get(level=2)
    qc = [r for r in step.recipients if r["role"] == "qc_manager"]
    assert qc == [
        {
            "name": "Wang Fang",
            "role": "qc_manager",
            "deputy": False,
            "user_id": None,
            "phone": "+86 10 5555 0101",
            "email": "",
        }
    ]


def test_settle_stops_further_levels(world, matrix):
    with clock.frozen_at(START):
        escalation = raise_action(world)
    sweep_at(local(2026, 2, 13, 16, 0))
    settled = escalation_settle(
        trigger=Trigger.OVERDUE_ACTION, subject_type="meetings.actionitem", subject_id=41, at=local(2026, 2, 13, 16, 30)
    )
    assert settled == 1
    assert (
        escalation_settle(
            trigger=Trigger.OVERDUE_ACTION, subject_type="meetings.actionitem", subject_id=41, at=local(2026, 2, 13, 17)
        )
        == 0
    )
    sweep_at(local(2026, 3, 2, 12, 0))
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.SETTLED
    assert escalation.settled_at == local(2026, 2, 13, 16, 30)
    assert levels(escalation) == [1]


def test_a_late_start_sends_the_levels_already_due_at_once(world, matrix):
    with clock.frozen_at(local(2026, 2, 14, 12, 0)):
        escalation = raise_action(world)
    assert levels(escalation) == [1, 2]


def test_a_new_start_is_a_new_episode(world, matrix):
    with clock.frozen_at(START):
        first = raise_action(world)
        second = raise_action(world, started_at=START + dt.timedelta(hours=1))
    assert first.pk != second.pk
    assert Escalation.objects.count() == 2


def test_raise_refuses_bad_input(world, matrix):
    with pytest.raises(ApplicationError):
        escalation_raise(
            trigger="nonsense",
            organisation=world.org,
            vendor=None,
            subject_type="meetings.actionitem",
            subject_id=1,
            title="x",
            url="",
            started_at=START,
        )
    with pytest.raises(ApplicationError):
        escalation_raise(
            trigger=Trigger.OVERDUE_ACTION,
            organisation=world.org,
            vendor=None,
            subject_type="ActionItem",
            subject_id=1,
            title="x",
            url="",
            started_at=START,
        )


def test_a_vendor_override_replaces_the_organisation_rows(world, matrix, office_calendar):
    from decimal import Decimal

    from oversight.liaisons.choices import LiaisonRole
    from oversight.liaisons.services.liaisons import matrix_save, rule_save

    admin = world.users["client_admin"]
    override = matrix_save(actor=admin, organisation=world.org, vendor=world.vendor, calendar=office_calendar)
    rule_save(
        actor=admin,
        matrix=override,
        trigger=Trigger.OVERDUE_ACTION,
        level=1,
        wait_hours=Decimal("0"),
        roles=[LiaisonRole.CLIENT_SUPERVISOR],
    )
    with clock.frozen_at(START):
        escalation = raise_action(world)
    assert levels(escalation) == [1]
    sweep_at(local(2026, 3, 2, 12, 0))
    assert levels(escalation) == [1]  # the override has one level only
    # The other vendor still follows the organisation's matrix.
    with clock.frozen_at(START):
        other = escalation_raise(
            trigger=Trigger.OVERDUE_ACTION,
            organisation=world.org,
            vendor=world.other_vendor,
            subject_type="meetings.actionitem",
            subject_id=42,
            title="t",
            url="",
            started_at=START,
        )
    sweep_at(local(2026, 3, 2, 12, 0))
    assert levels(other) == [1, 2, 3]


def test_a_level_with_a_group_chat_posts_once(world, matrix):
    from oversight.notifications.channels.models import Delivery as ChannelDelivery
    from oversight.notifications.channels.services import channel_create

    channel = channel_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        url="http://127.0.0.1:9/robot",
        kind="webhook",
        name="值班群",
        allowed_hosts="127.0.0.1",
    )
    matrix.rules.filter(trigger=Trigger.OVERDUE_ACTION, level=1).update(channel=channel)
    with clock.frozen_at(START):
        escalation = raise_action(world)
    sweep_at(local(2026, 2, 13, 16, 0))
    sweep_at(local(2026, 2, 13, 16, 5))
    deliveries = ChannelDelivery.objects.filter(channel=channel)
    assert [d.dedupe_key for d in deliveries] == [f"escalation:{escalation.pk}:1"]
