"""Notifications grouped by day and work order, marked read all at once (htmx) or by group, and per-user
settings of what is e-mailed, which the handlers consult through `notification_queue_email`."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from oversight.audit.models import AuditEntry
from oversight.notifications.models import EmailPreference, Notification
from oversight.notifications.services import email_wanted, notification_create, notification_queue_email
from oversight.tickets.escalation import notify_event


def _notify(user, n, **kwargs):
    return notification_create(
        recipient=user, kind="commented", dedupe_key=f"g:{user.pk}:{n}", subject=f"Note {n}", **kwargs
    )[0]


def test_notifications_are_grouped_by_day_and_work_order(world, web, wo):
    user = world.users["vendor_agent"]
    work_order = wo(title="Ward printer")
    for n in range(3):
        _notify(user, n, work_order=work_order)
    _notify(user, 9)
    page = web(user).get("/notifications/").content.decode()
    assert f"3 updates on {work_order.number}" in page
    assert "Ward printer" in page
    assert "3 unread" in page
    assert "Today" in page
    assert page.count('class="notification-group') == 1  # the lone notice stays on its own
    assert "Note 9" in page


def test_grouping_in_chinese(world, web, wo):
    user = world.users["vendor_agent"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    work_order = wo()
    for n in range(2):
        _notify(user, n, work_order=work_order)
    page = web(user).get("/notifications/").content.decode()
    assert f"{work_order.number} 有 2 条更新" in page
    assert "今天" in page and "全部标为已读" in page
    assert "updates on" not in page


def test_mark_all_read_with_htmx_updates_the_list_and_the_bell(world, web, wo):
    user = world.users["vendor_agent"]
    for n in range(4):
        _notify(user, n)
    other = _notify(world.users["vendor_agent_2"], 99)
    client = web(user)
    assert 'data-testid="unread-count">4<' in client.get("/notifications/").content.decode()
    response = client.post("/notifications/read/", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="notification-results">')
    assert 'id="notification-bell"' in body and 'hx-swap-oob="true"' in body
    assert "unread-count" not in body
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_one_group_read(world, web, wo):
    user = world.users["vendor_agent"]
    work_order = wo()
    grouped = [_notify(user, n, work_order=work_order) for n in range(2)]
    lone = _notify(user, 5)
    foreign = _notify(world.users["requester"], 6)
    page = web(user).get("/notifications/").content.decode()
    assert all(f'name="id" value="{n.pk}"' in page for n in grouped)
    ids = [str(n.pk) for n in grouped] + [str(foreign.pk), "abc", "9" * 40]
    response = web(user).post("/notifications/read/", {"id": ids}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Notification.objects.filter(pk__in=[n.pk for n in grouped], read_at=None).count() == 0
    lone.refresh_from_db()
    foreign.refresh_from_db()
    assert lone.read_at is None and foreign.read_at is None


def test_settings_page_saves_what_is_emailed_and_audits_it(world, web):
    user = world.users["requester"]
    client = web(user)
    page = client.get("/preferences/notifications/").content.decode()
    assert len(re.findall(r'<input type="checkbox" name="email" value="\w+"[^>]*checked', page)) == 10
    assert 'href="/preferences/notifications/"' in client.get("/preferences/").content.decode()
    response = client.post("/preferences/notifications/", {"email": ["work_order", "sla_warning", "complaint"]})
    assert response.status_code == 302
    off = set(EmailPreference.objects.filter(user=user, email=False).values_list("topic", flat=True))
    assert off == {"sla_breach", "contract", "evaluation", "risk", "meeting", "escalation", "improvement"}
    assert not email_wanted(user=user, kind="sla_breach")
    assert email_wanted(user=user, kind="commented")
    assert AuditEntry.objects.filter(action="notifications.emailpreference.created", actor=user).count() == 7
    page = client.get("/preferences/notifications/").content.decode()
    assert not re.search(r'value="sla_breach"[^>]*checked', page)
    # Turning one back on changes that row (audited as a change), nothing else.
    client.post("/preferences/notifications/", {"email": ["work_order", "sla_warning", "complaint", "sla_breach"]})
    assert email_wanted(user=user, kind="sla_breach")
    assert AuditEntry.objects.filter(action="notifications.emailpreference.changed", actor=user).count() == 1


@pytest.mark.parametrize("data", [{"email": ["nonsense"]}, {"email": ["<script>"]}])
def test_settings_reject_unknown_topics_clearly(world, web, data):
    response = web("requester").post("/preferences/notifications/", data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_settings_page_in_chinese_and_for_anonymous(world, web, client):
    user = world.users["vendor_agent"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    page = web(user).get("/preferences/notifications/").content.decode()
    assert "通知设置" in page and "SLA 已超时" in page
    for word in ("SLA breached", "Complaints", "Send me an e-mail for"):
        assert word not in page
    assert client.get("/preferences/notifications/").status_code == 302


def test_handlers_consult_the_settings_before_emailing(world, wo, django_capture_on_commit_callbacks):
    requester = world.users["requester"]
    work_order = wo()
    web_off = EmailPreference.objects.create(user=requester, topic="work_order", email=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_event(work_order_id=work_order.pk, kind="resolve")
    notice = Notification.objects.get(recipient=requester, kind="resolve")  # still in the app
    assert notice.emailed_at is None
    assert mail.outbox == []
    web_off.email = True
    web_off.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_queue_email(notification=notice)
    assert [m.to for m in mail.outbox] == [[requester.email]]


def test_meeting_reminders_and_escalations_have_their_own_e_mail_topics(world):
    # A supervisor who turns off meeting reminders still hears of escalations and work orders by e-mail.
    from oversight.liaisons.services.escalation import NOTIFICATION_KIND
    from oversight.notifications.choices import Topic, topic_of

    assert topic_of("meeting_action_reminder") == Topic.MEETING
    assert topic_of(NOTIFICATION_KIND) == Topic.ESCALATION
    supervisor = world.users["client_supervisor"]
    EmailPreference.objects.create(user=supervisor, topic=Topic.MEETING, email=False)
    assert not email_wanted(user=supervisor, kind="meeting_action_reminder")
    assert email_wanted(user=supervisor, kind=NOTIFICATION_KIND)
    assert email_wanted(user=supervisor, kind="commented")
