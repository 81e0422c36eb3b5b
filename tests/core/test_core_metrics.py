"""/metrics (docs/operations/metrics.md) and the structured logs (docs/operations/logs.md): who may read the metrics
(token, loopback, proxied requests), the request histogram per route name counted one by one, queue depth (a
stand-in Redis's list lengths; the embedded scheduler's overdue jobs by hand), heartbeat ages, task failures,
notifications and e-mails counted where they happen, and JSON log lines carrying the request id."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from celery import shared_task
from django.core import mail
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from oversight.core import clock, health
from oversight.core.logs import JsonFormatter, RequestIdFilter
from oversight.core.metrics import metrics_allowed, queue_depths
from oversight.core.request_context import request_id_var
from oversight.core.scheduler import Scheduler
from oversight.notifications.services import notification_create, notification_send_email
from tests.core.fake_redis import fake_redis
from tests.factories import UserFactory

T0 = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def value(name: str, **labels) -> float:
    """A sample of this process's registry (0 when the series does not exist yet)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(client, **headers) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_on_the_loopback_count_each_request_by_route_name(client, settings):
    settings.OVERSIGHT_METRICS_TOKEN = ""
    settings.REDIS_URL = ""
    before = value("oversight_http_request_duration_seconds_count", route="healthz", method="GET")
    ok_before = value("oversight_http_requests_total", route="healthz", method="GET", status="2xx")
    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page-at-all/")
    samples = scraped(client)  # the test client's REMOTE_ADDR is 127.0.0.1
    key = ("oversight_http_request_duration_seconds_count", (("method", "GET"), ("route", "healthz")))
    assert samples[key] == before + 3
    status_key = ("oversight_http_requests_total", (("method", "GET"), ("route", "healthz"), ("status", "2xx")))
    assert samples[status_key] == ok_before + 3
    assert samples[("oversight_http_requests_total", (("method", "GET"), ("route", "<unmatched>"), ("status", "4xx")))]
    # A request takes far less than 30 s: it lies in the last bucket and in every bucket above its duration.
    inf = ("oversight_http_request_duration_seconds_bucket", (("le", "+Inf"), ("method", "GET"), ("route", "healthz")))
    top = ("oversight_http_request_duration_seconds_bucket", (("le", "30.0"), ("method", "GET"), ("route", "healthz")))
    assert samples[inf] == samples[top] == samples[key]


@pytest.mark.parametrize(
    ("remote", "headers", "allowed"),
    [
        ("127.0.0.1", {}, True),
        ("::1", {}, True),
        ("203.0.113.9", {}, False),
        ("10.0.0.5", {}, False),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, False),  # through the local reverse proxy
        ("127.0.0.1", {"HTTP_X_REAL_IP": "203.0.113.9"}, False),
    ],
)
def test_without_a_token_only_direct_loopback_requests_read_the_metrics(client, settings, remote, headers, allowed):
    settings.OVERSIGHT_METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR=remote, **headers)
    assert response.status_code == (200 if allowed else 403)
    assert (b"oversight_http_request" in response.content) is allowed


def test_with_a_token_only_the_bearer_of_it_reads_the_metrics_signed_in_or_not(client, settings):
    settings.OVERSIGHT_METRICS_TOKEN = "s3cret-scrape-token"
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/metrics").status_code == 403  # loopback and a superuser are not enough
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="s3cret-scrape-token").status_code == 403
    client.logout()
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200


def test_metrics_allowed_refuses_a_missing_or_broken_remote_address(rf, settings):
    settings.OVERSIGHT_METRICS_TOKEN = ""
    request = rf.get("/metrics", REMOTE_ADDR="not-an-address")
    assert metrics_allowed(request) is False


def test_queue_depth_with_celery_is_each_queue_length_on_redis(settings):
    with fake_redis({"celery": 7, "reports": 2}) as url:
        settings.REDIS_URL = url
        settings.CELERY_TASK_QUEUES = None
        assert queue_depths() == {"celery": 7}
        settings.CELERY_TASK_QUEUES = ["celery", "reports"]
        assert queue_depths() == {"celery": 7, "reports": 2}


