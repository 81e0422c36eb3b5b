"""Suggesting problems from recurring incidents: the ORM side of the pure rule in `problems.clustering`.

`suggestions_detect(organisation=...)` reads the organisation's rule (k incidents within W business days,
`ProblemSettings`), the working days of its business calendar, the incidents received in the window with their
service, category and the configuration items linked to them (the configuration app's work-order links), and
the services, categories and items that already have an open problem, runs `clustering.find_clusters` and stores
each new cluster once as a `ProblemSuggestion`, telling the client's supervisors. It runs after every new work
order and every configuration item linked to one (handlers of `tickets.work_order.created` and
`configuration.work_order.ci_linked`, in-process when embedded) and periodically for every organisation
(Celery beat, `problems.tasks.detect_problem_suggestions`). Running it twice changes nothing: a key already
suggested since the window began (open, accepted or dismissed) is not suggested again in that window.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from oversight.audit.services import audit_record, model_snapshot
from oversight.businesstime.engine import CalendarDataMissing, working_segments
from oversight.catalog.calendars import calendar_spec
from oversight.catalog.choices import SLAMetric
from oversight.catalog.models import BusinessCalendar, Service, ServiceCategory
from oversight.configuration.models import ConfigurationItem, WorkOrderCI
from oversight.core import clock
from oversight.core.events import publish
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.problems import clustering
from oversight.problems.choices import (
    DEFAULT_MIN_INCIDENTS,
    DEFAULT_WINDOW_DAYS,
    OPEN_PROBLEM_STATUSES,
    ClusterDimension,
)
from oversight.problems.events import PROBLEM_SUGGESTED
from oversight.problems.models import Problem, ProblemSettings, ProblemSuggestion
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets.choices import WorkOrderKind
from oversight.tickets.models import SLAClock, WorkOrder

#: Calendar days read back to find W working days (long holidays such as the Spring Festival included).
LOOKBACK_EXTRA_DAYS = 21
NOTIFICATION_KIND = "problem_suggested"


def rule_for(organisation) -> tuple[int, int, BusinessCalendar | None]:
    """(k, W, calendar) of the organisation: its settings, else the defaults and the calendar of its latest
    incident's resolution target."""
    found = ProblemSettings.objects.filter(organisation=organisation).select_related("calendar").first()
    k = (found.min_incidents if found else None) or DEFAULT_MIN_INCIDENTS
    days = (found.window_days if found else None) or DEFAULT_WINDOW_DAYS
    calendar = found.calendar if found else None
    if calendar is None:
        clock_row = (
            SLAClock.objects.filter(
                work_order__organisation=organisation,
                work_order__kind=WorkOrderKind.INCIDENT,
                metric=SLAMetric.RESOLUTION,
                calendar__isnull=False,
            )
            .select_related("calendar")
            .order_by("-work_order__created_at", "-pk")
            .first()
        )
        calendar = clock_row.calendar if clock_row else None
    return k, days, calendar


def window_start(calendar: BusinessCalendar, now: dt.datetime, days: int) -> dt.datetime | None:
    """The start of the window of `days` working days ending now on the calendar (None: data missing)."""
    try:
        spec = calendar_spec(calendar)
        segments = working_segments(spec, now - dt.timedelta(days=days * 2 + LOOKBACK_EXTRA_DAYS), now)
    except CalendarDataMissing:
        return None
    return clustering.window_start(clustering.working_day_starts(segments, spec.tz), now, days)


def _open_problem_keys(organisation) -> set[str]:
    """The services, categories and configuration items that already have an open problem."""
    open_problems = Problem.objects.filter(organisation=organisation, status__in=OPEN_PROBLEM_STATUSES)
    rows = open_problems.filter(service__isnull=False).values_list("service_id", "service__category_id")
    keys = set()
    for service_id, category_id in rows:
        keys.add(f"service:{service_id}")
        if category_id:
            keys.add(f"category:{category_id}")
    for ci_id in open_problems.filter(configuration_items__isnull=False).values_list("configuration_items", flat=True):
        keys.add(f"ci:{ci_id}")
    return keys


def _notify(suggestion: ProblemSuggestion, label: str) -> None:
    """Tell the client's supervisors and administrators (once per suggestion and person)."""
    url = reverse("problems:suggestions")
    count = len(suggestion.work_order_ids)
    recipients = User.objects.filter(
        organisation_id=suggestion.organisation_id,
        role__in=(Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR),
        is_active=True,
    )
    for recipient in recipients:
        notification, created = notification_create(
            recipient=recipient,
            kind=NOTIFICATION_KIND,
            dedupe_key=f"problem-suggestion:{suggestion.pk}:{recipient.pk}",
            subject=lambda: (
                gettext("%(count)s recurring incidents suggest a problem: %(shared)s")
                % {"count": count, "shared": label}
            ),
            body=lambda: gettext("Open a problem or dismiss the suggestion: %(url)s") % {"url": url},
        )
        if created:
            notification_queue_email(notification=notification)


