"""The channel pages and API: who may open and change what, secrets never shown, a clear error for a refused
address, "send test" showing the answer of a local receiver, the delivery log and dead-letter retry, and the
subscriptions that post a new notification to a channel."""

from __future__ import annotations

import html
import re

import pytest

from oversight.core import clock
from oversight.notifications.channels import crypto
from oversight.notifications.channels.models import Channel, Delivery, Subscription
from oversight.notifications.channels.services import channel_create
from oversight.notifications.services import notification_create, notification_queue_email
from tests.notifications.channel_sinks import Sink, start
from tests.notifications.test_channels_sending import WORKING


@pytest.fixture
def sink():
    receiver = start(Sink(kind="dingtalk", secret="SECpage-secret"))
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def channel(world, sink):
    return channel_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        url=sink.url,
        secret=sink.secret,
        kind="dingtalk",
        name="值班群",
        allowed_hosts="127.0.0.1",
    )


def test_administrator_creates_a_channel_on_the_page_and_the_secret_is_never_shown(world, web, sink):
    client = web("client_admin")
    form = {
        "kind": "dingtalk",
        "name": "Ops robot",
        "url": sink.url,
        "secret": "SECpage-secret",
        "rate_per_minute": "20",
        "burst": "5",
        "digest_window_seconds": "0",
        "is_enabled": "on",
    }
    refused = client.post("/notifications/channels/new/", form)
    assert refused.status_code == 400
    assert "internal network (127.0.0.1)" in refused.content.decode()
    assert not Channel.objects.exists()
    bad = client.post("/notifications/channels/new/", {**form, "allowed_hosts": "10.0.0.0/99"})
    assert bad.status_code == 400 and "must be a host name" in bad.content.decode()
    created = client.post("/notifications/channels/new/", {**form, "allowed_hosts": "127.0.0.1"})
    channel = Channel.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/notifications/channels/{channel.pk}/"
    for url in (f"/notifications/channels/{channel.pk}/", f"/notifications/channels/{channel.pk}/edit/"):
        page = client.get(url).content.decode()
        assert "access_token" not in page and "SECpage-secret" not in page and "tok" not in re.findall(r"\btok\b", page)
    # Saving the form without the address and secret keeps both.
    client.post(
        f"/notifications/channels/{channel.pk}/edit/",
        {**form, "name": "Ops robot 2", "url": "", "secret": "", "allowed_hosts": "127.0.0.1"},
    )
    channel.refresh_from_db()
    assert channel.name == "Ops robot 2" and crypto.decrypt(channel.endpoint_secret) == sink.url
    assert crypto.decrypt(channel.signing_secret) == "SECpage-secret"


def test_send_test_shows_the_receivers_answer(world, web, channel, sink):
    page = web("client_admin").post(f"/notifications/channels/{channel.pk}/test/")
    text = html.unescape(page.content.decode())
    assert page.status_code == 200 and 'data-testid="test-result"' in text and "Delivered" in text
    assert sink.verdicts == [True]
    assert '"errcode": 0' in text  # the robot's answer, shown
    assert Delivery.objects.get().is_test


def test_who_may_open_the_channel_pages(world, web, channel):
    detail = f"/notifications/channels/{channel.pk}/"
    assert web("client_supervisor").get(detail).status_code == 200
    assert web("client_supervisor").get("/notifications/deliveries/").status_code == 200
    assert web("client_supervisor").get(f"{detail}edit/").status_code == 403
    assert web("client_supervisor").post(f"{detail}test/").status_code == 403
    for role in ("executive", "auditor", "vendor_manager", "vendor_agent", "requester"):
        assert web(role).get("/notifications/channels/").status_code == 403
        assert web(role).get(detail).status_code == 403
    assert web("foreign_admin").get(detail).status_code == 404
    assert web("foreign_admin").post(f"{detail}test/").status_code == 404


def test_the_delivery_log_filters_and_a_dead_letter_is_retried(world, web, channel, sink):
    sink.status = 500
    from oversight.notifications.channels.sending import delivery_attempt
    from oversight.notifications.channels.services import channel_message_send

    with clock.frozen_at(WORKING):
        dead = channel_message_send(channel=channel, title="PmxDead", body="b", dedupe_key="d")
        for _ in range(5):
            dead = delivery_attempt(delivery_id=dead.pk, force=True)
        channel_message_send(channel=channel, title="PmxQueued", body="b", dedupe_key="q", severity="info")
    assert dead.status == "dead"
    client = web("client_admin")
    log = client.get("/notifications/deliveries/?status=dead").content.decode()
    assert "PmxDead" in log and "PmxQueued" not in log
    both = client.get("/notifications/deliveries/", {"channel": channel.pk, "q": "Pmx"}).content.decode()
    assert "PmxDead" in both and "PmxQueued" in both
    assert client.get("/notifications/deliveries/", {"status": "nonsense"}).status_code == 400
    assert web("client_supervisor").post(f"/notifications/deliveries/{dead.pk}/retry/").status_code == 403
    sink.status = None
    response = client.post(f"/notifications/deliveries/{dead.pk}/retry/")
    assert response.status_code == 302
    dead.refresh_from_db()
    assert dead.status == "queued" and dead.attempts == 0
    page = client.get(f"/notifications/deliveries/{dead.pk}/").content.decode()
    assert "PmxDead" in page and "500" in page


