"""Notifications and e-mails are written in each recipient's own language, whoever triggered them."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import translation

from oversight.core.clock import frozen_at
from oversight.notifications.models import Notification
from oversight.tickets import services
from oversight.tickets.escalation import sla_escalation_sweep

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def speak(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def by_recipient(messages) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in messages:
        for address in message.to:
            found.setdefault(address, []).append(message)
    return found


def test_sla_escalation_mails_each_recipient_in_their_language(world, django_capture_on_commit_callbacks):
    agent = speak(world.users["vendor_agent"], "zh-hans")
    manager = speak(world.users["vendor_manager"], "en")
    supervisor = speak(world.users["client_supervisor"], "zh-hans")
    with frozen_at(at(0)):
        work_order = services.work_order_create(
            actor=world.users["requester"], service=world.service, title="Printer jammed"
        )
    with frozen_at(at(1)):
        services.work_order_assign(actor=manager, work_order=work_order, assignee=agent)
    mail.outbox.clear()
    # The sweep runs in no particular language (a Celery worker): English is active here on purpose.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert sla_escalation_sweep(now=at(50))["warnings"] == 3  # past the 45-minute warning of P3 response
    number = work_order.number
    warnings = by_recipient(mail.outbox)
    assert [m.subject for m in warnings[agent.email]] == [f"SLA 预警：{number} 响应"]
    assert [m.subject for m in warnings[supervisor.email]] == [f"SLA 预警：{number} 响应"]
    assert [m.subject for m in warnings[manager.email]] == [f"SLA at risk: {number} Response"]
    assert "请打开工单进行处理" in warnings[agent.email][0].body
    assert "Open the work order to act" in warnings[manager.email][0].body

    mail.outbox.clear()
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        assert sla_escalation_sweep(now=at(61))["breaches"] == 3
    breaches = by_recipient(mail.outbox)
    assert [m.subject for m in breaches[agent.email]] == [f"SLA 已超时：{number} 响应"]
    assert [m.subject for m in breaches[manager.email]] == [f"SLA breached: {number} Response"]
    # The in-app notices say the same as the e-mails.
    stored = dict(Notification.objects.filter(kind="sla_breach").values_list("recipient__email", "subject"))
    assert stored == {
        agent.email: f"SLA 已超时：{number} 响应",
        supervisor.email: f"SLA 已超时：{number} 响应",
        manager.email: f"SLA breached: {number} Response",
    }


def test_event_notices_follow_the_recipient_not_the_actor(world, django_capture_on_commit_callbacks):
    requester = speak(world.users["requester"], "zh-hans")
    agent = speak(world.users["vendor_agent"], "en")
    with django_capture_on_commit_callbacks(execute=True):
        work_order = services.work_order_create(actor=requester, service=world.service, title="打印机卡纸")
    with django_capture_on_commit_callbacks(execute=True):
        work_order = services.work_order_assign(
            actor=world.users["vendor_manager"], work_order=work_order, assignee=agent
        )
    with django_capture_on_commit_callbacks(execute=True):
        work_order = services.work_order_transition(actor=agent, work_order=work_order, action="accept")
    with django_capture_on_commit_callbacks(execute=True):
        services.work_order_transition(actor=agent, work_order=work_order, action="resolve", resolution="Cleared")
    subjects = {address: [m.subject for m in items] for address, items in by_recipient(mail.outbox).items()}
    number = work_order.number
    assert f"Work order {number} assigned to you" in subjects[agent.email]
    assert f"您的工单 {number} 已解决，请确认" in subjects[requester.email]
