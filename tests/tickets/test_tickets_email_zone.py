"""SLA escalation e-mails show the due time in each recipient's own time zone, whatever zone the sweep runs in."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone, translation

from oversight.core.clock import frozen_at
from oversight.notifications.models import Notification
from oversight.tickets import services
from oversight.tickets.escalation import sla_escalation_sweep

# Created 2026-07-01 07:00 UTC on the world's round-the-clock UTC calendar; P3 must be responded to within
# 60 minutes, so the response is due at 08:00 UTC = 16:00 in Shanghai (UTC+8, no summer time) = 10:00 in
# Berlin (summer time, UTC+2) = 04:00 in New York (summer time, UTC-4).
T0 = dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC)


def prefer(user, *, language: str, time_zone: str):
    user.language = language
    user.time_zone = time_zone
    user.save(update_fields=["language", "time_zone"])
    return user


def assigned_work_order(world, agent):
    """A P3 work order created at T0 and assigned to `agent` a minute later by the vendor manager."""
    with frozen_at(T0):
        work_order = services.work_order_create(
            actor=world.users["requester"], service=world.service, title="Printer jammed"
        )
    with frozen_at(T0 + dt.timedelta(minutes=1)):
        return services.work_order_assign(actor=world.users["vendor_manager"], work_order=work_order, assignee=agent)


def test_escalation_mails_show_the_due_time_in_each_recipients_zone(world, django_capture_on_commit_callbacks):
    agent = prefer(world.users["vendor_agent"], language="en", time_zone="Asia/Shanghai")
    manager = prefer(world.users["vendor_manager"], language="en", time_zone="Europe/Berlin")
    supervisor = prefer(world.users["client_supervisor"], language="en", time_zone="America/New_York")
    assigned_work_order(world, agent)
    mail.outbox.clear()
    # The worker's own zone (UTC here) must neither leak into the mails nor be changed by the sweep.
    with timezone.override(dt.UTC), translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert sla_escalation_sweep(now=T0 + dt.timedelta(minutes=50))["warnings"] == 3
        assert timezone.get_current_timezone_name() == "UTC"
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert bodies == {
        agent.email: "Printer jammed\nDue at 2026-07-01 16:00 (Asia/Shanghai). Open the work order to act.",
        manager.email: "Printer jammed\nDue at 2026-07-01 10:00 (Europe/Berlin). Open the work order to act.",
        supervisor.email: "Printer jammed\nDue at 2026-07-01 04:00 (America/New_York). Open the work order to act.",
    }
    # The in-app notice says the same as the e-mail.
    stored = dict(Notification.objects.filter(kind="sla_warning").values_list("recipient__email", "body"))
    assert stored == bodies


def test_chinese_recipient_gets_local_time_and_no_utc(world, django_capture_on_commit_callbacks):
    agent = prefer(world.users["vendor_agent"], language="zh-hans", time_zone="Asia/Shanghai")
    assigned_work_order(world, agent)
    with timezone.override(dt.UTC), django_capture_on_commit_callbacks(execute=True):
        sla_escalation_sweep(now=T0 + dt.timedelta(minutes=61))
    body = Notification.objects.get(kind="sla_breach", recipient=agent).body
    assert "2026-07-01 16:00" in body
    assert "Asia/Shanghai" in body
    assert "UTC" not in body


def test_unusable_stored_zone_falls_back_to_the_installation_zone(world, settings):
    # settings.TIME_ZONE is the fallback: Asia/Shanghai in this installation, set here so the test says so.
    settings.TIME_ZONE = "Asia/Shanghai"
    agent = prefer(world.users["vendor_agent"], language="en", time_zone="Not/AZone")
    assigned_work_order(world, agent)
    with timezone.override(dt.UTC):
        sla_escalation_sweep(now=T0 + dt.timedelta(minutes=50))
    body = Notification.objects.get(kind="sla_warning", recipient=agent).body
    assert body == "Printer jammed\nDue at 2026-07-01 16:00 (Asia/Shanghai). Open the work order to act."