def test_queue_depth_embedded_counts_the_periodic_jobs_overdue_by_more_than_a_minute(client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_BEAT_SCHEDULE = {
        "every-30s": {"task": "t.a", "schedule": 30.0},
        "hourly": {"task": "t.b", "schedule": 3600.0},
        "never-ran": {"task": "t.c", "schedule": 600.0},
    }
    # At T0: every-30s ran 95 s ago (due 65 s ago: overdue), hourly 50 min ago (not due), never-ran never.
    health.heartbeat_record("job:every-30s", at=T0 - dt.timedelta(seconds=95))
    health.heartbeat_record("job:hourly", at=T0 - dt.timedelta(minutes=50))
    health.heartbeat_record(health.WORKER, at=T0 - dt.timedelta(seconds=42))
    with clock.frozen_at(T0):
        assert queue_depths() == {"in-process": 2}
        samples = scraped(client)
    assert samples[("oversight_queue_depth", (("queue", "in-process"),))] == 2
    assert samples[("oversight_heartbeat_age_seconds", (("process", "worker"),))] == 42
    assert samples[("oversight_heartbeat_age_seconds", (("process", "beat"),))] == -1
    health.heartbeat_record("job:every-30s", at=T0 - dt.timedelta(seconds=85))  # due 55 s ago: within the grace
    with clock.frozen_at(T0):
        assert queue_depths() == {"in-process": 1}


def test_task_failures_are_counted_from_the_scheduler_and_from_celery(settings):
    failing_name = "tests.core.test_core_metrics.always_fails"
    scheduler = Scheduler(schedule={"broken": {"task": "t.broken", "schedule": 30.0}}, started_at=T0)
    before = value("oversight_task_failures_total", task="t.broken")

    def run(task_name):
        raise RuntimeError("boom")

    assert scheduler.run_due(T0, run) == ["broken"]
    assert value("oversight_task_failures_total", task="t.broken") == before + 1

    celery_before = value("oversight_task_failures_total", task=failing_name)
    result = always_fails.apply(throw=False)  # eager, as the embedded mode runs tasks: Celery still signals it
    assert result.failed()
    assert value("oversight_task_failures_total", task=failing_name) == celery_before + 1


@shared_task(name="tests.core.test_core_metrics.always_fails")
def always_fails():
    raise RuntimeError("this job always fails")


def test_notifications_created_and_emails_sent_or_refused_are_counted(settings, monkeypatch):
    recipient = UserFactory(email="someone@example.org")
    created, sent, refused = (
        value("oversight_notifications_created_total"),
        value("oversight_emails_sent_total"),
        value("oversight_email_failures_total"),
    )
    first, was_created = notification_create(recipient=recipient, kind="test", dedupe_key="ops-1", subject="One")
    assert was_created
    notification_create(recipient=recipient, kind="test", dedupe_key="ops-1", subject="One")  # a duplicate
    second, _ = notification_create(recipient=recipient, kind="test", dedupe_key="ops-2", subject="Two")
    assert value("oversight_notifications_created_total") == created + 2
    assert notification_send_email(notification_id=first.pk) is True
    assert notification_send_email(notification_id=first.pk) is False  # already sent: not counted again
    assert len(mail.outbox) == 1
    assert value("oversight_emails_sent_total") == sent + 1

    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert notification_send_email(notification_id=second.pk) is False
    assert value("oversight_email_failures_total") == refused + 1
    assert value("oversight_emails_sent_total") == sent + 1


def test_json_log_lines_carry_the_request_id_the_extra_fields_and_the_traceback():
    record = logging.LogRecord("oversight.test", logging.ERROR, __file__, 1, "job %s failed", ("x",), None)
    record.route = "tickets:board"
    token = request_id_var.set("abc123")
    try:
        RequestIdFilter().filter(record)
        try:
            raise ValueError("bad value")
        except ValueError:
            import sys

            record.exc_info = sys.exc_info()
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "job x failed"
    assert (line["level"], line["logger"], line["request_id"], line["route"]) == (
        "ERROR",
        "oversight.test",
        "abc123",
        "tickets:board",
    )
    assert "ValueError: bad value" in line["exception"]
    assert dt.datetime.fromisoformat(line["time"]).tzinfo is not None


def test_each_request_logs_one_line_with_its_route_status_duration_and_the_request_id_it_answers_with(client, caplog):
    with caplog.at_level(logging.INFO, logger="oversight.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="fromtheproxy42")
    assert response["X-Request-ID"] == "fromtheproxy42"
    (record,) = [r for r in caplog.records if r.name == "oversight.request"]
    assert (record.route, record.method, record.status) == ("healthz", "GET", 200)
    assert record.duration_ms >= 0
    RequestIdFilter().filter(record)  # outside the request: the line keeps the id the request answered with
    assert json.loads(JsonFormatter().format(record))["request_id"] == "fromtheproxy42"
