"""/healthz and /readyz (docs/operations/health.md) and the heartbeats behind them: the database, the broker (a stand-in
Redis on the loopback, and a closed port), the worker's and beat's heartbeats by their ages at a frozen instant,
what the embedded scheduler and Celery beat record, and bodies that name no host and no error."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from oversight.core import clock, health
from oversight.core.beat import HeartbeatScheduler
from oversight.core.models import Heartbeat
from oversight.core.tasks import record_worker_heartbeat
from tests.core.fake_redis import closed_port_url, fake_redis
from tests.query_counts import assert_within, count_queries

T0 = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def _get(client, path):
    response = client.get(path)
    return response.status_code, json.loads(response.content)


def test_healthz_answers_ok_without_touching_the_database(client):
    with count_queries() as queries:
        response = client.get("/healthz")
    assert_within("core.healthz", len(queries))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_readyz_embedded_is_ready_with_the_database_and_reports_the_scheduler_without_requiring_it(client, settings):
    settings.REDIS_URL = ""
    with clock.frozen_at(T0):
        status, body = _get(client, "/readyz")
    assert status == 200
    assert body == {
        "status": "ok",
        "mode": "embedded",
        "checks": {
            "database": {"status": "ok", "required": True},
            "worker": {"status": "missing", "required": False},
            "beat": {"status": "missing", "required": False},
        },
    }
    health.heartbeat_record(health.WORKER, at=T0 - dt.timedelta(seconds=50))
    health.heartbeat_record(health.BEAT, at=T0 - dt.timedelta(seconds=600))
    with clock.frozen_at(T0):
        status, body = _get(client, "/readyz")
    assert status == 200  # a stale scheduler does not stop the embedded site from serving
    assert body["checks"]["worker"] == {"status": "ok", "required": False, "age_seconds": 50.0}
    assert body["checks"]["beat"] == {"status": "stale", "required": False, "age_seconds": 600.0}


def test_readyz_with_celery_needs_the_broker_and_fresh_worker_and_beat_heartbeats(client, settings):
    settings.OVERSIGHT_READY_WORKER_MAX_AGE = 120
    settings.OVERSIGHT_READY_BEAT_MAX_AGE = 90
    with fake_redis() as url:
        settings.REDIS_URL = url
        with clock.frozen_at(T0):
            status, body = _get(client, "/readyz")
        assert status == 503
        assert body["mode"] == "celery"
        assert body["checks"]["broker"] == {"status": "ok", "required": True}
        assert body["checks"]["worker"] == {"status": "missing", "required": True}

        health.heartbeat_record(health.WORKER, at=T0 - dt.timedelta(seconds=120))
        health.heartbeat_record(health.BEAT, at=T0 - dt.timedelta(seconds=30))
        with clock.frozen_at(T0):
            status, body = _get(client, "/readyz")
        assert (status, body["status"]) == (200, "ok")
        assert body["checks"]["worker"] == {"status": "ok", "required": True, "age_seconds": 120.0}

        # One second past the worker's limit, then beat past its own.
        with clock.frozen_at(T0 + dt.timedelta(seconds=1)):
            status, body = _get(client, "/readyz")
        assert (status, body["status"]) == (503, "unavailable")
        assert body["checks"]["worker"]["status"] == "stale"
        assert body["checks"]["beat"]["status"] == "ok"
        health.heartbeat_record(health.WORKER, at=T0 + dt.timedelta(seconds=60))
        with clock.frozen_at(T0 + dt.timedelta(seconds=121)):
            status, body = _get(client, "/readyz")
        assert status == 503
        assert body["checks"]["worker"]["status"] == "ok"
        assert body["checks"]["beat"] == {"status": "stale", "required": True, "age_seconds": 151.0}


def test_readyz_with_the_broker_down_is_unavailable_and_names_no_address(client, settings):
    settings.REDIS_URL = closed_port_url()
    health.heartbeat_record(health.WORKER)
    health.heartbeat_record(health.BEAT)
    response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["broker"] == {"status": "unreachable", "required": True}
    assert body["checks"]["database"]["status"] == "ok"
    text = response.content.decode()
    assert "127.0.0.1" not in text and "redis" not in text.lower() and "error" not in text.lower()


def test_readyz_with_the_database_down_is_unavailable_and_names_no_database(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused at db.internal")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    try:
        response = client.get("/readyz")
    finally:
        monkeypatch.undo()
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["database"] == {"status": "unreachable", "required": True}
    assert body["checks"]["worker"]["status"] == "missing"
    assert "db.internal" not in response.content.decode()


def test_broker_reachable_is_true_for_an_answering_server_and_false_for_a_closed_port():
    with fake_redis() as url:
        assert health.broker_reachable(url) is True
    assert health.broker_reachable(closed_port_url(), timeout=0.5) is False


def test_heartbeat_record_keeps_one_row_per_name_and_heartbeat_check_ages():
    health.heartbeat_record("worker", at=T0, detail="w1")
    health.heartbeat_record("worker", at=T0 + dt.timedelta(seconds=5), detail="w2")
    assert list(Heartbeat.objects.values_list("name", "at", "detail")) == [
        ("worker", T0 + dt.timedelta(seconds=5), "w2")
    ]
    assert health.heartbeat_check(None, now=T0, max_age=10) == health.HeartbeatCheck("missing", None)
    assert health.heartbeat_check(T0, now=T0 + dt.timedelta(seconds=10), max_age=10).status == "ok"
    assert health.heartbeat_check(T0, now=T0 + dt.timedelta(seconds=10.5), max_age=10).status == "stale"


def test_the_worker_heartbeat_task_and_jobs_run_record_their_heartbeats(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "worker-heartbeat": {"task": "oversight.core.tasks.record_worker_heartbeat", "schedule": 30.0}
    }
    with clock.frozen_at(T0):
        call_command("jobs_run", "--once", stdout=StringIO())
    assert dict(Heartbeat.objects.values_list("name", "at")) == {"worker": T0, "beat": T0, "job:worker-heartbeat": T0}
    with clock.frozen_at(T0 + dt.timedelta(seconds=7)):
        record_worker_heartbeat.apply()
    assert Heartbeat.objects.get(name="worker").at == T0 + dt.timedelta(seconds=7)


def test_the_project_beat_schedule_queues_the_worker_heartbeat_and_beat_uses_the_heartbeat_scheduler():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]["task"] == record_worker_heartbeat.name
    assert settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]["schedule"] < settings.OVERSIGHT_READY_WORKER_MAX_AGE
    from oversight.celery import app

    assert app.conf.beat_scheduler == "oversight.core.beat:HeartbeatScheduler"


def test_celery_beat_scheduler_records_its_heartbeat_at_most_every_ten_seconds(monkeypatch):
    scheduler = object.__new__(HeartbeatScheduler)  # its tick's own work is Celery's; only the heartbeat is ours
    moments = iter([100.0, 105.0, 111.0])
    monkeypatch.setattr("oversight.core.beat.time.monotonic", lambda: next(moments))
    closed = []  # beat replaces a broken connection first (here the test's own one, which must stay open)
    monkeypatch.setattr("oversight.core.beat.close_old_connections", lambda: closed.append(True))
    with clock.frozen_at(T0):
        scheduler.record_heartbeat()
    with clock.frozen_at(T0 + dt.timedelta(seconds=5)):
        scheduler.record_heartbeat()  # 5 s later: skipped
    assert Heartbeat.objects.get(name="beat").at == T0
    with clock.frozen_at(T0 + dt.timedelta(seconds=11)):
        scheduler.record_heartbeat()
    assert Heartbeat.objects.get(name="beat").at == T0 + dt.timedelta(seconds=11)
    assert closed == [True, True]
