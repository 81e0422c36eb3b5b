"""Channels end to end against local HTTP servers: each kind's signature and payload as the far end checks them,
exactly-once queueing, retries with backoff, dead letters and retry, the token bucket, burst digests, quiet hours
on the China calendar with the P1 bypass, the SSRF guard at send time, and secrets kept encrypted."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.channels import crypto
from oversight.notifications.channels.choices import DeliveryStatus
from oversight.notifications.channels.models import Channel, ChatIdentity, Delivery
from oversight.notifications.channels.sending import deliveries_send_due, delivery_attempt, delivery_retry
from oversight.notifications.channels.services import channel_create, channel_message_send, channel_update
from tests.notifications.channel_sinks import Sink, start

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 3 March 2026, 10:00 in Beijing: a working day.
WORKING = dt.datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in English, whatever language an earlier test on this worker left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def sinks():
    started = []

    def make(kind, secret=""):
        sink = start(Sink(kind=kind, secret=secret))
        started.append(sink)
        return sink

    yield make
    for sink in started:
        sink.server.shutdown()
        sink.server.server_close()


def make_channel(world, sink, *, name=None, **fields) -> Channel:
    return channel_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        url=sink.url,
        secret=sink.secret,
        kind=sink.kind,
        name=name or f"{sink.kind} robot",
        allowed_hosts="127.0.0.1",
        **fields,
    )


def send(channel, key="k1", **kwargs) -> Delivery:
    kwargs.setdefault("title", "SLA breached: GH-1")
    kwargs.setdefault("body", "Printer down")
    return channel_message_send(channel=channel, dedupe_key=key, **kwargs)


@pytest.mark.parametrize("kind", ["dingtalk", "feishu", "webhook", "wecom"])
def test_each_kind_reaches_its_local_receiver_signed_and_shaped_as_the_vendor_expects(world, sinks, kind):
    sink = sinks(kind, secret="" if kind == "wecom" else "SECsecret-1")
    channel = make_channel(world, sink)
    requester = world.users["requester"]
    requester.phone = "13800001111"
    requester.save(update_fields=["phone"])
    ChatIdentity.objects.create(user=requester, wecom_user_id="nurse01", feishu_user_id="ou_nurse")
    with clock.frozen_at(WORKING):
        delivery = send(
            channel, severity="critical", fields=[("Priority", "P1")], url="/tickets/GH-1/", mention_users=[requester]
        )
        delivery = delivery_attempt(delivery_id=delivery.pk)
    assert sink.verdicts == [True], sink.received
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
    assert delivery.last_status_code in (200, 204) and delivery.sent_at == WORKING
    item = sink.received[0]
    assert item.headers["content-type"].startswith("application/json")
    if kind == "dingtalk":
        assert item.query["access_token"] == "tok" and item.query["timestamp"] == str(int(WORKING.timestamp() * 1000))
        assert item.json["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}
        assert "[Open in Oversight](http://127.0.0.1:8000/tickets/GH-1/)" in item.json["markdown"]["text"]
    elif kind == "feishu":
        assert item.json["timestamp"] == str(int(WORKING.timestamp()))
        assert item.json["card"]["header"]["template"] == "red"
        assert "<at id=ou_nurse></at>" in item.json["card"]["elements"][0]["text"]["content"]
    elif kind == "wecom":
        assert item.query["key"] == "k-1" and "<@nurse01>" in item.json["markdown"]["content"]
    else:
        assert item.headers["x-oversight-event-id"] == str(delivery.event_id)
        assert item.headers["x-oversight-timestamp"] == str(int(WORKING.timestamp()))
        assert item.json["id"] == str(delivery.event_id) and item.json["fields"] == [
            {"name": "Priority", "value": "P1"}
        ]
    # What is stored as sent carries no signature and no secret.
    assert "sign" not in delivery.payload and "SECsecret-1" not in str(delivery.payload)


def test_a_wrong_secret_is_a_failure_even_with_http_200(world, sinks):
    sink = sinks("dingtalk", secret="SECright")
    channel = make_channel(world, sinks("dingtalk", secret="SECwrong"), name="wrong")
    channel = channel_update(actor=world.users["client_admin"], channel=channel, url=sink.url)
    with clock.frozen_at(WORKING):
        delivery = delivery_attempt(delivery_id=send(channel).pk)
    assert sink.verdicts == [False]
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 200
    assert delivery.last_error.startswith("310000")


def test_exactly_once_per_dedupe_key(world, sinks, django_capture_on_commit_callbacks):
    sink = sinks("webhook", secret="s")
    channel = make_channel(world, sink)
    with clock.frozen_at(WORKING), django_capture_on_commit_callbacks(execute=True):
        first = send(channel, key="breach:1")
        again = send(channel, key="breach:1", title="something else")
    assert first.pk == again.pk and Delivery.objects.count() == 1
    with clock.frozen_at(WORKING):
        delivery_attempt(delivery_id=first.pk)  # a redelivered task changes nothing
        deliveries_send_due()
    assert len(sink.received) == 1
    first.refresh_from_db()
    assert first.status == DeliveryStatus.SENT and first.attempts == 1


def test_retries_back_off_exponentially_then_give_up_and_retry_by_hand(world, sinks):
    sink = sinks("webhook", secret="s")
    sink.status = 503
    channel = make_channel(world, sink)
    at = WORKING
    with clock.frozen_at(at):
        delivery = send(channel)
    waits = []
    for _ in range(5):
        with clock.frozen_at(at):
            delivery = delivery_attempt(delivery_id=delivery.pk)
        if delivery.next_attempt_at:
            waits.append((delivery.next_attempt_at - at).total_seconds())
            at = delivery.next_attempt_at
    assert waits == [30, 60, 120, 240]  # 30 s · 2^(n−1)
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 5 and delivery.last_status_code == 503
    with clock.frozen_at(at + dt.timedelta(days=1)):
        assert delivery_attempt(delivery_id=delivery.pk).status == DeliveryStatus.DEAD  # dead stays dead
        with pytest.raises(NotAllowed):
            delivery_retry(actor=world.users["client_supervisor"], delivery=delivery)
        sink.status = None
        delivery = delivery_retry(actor=world.users["client_admin"], delivery=delivery)
        assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 0
        delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == DeliveryStatus.SENT and len(sink.received) == 6
    actions = list(AuditEntry.objects.filter(object_type="notifications.delivery").values_list("action", flat=True))
    assert actions.count("notifications.delivery.fail") == 4
    assert {"notifications.delivery.give_up", "notifications.delivery.retry", "notifications.delivery.send"} <= set(
        actions
    )


def test_the_token_bucket_defers_and_the_backlog_goes_out_as_one_digest(world, sinks):
    sink = sinks("wecom")
    channel = make_channel(world, sink, burst=1, rate_per_minute=6)  # a token every 10 s
    with clock.frozen_at(WORKING):  # each message is attempted right after its own commit, as the task does
        outcomes = [delivery_attempt(delivery_id=send(channel, key=f"k{i}", title=f"Notice {i}").pk) for i in range(5)]
    assert [d.status for d in outcomes] == ["sent", "queued", "queued", "queued", "queued"]
    assert len(sink.received) == 1
    waiting = Delivery.objects.filter(status=DeliveryStatus.QUEUED)
    assert waiting.count() == 4
    assert {d.next_attempt_at for d in waiting} == {WORKING + dt.timedelta(seconds=10)}
    with clock.frozen_at(WORKING + dt.timedelta(seconds=10)):
        assert deliveries_send_due() == 1
    assert len(sink.received) == 2 and sink.verdicts == [True, True]
    digest = sink.received[1].json["markdown"]["content"]
    assert "4 notifications" in digest and all(f"Notice {i}" in digest for i in range(1, 5))
    assert "Notice 0" not in digest
    carrier = Delivery.objects.filter(merged__isnull=False).distinct().get()
    assert set(Delivery.objects.filter(digest=carrier).values_list("title", flat=True)) == {
        "Notice 2",
        "Notice 3",
        "Notice 4",
    }
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_a_burst_waiting_at_once_goes_out_as_one_digest_but_a_critical_message_alone(world, sinks):
    sink = sinks("dingtalk", secret="SECd")
    channel = make_channel(world, sink, digest_window_seconds=60)
    with clock.frozen_at(WORKING):
        for i in range(3):
            send(channel, key=f"w{i}", title=f"Warning {i}", severity="warning")
        urgent = send(channel, key="p1", title="P1 down", severity="critical")
        assert delivery_attempt(delivery_id=urgent.pk).status == DeliveryStatus.SENT  # no window for a P1
        assert deliveries_send_due() == 0  # the others wait for the digest window
    with clock.frozen_at(WORKING + dt.timedelta(seconds=60)):
        assert deliveries_send_due() == 1
    assert len(sink.received) == 2 and sink.verdicts == [True, True]
    assert "P1 down" in sink.received[0].json["markdown"]["text"]
    digest = sink.received[1].json["markdown"]
    assert digest["title"] == "3 notifications" and all(f"Warning {i}" in digest["text"] for i in range(3))
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


@pytest.fixture
def china_calendar(world):
    calendar = catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="Beijing office",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.CHINA,
        weekly={d: [(9 * 60, 12 * 60), (13 * 60, 18 * 60)] for d in range(5)},
    )
    catalog_services.calendar_load_china_year(actor=None, calendar=calendar, year=2026)
    return calendar


@pytest.mark.parametrize(
    ("local", "resumes"),
    [
        # Saturday 28 Feb 2026 is an adjusted working day (调休): not quiet.
        (dt.datetime(2026, 2, 28, 10, 0), None),
        # Lunch break on a working day: quiet until 13:00.
        (dt.datetime(2026, 3, 3, 12, 30), dt.datetime(2026, 3, 3, 13, 0)),
        # National Day holiday (1–7 Oct 2026): quiet until the next working morning, Thursday 8 Oct.
        (dt.datetime(2026, 10, 1, 10, 0), dt.datetime(2026, 10, 8, 9, 0)),
        # Saturday 10 Oct 2026 is a working day too; Sunday 11 Oct is not.
        (dt.datetime(2026, 10, 11, 20, 0), dt.datetime(2026, 10, 12, 9, 0)),
    ],
)
def test_quiet_hours_follow_the_china_calendar_and_p1_bypasses_them(world, sinks, china_calendar, local, resumes):
    sink = sinks("feishu", secret="fs")
    channel = make_channel(world, sink, quiet_calendar=china_calendar)
    at = local.replace(tzinfo=SHANGHAI)
    with clock.frozen_at(at):
        normal = delivery_attempt(delivery_id=send(channel, key="n", severity="warning").pk)
        urgent = delivery_attempt(delivery_id=send(channel, key="p1", severity="critical").pk)
    assert urgent.status == DeliveryStatus.SENT
    if resumes is None:
        assert normal.status == DeliveryStatus.SENT
        return
    assert normal.status == DeliveryStatus.QUEUED and normal.attempts == 0
    assert normal.next_attempt_at == resumes.replace(tzinfo=SHANGHAI)
    with clock.frozen_at(resumes.replace(tzinfo=SHANGHAI)):
        deliveries_send_due()
    normal.refresh_from_db()
    assert normal.status == DeliveryStatus.SENT and sink.verdicts == [True, True]


def test_the_ssrf_guard_refuses_at_save_time_and_again_at_send_time(world, sinks, settings):
    admin = world.users["client_admin"]
    for url in ("http://127.0.0.1:9/x", "http://169.254.169.254/latest", "ftp://example.com/", "http://2130706433/"):
        with pytest.raises(ApplicationError):
            channel_create(actor=admin, organisation=world.org, url=url, kind="webhook", name="x")
    sink = sinks("webhook", secret="s")
    channel = make_channel(world, sink)
    # The administrator removes the allow-list entry afterwards (or DNS now answers inside): the send is refused.
    Channel.objects.filter(pk=channel.pk).update(allowed_hosts="")
    with clock.frozen_at(WORKING):
        delivery = delivery_attempt(delivery_id=send(channel).pk)
    assert delivery.status == DeliveryStatus.FAILED and "internal network" in delivery.last_error
    assert sink.received == []
    settings.OVERSIGHT_CHANNEL_ALLOWED_HOSTS = ["127.0.0.0/8"]  # the installation-wide allow-list
    with clock.frozen_at(delivery.next_attempt_at):
        assert delivery_attempt(delivery_id=delivery.pk).status == DeliveryStatus.SENT


def test_a_redirect_is_never_followed_even_to_an_allowed_host(world, sinks):
    target = sinks("webhook", secret="s")
    sink = sinks("webhook", secret="s")
    sink.status, sink.location = 302, "http://169.254.169.254/latest/meta-data/"
    channel = make_channel(world, sink)
    with clock.frozen_at(WORKING):
        delivery = delivery_attempt(delivery_id=send(channel).pk)
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 302
    assert delivery.last_error == "redirect not followed"
    sink.location = target.url  # a redirect to another allowed local receiver is not followed either
    with clock.frozen_at(delivery.next_attempt_at):
        delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == DeliveryStatus.FAILED and target.received == [] and len(sink.received) == 2


def test_secrets_are_encrypted_never_audited_and_only_administrators_configure(world, sinks):
    sink = sinks("dingtalk", secret="SECtop-secret")
    channel = make_channel(world, sink)
    stored = Channel.objects.values("endpoint_secret", "signing_secret").get(pk=channel.pk)
    assert "tok" not in stored["endpoint_secret"] and "SECtop-secret" not in stored["signing_secret"]
    assert crypto.decrypt(stored["signing_secret"]) == "SECtop-secret"
    assert crypto.decrypt(stored["endpoint_secret"]) == sink.url
    channel_update(actor=world.users["client_admin"], channel=channel, name="renamed", secret="SECnew")
    assert crypto.decrypt(Channel.objects.get(pk=channel.pk).signing_secret) == "SECnew"
    audit = " ".join(
        str(e.before) + str(e.after) for e in AuditEntry.objects.filter(object_type="notifications.channel")
    )
    assert "SECtop-secret" not in audit and "SECnew" not in audit and "access_token" not in audit
    for role in ("client_supervisor", "executive", "vendor_manager", "requester"):
        with pytest.raises(NotAllowed):
            channel_update(actor=world.users[role], channel=channel, name="no")
    with pytest.raises(NotAllowed):
        channel_update(actor=world.users["foreign_admin"], channel=channel, name="no")


def test_a_changed_key_leaves_secrets_unreadable_instead_of_wrong(settings):
    stored = crypto.encrypt("https://oapi.dingtalk.com/robot/send?access_token=abc")
    settings.CHANNEL_SECRET_KEY = "another key"
    assert crypto.decrypt(stored) == ""
