"""Liveness and readiness of a deployment, and the heartbeats of its background processes (docs/operations/health.md).

``/healthz`` says only that the process answers (no database). ``/readyz`` says whether it can serve: the database
answers, and when Celery runs on a broker (``REDIS_URL`` set) the broker answers, a worker ran the heartbeat task
lately and beat looked at its schedule lately. In the embedded mode (no broker) the in-process scheduler
(``manage.py jobs_run``) plays both parts: its heartbeats are reported but do not make the site unready, since the
site serves without it. Bodies carry states and ages only: no host, no address, no error text.

Every background process writes its heartbeat to the database (``core.Heartbeat``), the one place every web
process and every machine reads alike: a worker when it runs ``record_worker_heartbeat`` (every 30 s in the beat
schedule), Celery beat on its ticks (``oversight.core.beat.HeartbeatScheduler``), ``jobs_run`` on its ticks, and
``jobs_run`` once per periodic job it ran (``job:<entry>``, from which the embedded queue depth is counted).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from oversight.core import clock

logger = logging.getLogger(__name__)

WORKER = "worker"
BEAT = "beat"
JOB_PREFIX = "job:"


def heartbeat_record(name: str, *, detail: str = "", at: dt.datetime | None = None) -> None:
    """Record that the process called ``name`` is alive now (one row per name, overwritten)."""
    from oversight.core.models import Heartbeat

    at = at or clock.now()
    values = {"at": at, "detail": detail[:200]}
    if Heartbeat.objects.filter(name=name).update(**values):
        return
    try:
        with transaction.atomic():
            Heartbeat.objects.create(name=name, **values)
    except IntegrityError:  # another process created it first
        Heartbeat.objects.filter(name=name).update(**values)


def heartbeats() -> dict[str, dt.datetime]:
    """When each named process last showed it was alive."""
    from oversight.core.models import Heartbeat

    return dict(Heartbeat.objects.values_list("name", "at"))


def celery_configured() -> bool:
    """Whether background jobs go through a broker to Celery workers (production) rather than in-process."""
    return bool(settings.REDIS_URL)


def broker_reachable(url: str, *, timeout: float = 1.0) -> bool:
    """Whether the Redis broker at ``url`` answers a PING within ``timeout`` seconds."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"; the reason is logged, never shown
        logger.warning("readiness: the broker does not answer", exc_info=True)
        return False


def database_reachable() -> bool:
    """Whether the default database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"; the reason is logged, never shown
        logger.warning("readiness: the database does not answer", exc_info=True)
        return False


@dataclass(frozen=True)
class HeartbeatCheck:
    """The state of one heartbeat: ok (fresh enough), stale (too old) or missing (never recorded)."""

    status: str
    age_seconds: float | None

    def as_dict(self, *, required: bool) -> dict:
        body = {"status": self.status, "required": required}
        if self.age_seconds is not None:
            body["age_seconds"] = round(self.age_seconds, 1)
        return body


def heartbeat_check(last: dt.datetime | None, *, now: dt.datetime, max_age: float) -> HeartbeatCheck:
    """Whether a heartbeat recorded at ``last`` is at most ``max_age`` seconds old at ``now``."""
    if last is None:
        return HeartbeatCheck("missing", None)
    age = max(0.0, (now - last).total_seconds())
    return HeartbeatCheck("ok" if age <= max_age else "stale", age)


def readiness(*, now: dt.datetime | None = None) -> tuple[bool, dict]:
    """(ready, body) of ``/readyz``: every required check must be ok."""
    now = now or clock.now()
    checks: dict[str, dict] = {}
    ready = database_reachable()
    checks["database"] = {"status": "ok" if ready else "unreachable", "required": True}
    with_celery = celery_configured()
    if with_celery:
        broker_ok = broker_reachable(settings.REDIS_URL)
        checks["broker"] = {"status": "ok" if broker_ok else "unreachable", "required": True}
        ready = ready and broker_ok
    beats: dict[str, dt.datetime] = {}
    if checks["database"]["status"] == "ok":
        try:
            beats = heartbeats()
        except Exception:  # noqa: BLE001 - e.g. migrations not applied yet; reported as missing heartbeats
            logger.warning("readiness: heartbeats could not be read", exc_info=True)
    limits = {WORKER: settings.OVERSIGHT_READY_WORKER_MAX_AGE, BEAT: settings.OVERSIGHT_READY_BEAT_MAX_AGE}
    for name, max_age in limits.items():
        check = heartbeat_check(beats.get(name), now=now, max_age=max_age)
        checks[name] = check.as_dict(required=with_celery)
        if with_celery and check.status != "ok":
            ready = False
    body = {"status": "ok" if ready else "unavailable", "mode": "celery" if with_celery else "embedded"}
    body["checks"] = checks
    return ready, body
