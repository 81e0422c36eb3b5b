"""Suggesting problems from recurring incidents: the ORM side of the pure rule in `problems.clustering`.

`suggestions_detect(organisation=...)` reads the organisation's rule (k incidents within W business days,
`ProblemSettings`), the working days of its business calendar, the incidents received in the window and the
services and categories that already have an open problem, runs `clustering.find_clusters` and stores each new
cluster once as a `ProblemSuggestion`, telling the client's supervisors. It runs after every new work order
(the `tickets.work_order.created` handler, in-process when embedded) and periodically for every organisation
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
    """The services and categories that already have an open problem."""
    rows = Problem.objects.filter(
        organisation=organisation, status__in=OPEN_PROBLEM_STATUSES, service__isnull=False
    ).values_list("service_id", "service__category_id")
    keys = set()
    for service_id, category_id in rows:
        keys.add(f"service:{service_id}")
        if category_id:
            keys.add(f"category:{category_id}")
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


def _label(key: str) -> tuple[str, Service | None, ServiceCategory | None]:
    kind, _sep, pk = key.partition(":")
    if kind == ClusterDimension.SERVICE:
        service = Service.objects.filter(pk=pk).first()
        return ClusterDimension.SERVICE, service, None
    category = ServiceCategory.objects.filter(pk=pk).first()
    return ClusterDimension.CATEGORY, None, category


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
    rows = WorkOrder.objects.filter(
        organisation=organisation, kind=WorkOrderKind.INCIDENT, created_at__gte=since, created_at__lte=now
    ).values_list("pk", "created_at", "service_id", "service__category_id")
    incidents = [
        clustering.Incident(
            id=pk,
            at=at,
            keys=tuple(key for key in (f"service:{sid}", f"category:{cid}" if cid else "") if key),
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
    # A category whose cluster holds exactly one service's cluster says nothing more: the service is suggested.
    services_ = {c.incident_ids for c in every if c.key.startswith(f"{ClusterDimension.SERVICE}:")}
    clusters = [
        c
        for c in every
        if c.key not in excluded
        and (c.key.startswith(f"{ClusterDimension.SERVICE}:") or c.incident_ids not in services_)
    ]
    created = []
    for cluster in clusters:
        dimension, service, category = _label(cluster.key)
        try:
            with transaction.atomic():
                suggestion = ProblemSuggestion.objects.create(
                    organisation=organisation,
                    dimension=dimension,
                    key=cluster.key,
                    service=service,
                    category=category,
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
        _notify(suggestion, str(service or category))
        created.append(suggestion)
    return created
