"""Prometheus metrics (docs/operations/metrics.md), with prometheus_client.

Counted where things happen, in the process that does them: request latency per route name (the middleware),
task failures (Celery's ``task_failure`` signal and the in-process scheduler), notifications created and e-mails
sent or failed (oversight.notifications.services). Read at scrape time from what every process shares: queue
depth (the Celery queues' length on Redis, or in the embedded mode the periodic jobs overdue by the in-process
scheduler's records) and the heartbeats' ages.

Several gunicorn workers (or Celery workers on the same machine) share their counters when every process has
``PROMETHEUS_MULTIPROC_DIR`` set to the same empty directory (prometheus_client's multiprocess mode): ``/metrics``
then adds up the files of all of them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
import secrets
import time

from django.conf import settings
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from oversight.core import clock

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("oversight.request")

REQUEST_LATENCY = Histogram(
    "oversight_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL route name and method.",
    ["route", "method"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0, 30.0),
)
REQUESTS = Counter(
    "oversight_http_requests_total",
    "HTTP requests answered, by route name, method and status class.",
    ["route", "method", "status"],
)
TASK_FAILURES = Counter("oversight_task_failures_total", "Background jobs that raised, by task name.", ["task"])
NOTIFICATIONS_CREATED = Counter("oversight_notifications_created_total", "In-app notifications created.")
EMAILS_SENT = Counter("oversight_emails_sent_total", "Notification e-mails handed to the mail server.")
EMAIL_FAILURES = Counter("oversight_email_failures_total", "Notification e-mails the mail server refused.")

# Requests whose route is unknown (404s) share one label, so a scan cannot create series without end.
UNMATCHED_ROUTE = "<unmatched>"
# A periodic job counts as waiting once it is this late (the embedded scheduler looks every few seconds).
QUEUE_GRACE = dt.timedelta(minutes=1)


def route_of(request) -> str:
    """The URL pattern's full name (``tickets:board``), or a fixed label for an unresolved path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED_ROUTE
    return match.view_name or match.route or UNMATCHED_ROUTE


class MetricsMiddleware:
    """Time every request, count it by route and status class, and log one structured line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        REQUEST_LATENCY.labels(route, request.method).observe(elapsed)
        REQUESTS.labels(route, request.method, f"{response.status_code // 100}xx").inc()
        # Logged outside RequestIdMiddleware: the id is the one the response carries.
        request_logger.info(
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "route": route,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
                "request_id": response.get("X-Request-ID", "-"),
            },
        )
        return response


def count_task_failure(task_name: str) -> None:
    """Count one failed background job."""
    TASK_FAILURES.labels(task_name or "unknown").inc()


# ------------------------------------------------------------------------------------------------ access


LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def metrics_allowed(request) -> bool:
    """Whether a scraper may read ``/metrics``.

    With ``OVERSIGHT_METRICS_TOKEN`` set: only a request carrying ``Authorization: Bearer <token>``. Without it:
    only a direct request from this machine's loopback; one that came through a proxy (X-Forwarded-For or
    X-Real-IP present) is refused, since a local reverse proxy makes every outside request look local."""
    token = settings.OVERSIGHT_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return given.startswith("Bearer ") and secrets.compare_digest(given[7:].strip(), token)
    if "X-Forwarded-For" in request.headers or "X-Real-IP" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in LOOPBACK)


# ------------------------------------------------------------------------------------------------ scrape


def queue_depths() -> dict[str, int]:
    """Jobs waiting, by queue: the Celery queues' lengths on Redis, or ``in-process``: the periodic jobs the
    embedded scheduler has not run although they fell due (a minute's grace)."""
    from oversight.core import health

    if health.celery_configured():
        import redis

        queues = [getattr(queue, "name", queue) for queue in (getattr(settings, "CELERY_TASK_QUEUES", None) or ())]
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        try:
            return {name: int(client.llen(name)) for name in queues or ["celery"]}
        finally:
            client.close()
    from oversight.core.scheduler import Scheduler

    now = clock.now()
    beats = health.heartbeats()
    last_runs = {k.removeprefix(health.JOB_PREFIX): v for k, v in beats.items() if k.startswith(health.JOB_PREFIX)}
    scheduler = Scheduler(schedule=settings.CELERY_BEAT_SCHEDULE, started_at=now, last_run=last_runs)
    return {"in-process": len(scheduler.due_jobs(now - QUEUE_GRACE))}


class StateCollector:
    """Gauges read at scrape time from the shared state: queue depth and heartbeat ages (−1 when never seen)."""

    def collect(self):
        from oversight.core import health

        depth = GaugeMetricFamily("oversight_queue_depth", "Background jobs waiting, by queue.", labels=["queue"])
        try:
            for name, value in queue_depths().items():
                depth.add_metric([name], value)
        except Exception:  # noqa: BLE001 - a broker outage shows as a missing series (and in /readyz)
            logger.warning("metrics: queue depth could not be read", exc_info=True)
        yield depth
        ages = GaugeMetricFamily(
            "oversight_heartbeat_age_seconds",
            "Seconds since a background process last showed it was alive.",
            labels=["process"],
        )
        try:
            beats, now = health.heartbeats(), clock.now()
            for name in (health.WORKER, health.BEAT):
                at = beats.get(name)
                ages.add_metric([name], (now - at).total_seconds() if at else -1.0)
        except Exception:  # noqa: BLE001 - a database outage shows as missing series (and in /readyz)
            logger.warning("metrics: heartbeats could not be read", exc_info=True)
        yield ages


def render_metrics() -> tuple[bytes, str]:
    """The exposition text of this process (or of every process sharing the multiprocess directory), then the
    gauges read from the shared state."""
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    state = CollectorRegistry()
    state.register(StateCollector())
    return generate_latest(counted) + generate_latest(state), CONTENT_TYPE_LATEST
