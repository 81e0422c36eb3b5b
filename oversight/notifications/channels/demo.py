"""The demo's notification channel: a 钉钉 group robot pointing at the local test receiver, through the services.

`load_demo_channels(organisation)` creates the robot "运维值班群（钉钉）" at `http://127.0.0.1:8765/…`
(allow-listed, quiet outside the office calendar's hours), routes SLA breaches to it for the supervisors, and
queues a few messages. No receiver runs while the demo loads, so they show in the delivery log as failed and one
as a dead letter; start `manage.py channel_sink --port 8765 --secret SECdemo-oversight-sink`, then retry or run
`manage.py channels_send_due`, and the receiver prints them with their verified signature. Idempotent: an
organisation that already has channels is skipped.
"""

from __future__ import annotations

import datetime as dt

from oversight.core import clock
from oversight.notifications.channels.models import Channel, Subscription
from oversight.notifications.channels.sending import delivery_attempt
from oversight.notifications.channels.services import channel_create, channel_message_send, subscription_create
from oversight.tenancy.choices import Role

SINK_URL = "http://127.0.0.1:8765/robot/send?access_token=demo-token"
SINK_SECRET = "SECdemo-oversight-sink"  # noqa: S105 - the demo receiver's published test secret
CHANNEL_NAME = "运维值班群（钉钉）"


def load_demo_channels(organisation) -> Channel | None:
    """The demo robot channel with a subscription and a few deliveries (None when channels exist already)."""
    if Channel.objects.filter(organisation=organisation).exists():
        return None
    model = Subscription._meta.get_field("user").related_model
    admin = (
        model.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN, is_active=True).order_by("pk").first()
    )
    if admin is None:
        return None
    calendar_model = Channel._meta.get_field("quiet_calendar").related_model
    calendar = calendar_model.objects.filter(organisation=organisation, holiday_source="china").order_by("pk").first()
    channel = channel_create(
        actor=admin,
        organisation=organisation,
        url=SINK_URL,
        secret=SINK_SECRET,
        kind="dingtalk",
        name=CHANNEL_NAME,
        allowed_hosts="127.0.0.1",
        quiet_calendar=calendar,
        rate_per_minute=20,
        burst=5,
        digest_window_seconds=0,
        is_enabled=True,
    )
    subscription_create(actor=admin, channel=channel, topic="sla_breach", role=Role.CLIENT_SUPERVISOR)
    subscription_create(actor=admin, channel=channel, topic="complaint", role=Role.CLIENT_SUPERVISOR, digest=True)
    now = clock.now()
    messages = [
        ("demo:breach:1", "SLA 已超时：网络中断（急诊科）", "critical", [("优先级", "P1"), ("服务商", "网络服务商")]),
        ("demo:warning:1", "SLA 即将超时：打印机故障（药剂科）", "warning", [("优先级", "P3")]),
        ("demo:complaint:1", "新投诉：工程师未按约定时间到场", "info", [("评分", "1 星")]),
    ]
    deliveries = []
    for key, title, severity, fields in messages:
        delivery = channel_message_send(
            channel=channel,
            title=title,
            body="演示消息：由演示数据生成。启动本地接收端后重试即可看到签名校验通过的消息。",
            severity=severity,
            fields=fields,
            url="/notifications/",
            dedupe_key=key,
        )
        deliveries.append(delivery)
    # Nothing listens on 127.0.0.1:8765 while the demo loads: the P1 fails until it is given up (a dead letter),
    # the others fail once and wait for their retry.
    at = now
    for _attempt in range(5):
        with clock.frozen_at(at):
            outcome = delivery_attempt(delivery_id=deliveries[0].pk, force=True)
        if outcome.next_attempt_at is None:
            break
        at = outcome.next_attempt_at
    for delivery in deliveries[1:]:
        with clock.frozen_at(now + dt.timedelta(seconds=1)):
            delivery_attempt(delivery_id=delivery.pk, force=True)
    return channel