def test_pages_in_chinese_show_no_english(world, web, channel):
    admin = world.users["client_admin"]
    admin.language = "zh-hans"
    admin.save(update_fields=["language"])
    client = web(admin)
    for url in ("/notifications/channels/", f"/notifications/channels/{channel.pk}/", "/notifications/channels/new/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        main = page.split("<main", 1)[-1].split("</main>", 1)[0]
        visible = re.sub(r"<[^>]+>", " ", main)
        for word in ("Channel", "Webhook address", "Send test", "Subscriptions", "Quiet hours", "Kind", "Enabled"):
            assert word not in visible, (url, word)
        assert "通知渠道" in page or "渠道" in page


def test_api_secret_is_write_only_and_roles_are_enforced(world, api, sink):
    payload = {"kind": "webhook", "name": "Hook", "url": sink.url, "secret": "whsec-api", "allowed_hosts": "127.0.0.1"}
    assert api("client_supervisor").post("/api/v1/notification-channels/", payload, format="json").status_code == 403
    assert api("vendor_manager").get("/api/v1/notification-channels/").status_code == 403
    created = api("client_admin").post("/api/v1/notification-channels/", payload, format="json")
    assert created.status_code == 201, created.content
    body = created.content.decode()
    assert "whsec-api" not in body and "hooks/oversight" not in body and created.json()["has_secret"] is True
    refused = api("client_admin").post(
        "/api/v1/notification-channels/", {**payload, "name": "Meta", "url": "http://169.254.169.254/"}, format="json"
    )
    assert refused.status_code == 400
    pk = created.json()["id"]
    listed = api("client_supervisor").get("/api/v1/notification-channels/").json()
    assert [c["id"] for c in listed["results"]] == [pk]
    assert api("foreign_admin").get(f"/api/v1/notification-channels/{pk}/").status_code == 404
    assert api("client_supervisor").get("/api/v1/channel-deliveries/").status_code == 200


def test_a_role_subscription_posts_new_notifications_once_to_the_channel(
    world, channel, sink, django_capture_on_commit_callbacks
):
    Subscription.objects.create(channel=channel, role="client_supervisor", topic="sla_breach", created_at=clock.now())
    supervisor = world.users["client_supervisor"]
    supervisor.phone = "13900001111"
    supervisor.save(update_fields=["phone"])
    other = world.users["client_admin"]  # not subscribed (another role)
    with clock.frozen_at(WORKING), django_capture_on_commit_callbacks(execute=True):
        for user in (supervisor, other):
            notification, _ = notification_create(
                recipient=user, kind="sla_breach", dedupe_key=f"b:{user.pk}", subject="SLA breached: GH-9"
            )
            notification_queue_email(notification=notification)
            notification_queue_email(notification=notification)  # a handler run twice
    assert len(sink.received) == 1 and sink.verdicts == [True]
    sent = sink.received[0].json
    assert sent["markdown"]["title"] == "SLA breached: GH-9" and sent["at"]["atMobiles"] == ["13900001111"]
    assert Delivery.objects.get().severity == "critical"


def test_list_query_counts_do_not_grow_with_rows(world, web, api, channel):
    from oversight.notifications.channels.services import channel_message_send
    from tests.query_counts import assert_flat, get_counts

    def add(n):
        for i in range(n):
            channel_message_send(channel=channel, title=f"T{n}.{i}", body="b", dedupe_key=f"qc:{n}:{i}")

    def counts():
        return get_counts(
            (
                (web("client_admin"), "/notifications/deliveries/"),
                (api("client_admin"), "/api/v1/notification-channels/"),
                (api("client_admin"), "/api/v1/channel-deliveries/"),
            )
        )

    add(1)
    few = counts()
    add(6)
    channel_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        url="http://127.0.0.1:9/x",
        kind="webhook",
        name="second",
        allowed_hosts="127.0.0.1",
    )
    many = counts()
    names = ("notifications.delivery_log", "notifications.api.channels", "notifications.api.channel_deliveries")
    for name, one, more in zip(names, few, many, strict=True):
        assert_flat(name, one, more)


def test_a_digest_subscription_holds_its_messages_until_the_next_quarter_hour(world, channel):
    import datetime as dt

    Subscription.objects.create(
        channel=channel, user=world.users["client_admin"], topic="complaint", digest=True, created_at=clock.now()
    )
    at = WORKING + dt.timedelta(minutes=7, seconds=30)  # 10:07:30 Beijing
    with clock.frozen_at(at):
        notification, _ = notification_create(
            recipient=world.users["client_admin"], kind="complaint_opened", dedupe_key="c1", subject="New complaint"
        )
        notification_queue_email(notification=notification)
    delivery = Delivery.objects.get()
    assert delivery.status == "queued" and delivery.next_attempt_at == WORKING + dt.timedelta(minutes=15)
