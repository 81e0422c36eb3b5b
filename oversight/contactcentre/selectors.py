"""Reads of queues, interval facts and service-level terms, limited to what the acting user may see (the one
gate, ADR 0007): the client side of the organisation sees all of its own, vendor staff their own vendor's,
requesters nothing. KPIs read only current rows (``is_current``); older revisions are history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from oversight.contactcentre.models import IntervalFact, Queue, ServiceLevelTerm
from oversight.core.zones import zone_of
from oversight.tenancy.visibility import restrict

#: The summed components of interval facts (never ratios: a ratio is computed from summed parts).
COMPONENTS = (
    "offered",
    "answered",
    "answered_within_threshold",
    "abandoned",
    "abandoned_within_threshold",
    "short_abandoned",
    "flow_outs",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
)


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def queue_list(*, user) -> QuerySet[Queue]:
    """Queues the user may see, with vendor and contract joined and the number of current interval rows."""
    return (
        restrict(Queue.objects.select_related("vendor", "contract", "organisation"), user)
        .annotate(fact_count=Count("facts", filter=Q(facts__is_current=True)))
        .order_by("vendor__name", "code", "pk")
    )


def queue_get(*, user, pk) -> Queue:
    """One visible queue, or 404 (never 403: nobody learns that an invisible one exists)."""
    return _get(restrict(Queue.objects.select_related("vendor", "contract", "organisation"), user), pk)


def current_facts(*, user, queues=None, start: dt.datetime | None = None, end: dt.datetime | None = None):
    """Current interval facts the user may see, of some queues, with ``start <= interval_start < end``."""
    qs = restrict(IntervalFact.objects.filter(is_current=True), user)
    if queues is not None:
        qs = qs.filter(queue__in=queues)
    if start is not None:
        qs = qs.filter(interval_start__gte=start)
    if end is not None:
        qs = qs.filter(interval_start__lt=end)
    return qs.order_by("queue_id", "interval_start")


def fact_history(*, user, queue: Queue, interval_start: dt.datetime) -> QuerySet[IntervalFact]:
    """Every revision of one interval of a visible queue, newest first."""
    return restrict(IntervalFact.objects.filter(queue=queue, interval_start=interval_start), user).order_by("-revision")


def terms_of_queue(*, user, queue: Queue) -> QuerySet[ServiceLevelTerm]:
    """The service-level terms of every version of the queue's contract the user may see, newest version first."""
    if queue.contract_id is None:
        return ServiceLevelTerm.objects.none()
    return restrict(
        ServiceLevelTerm.objects.filter(contract_version__contract_id=queue.contract_id).select_related(
            "contract_version"
        ),
        user,
    ).order_by("-contract_version__number", "channel")


@dataclass
class DayTotals:
    """The summed components of one queue (or group) on one local day."""

    day: dt.date
    values: dict = field(default_factory=lambda: dict.fromkeys(COMPONENTS, 0))
    intervals: int = 0

    def __getattr__(self, name):
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)


def daily_totals(*, user, queues, first: dt.date, last: dt.date, owner) -> dict[int, list[DayTotals]]:
    """Per queue id, the summed components of each local day from ``first`` to ``last`` (both included) in the
    time zone of ``owner`` (the organisation): one query, sums of components, never averages of ratios."""
    zone = zone_of(owner)
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    by_queue: dict[int, dict[dt.date, DayTotals]] = defaultdict(dict)
    rows = current_facts(user=user, queues=queues, start=start, end=end).values_list(
        "queue_id", "interval_start", *COMPONENTS
    )
    for queue_id, instant, *values in rows:
        day = instant.astimezone(zone).date()
        totals = by_queue[queue_id].get(day)
        if totals is None:
            totals = by_queue[queue_id][day] = DayTotals(day)
        totals.intervals += 1
        for name, value in zip(COMPONENTS, values, strict=True):
            totals.values[name] += value
    return {queue_id: [days[d] for d in sorted(days)] for queue_id, days in by_queue.items()}


def import_list(*, user) -> QuerySet:
    """Imports the user may see (their vendor's for vendor staff), newest first."""
    from oversight.contactcentre.models import IntervalImport

    return restrict(IntervalImport.objects.select_related("vendor", "uploaded_by"), user).order_by("-created_at", "-pk")


def import_get(*, user, pk):
    """One visible import, or 404."""
    return _get(import_list(user=user), pk)


def lock_list(*, user) -> QuerySet:
    """Period locks the user may see."""
    from oversight.contactcentre.models import PeriodLock

    return restrict(PeriodLock.objects.select_related("vendor", "locked_by"), user).order_by("vendor__name", "-month")


def mapping_of(*, user, vendor):
    """The vendor's saved column mapping if the user may see it (None: the default is used)."""
    from oversight.contactcentre.models import ColumnMapping

    return restrict(ColumnMapping.objects.filter(vendor=vendor), user).first()
