"""The escalation sweep through a real Celery worker and broker (Redis when REDIS_URL is set, as in CI)."""

import datetime as dt
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from oversight.celery import app as celery_app
from oversight.core.clock import frozen_at
from oversight.notifications.models import Notification
from oversight.notifications.tasks import send_notification_email
from oversight.tickets import services
from oversight.tickets.choices import Action
from oversight.tickets.tasks import sweep_sla_escalations

pytestmark = pytest.mark.django_db(transaction=True)

T0 = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def real_worker():
    """A worker thread consuming from the configured broker instead of running tasks eagerly."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = os.environ.get("REDIS_URL") or "memory://"
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=20):
            yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_sweep_runs_on_a_worker_and_notifies_once(world, real_worker):
    with frozen_at(T0):
        work_order = services.work_order_create(actor=world.users["requester"], service=world.service, title="x")
        services.work_order_transition(actor=world.users["vendor_manager"], work_order=work_order, action=Action.ACCEPT)
    with frozen_at(T0 + dt.timedelta(hours=20)):  # past the 16-hour P3 resolution target
        sweep_sla_escalations.delay()
        assert wait_for(lambda: Notification.objects.filter(kind="sla_breach").count() == 2)
        assert wait_for(lambda: len([m for m in mail.outbox if "SLA" in m.subject]) == 2)
        sweep_sla_escalations.delay()  # a second delivery changes nothing
        # The worker runs tasks in order: once this marker e-mail is out, the second sweep has finished.
        marker = Notification.objects.create(
            recipient=world.users["requester"],
            kind="marker",
            subject="marker",
            dedupe_key="marker",
            created_at=T0,
        )
        send_notification_email.delay(marker.pk)
        assert wait_for(lambda: any(m.subject == "marker" for m in mail.outbox))
    # Assignee (the manager who accepted) and the client supervisor; each notified and e-mailed once.
    assert Notification.objects.filter(kind="sla_breach").count() == 2
    assert len([m for m in mail.outbox if "SLA" in m.subject]) == 2
