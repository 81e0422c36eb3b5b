"""The embedded mode's in-process scheduler: which beat entries are due (intervals and crontabs, by hand-worked
instants), and `manage.py jobs_run --once` sending a deferred channel message to a local receiver without Celery."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from oversight.core import clock
from oversight.core.scheduler import Scheduler, crontab_fired, run_task
from oversight.notifications.channels.choices import DeliveryStatus
from oversight.notifications.channels.models import Delivery
from oversight.notifications.channels.services import channel_create, channel_message_send
from tests.notifications.channel_sinks import running

T0 = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # Tuesday 3 March 2026, 10:00 in Beijing


def test_interval_jobs_run_at_start_then_each_time_their_interval_has_passed():
    ran = []
    scheduler = Scheduler(
        schedule={"a": {"task": "t.a", "schedule": 30.0}, "b": {"task": "t.b", "schedule": 3600.0}}, started_at=T0
    )
    assert scheduler.run_due(T0, ran.append) == ["a", "b"]
    assert scheduler.run_due(T0 + dt.timedelta(seconds=29), ran.append) == []
    assert scheduler.run_due(T0 + dt.timedelta(seconds=30), ran.append) == ["a"]
    assert scheduler.run_due(T0 + dt.timedelta(seconds=59), ran.append) == []
    assert scheduler.run_due(T0 + dt.timedelta(hours=1), ran.append) == ["a", "b"]
    assert ran == ["t.a", "t.b", "t.a", "t.a", "t.b"]


def test_a_crontab_runs_once_when_its_minute_falls_after_the_last_run_never_at_start():
    nightly = crontab(hour=19, minute=30)  # 19:30 UTC = 03:30 in Beijing
    scheduler = Scheduler(schedule={"n": {"task": "t.n", "schedule": nightly}}, started_at=T0)
    assert scheduler.due_jobs(T0) == []
    assert scheduler.due_jobs(dt.datetime(2026, 3, 3, 19, 29, 59, tzinfo=dt.UTC)) == []
    at = dt.datetime(2026, 3, 3, 19, 30, 4, tzinfo=dt.UTC)
    assert scheduler.run_due(at, lambda task: None) == ["n"]
    assert scheduler.due_jobs(dt.datetime(2026, 3, 4, 19, 29, tzinfo=dt.UTC)) == []
    assert scheduler.due_jobs(dt.datetime(2026, 3, 4, 19, 31, tzinfo=dt.UTC)) == ["n"]


def test_crontab_day_of_week_counts_sunday_as_zero():
    mondays = crontab(minute=0, hour=1, day_of_week=1)
    sunday_night = dt.datetime(2026, 3, 8, 23, 0, tzinfo=dt.UTC)  # 8 March 2026 is a Sunday
    assert crontab_fired(mondays, after=sunday_night, until=sunday_night + dt.timedelta(hours=2))
    assert not crontab_fired(mondays, after=sunday_night - dt.timedelta(days=1), until=sunday_night)


def test_a_failing_job_does_not_stop_the_others():
    scheduler = Scheduler(
        schedule={"bad": {"task": "bad", "schedule": 10}, "good": {"task": "good", "schedule": 10}}, started_at=T0
    )
    ran = []

    def run(task):
        if task == "bad":
            raise RuntimeError("broken")
        ran.append(task)

    assert scheduler.run_due(T0, run) == ["bad", "good"]
    assert ran == ["good"]


def test_every_beat_entry_names_a_registered_task_and_the_channel_sweep_is_one_of_them():
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "oversight.notifications.channels.tasks.send_due_channel_deliveries" in tasks
    from oversight.celery import app

    app.loader.import_default_modules()
    assert [task for task in tasks if task not in app.tasks] == []


@pytest.fixture
def sink():
    with running("dingtalk", "SECjobs") as receiver:
        yield receiver


@pytest.mark.django_db
def test_jobs_run_once_sends_a_deferred_channel_message_without_celery(world, sink, settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "channel-deliveries": {
            "task": "oversight.notifications.channels.tasks.send_due_channel_deliveries",
            "schedule": 30.0,
        }
    }
    channel = channel_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        url=sink.url,
        secret=sink.secret,
        kind="dingtalk",
        name="robot",
        allowed_hosts="127.0.0.1",
        digest_window_seconds=60,
    )
    with translation.override("en"), clock.frozen_at(T0):
        delivery = channel_message_send(channel=channel, title="Deferred notice", body="x", dedupe_key="d1")
        out = StringIO()
        call_command("jobs_run", "--once", stdout=out)
        assert "channel-deliveries" in out.getvalue()
        assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.QUEUED  # still in its window
    with clock.frozen_at(T0 + dt.timedelta(seconds=61)):
        call_command("jobs_run", "--once", stdout=StringIO())
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    assert len(sink.received) == 1 and sink.verdicts == [True]
    assert "Deferred notice" in sink.received[0].json["markdown"]["text"]


@pytest.mark.django_db
def test_run_task_calls_the_task_function_in_this_process():
    assert run_task("oversight.notifications.channels.tasks.send_due_channel_deliveries") == 0
