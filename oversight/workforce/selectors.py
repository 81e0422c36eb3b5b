"""Reads of workforce supervision, through the one gate (``restrict``) plus one domain rule: vendor staff see
only vendor forecasts of their own queues, never the client's own forecasts or backtests."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from oversight.contactcentre.models import Queue
from oversight.tenancy.visibility import restrict
from oversight.workforce import permissions
from oversight.workforce.choices import ForecastSource
from oversight.workforce.models import BacktestRun, ForecastSnapshot, IntervalAttribution


def queue_list(*, user) -> QuerySet[Queue]:
    """Queues the user may see (the client's side: its organisation's; a vendor's staff: their vendor's)."""
    return restrict(Queue.objects.select_related("vendor", "organisation", "contract"), user).order_by(
        "vendor__name", "code"
    )


def queue_get(*, user, pk) -> Queue:
    """One visible queue, or 404."""
    try:
        return queue_list(user=user).get(pk=pk)
    except (Queue.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def snapshot_list(*, user, queue: Queue | None = None) -> QuerySet[ForecastSnapshot]:
    """Snapshots the user may see, newest first; vendor staff only the vendor's."""
    qs = restrict(ForecastSnapshot.objects.select_related("queue", "queue__vendor", "created_by"), user)
    if not permissions.sees_client_side(user):
        qs = qs.filter(source=ForecastSource.VENDOR)
    if queue is not None:
        qs = qs.filter(queue=queue)
    return qs.order_by("-created_at", "-id")


def snapshot_get(*, user, pk) -> ForecastSnapshot:
    """One visible snapshot, or 404."""
    try:
        return snapshot_list(user=user).select_related("queue__organisation").get(pk=pk)
    except (ForecastSnapshot.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def latest_snapshot(*, user, queue: Queue, source: str, covering=None) -> ForecastSnapshot | None:
    """The newest snapshot of a kind for the queue (covering an instant, if given) the user may see."""
    qs = snapshot_list(user=user, queue=queue).filter(source=source)
    if covering is not None:
        qs = qs.filter(period_start__lte=covering, period_end__gt=covering)
    return qs.first()


def backtest_list(*, user, queue: Queue) -> QuerySet[BacktestRun]:
    """A queue's backtests (client side only), newest first."""
    if not permissions.sees_client_side(user):
        return BacktestRun.objects.none()
    return restrict(BacktestRun.objects.filter(queue=queue), user).order_by("-created_at", "-id")


def attribution_list(*, user, queue: Queue, start=None, end=None) -> QuerySet[IntervalAttribution]:
    """The missed intervals of a queue and how each was attributed (vendors see their own queues' too)."""
    qs = restrict(IntervalAttribution.objects.filter(queue=queue), user).select_related("term", "snapshot")
    if start is not None:
        qs = qs.filter(interval_start__gte=start)
    if end is not None:
        qs = qs.filter(interval_start__lt=end)
    return qs.order_by("interval_start")