def _linked_items(work_order_ids: list[int]) -> dict[int, list[int]]:
    """Work order id -> the ids of the configuration items linked to it (the configuration app's links; a
    system read for the whole organisation, as the rest of the detection)."""
    found: dict[int, list[int]] = {}
    rows = WorkOrderCI.objects.filter(work_order_id__in=work_order_ids).values_list("work_order_id", "ci_id")
    for work_order_id, ci_id in rows.order_by("work_order_id", "ci_id"):
        found.setdefault(work_order_id, []).append(ci_id)
    return found


def _shared(key: str) -> dict:
    """What a cluster key names: its dimension and the service, category or configuration item."""
    kind, _sep, pk = key.partition(":")
    if kind == ClusterDimension.SERVICE:
        return {"dimension": kind, "service": Service.objects.filter(pk=pk).first()}
    if kind == ClusterDimension.CI:
        return {"dimension": kind, "configuration_item": ConfigurationItem.objects.filter(pk=pk).first()}
    return {"dimension": ClusterDimension.CATEGORY, "category": ServiceCategory.objects.filter(pk=pk).first()}


#: When two clusters hold the same incidents, the first dimension here says it (a category or an item whose
#: incidents are exactly one service's says nothing more than the service; a category's that are exactly one
#: item's are that item's).
PRECEDENCE = (ClusterDimension.SERVICE, ClusterDimension.CI, ClusterDimension.CATEGORY)


def _distinct(every: list[clustering.Cluster]) -> list[clustering.Cluster]:
    """The clusters that say something: one per set of incidents, the most specific dimension kept."""
    rank = {dimension: n for n, dimension in enumerate(PRECEDENCE)}
    first: dict[tuple[int, ...], str] = {}
    for cluster in sorted(every, key=lambda c: (rank[c.key.partition(":")[0]], c.key)):
        first.setdefault(cluster.incident_ids, cluster.key)
    return [c for c in every if first[c.incident_ids] == c.key]


@transaction.atomic
def suggestions_detect(*, organisation, now: dt.datetime | None = None, event_id: str = "") -> list[ProblemSuggestion]:
    """Store (once) and announce a suggestion for each new cluster of recurring incidents of the organisation."""
    now = now or clock.now()
    k, days, calendar = rule_for(organisation)
    if calendar is None:
        return []
    since = window_start(calendar, now, days)
    if since is None:
        return []
    rows = list(
        WorkOrder.objects.filter(
            organisation=organisation, kind=WorkOrderKind.INCIDENT, created_at__gte=since, created_at__lte=now
        ).values_list("pk", "created_at", "service_id", "service__category_id")
    )
    items = _linked_items([row[0] for row in rows])
    incidents = [
        clustering.Incident(
            id=pk,
            at=at,
            keys=(
                *(key for key in (f"service:{sid}", f"category:{cid}" if cid else "") if key),
                *(f"ci:{ci_id}" for ci_id in items.get(pk, ())),
            ),
        )
        for pk, at, sid, cid in rows
    ]
    suggested = set(
        ProblemSuggestion.objects.filter(organisation=organisation)
        .filter(Q(created_at__gte=since) | Q(status="open"))
        .values_list("key", flat=True)
    )
    excluded = _open_problem_keys(organisation) | suggested
    every = clustering.find_clusters(incidents, since=since, until=now, k=k)
    clusters = [c for c in _distinct(every) if c.key not in excluded]
    created = []
    for cluster in clusters:
        shared = _shared(cluster.key)
        try:
            with transaction.atomic():
                suggestion = ProblemSuggestion.objects.create(
                    organisation=organisation,
                    key=cluster.key,
                    **shared,
                    work_order_ids=list(cluster.incident_ids),
                    window_start=since,
                    created_at=now,
                    event_id=event_id[:32],
                )
        except IntegrityError:
            continue  # suggested meanwhile by a concurrent run
        audit_record(
            actor=None,
            action="problems.problemsuggestion.created",
            obj=suggestion,
            after=model_snapshot(suggestion),
        )
        publish(PROBLEM_SUGGESTED, suggestion_id=suggestion.pk)
        _notify(suggestion, str(next(value for name, value in shared.items() if name != "dimension")))
        created.append(suggestion)
    return created
