"""The problem indicators, registered in `oversight.core.kpis` (imported from `ProblemsConfig.ready()`).

One loader (``problems``) reads a vendor's problems and incidents once per window; the formulas are the pure
functions of :mod:`oversight.problems.indicators` (docs/formulas.md §"Problems"). The records behind a figure
are problems or incidents, listed through the gate (`problems.selectors`, `tickets.selectors`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oversight.businesstime.engine import CalendarDataMissing, business_seconds_between
from oversight.catalog.calendars import calendar_spec
from oversight.core.kpis import Loader, RecordKind, Scope, Unit, process_source, registry
from oversight.kpi.facts import Period
from oversight.problems import indicators
from oversight.problems.choices import ProblemStatus
from oversight.problems.detection import rule_for
from oversight.problems.models import KnownError, Problem, ProblemIncident
from oversight.problems.selectors import problem_list
from oversight.tenancy.models import Organisation
from oversight.tickets.choices import WorkOrderKind
from oversight.tickets.models import WorkOrder
from oversight.tickets.selectors import work_order_list

OWNER = "problems"
LOADER = "problems"
RECORD_PROBLEM = "problem"
RECORD_INCIDENT = "problem_incident"


@dataclass
class ProblemKpiFacts:
    """A vendor's problems and incidents for one window."""

    problems: list[indicators.ProblemFacts] = field(default_factory=list)
    incidents: list[indicators.IncidentFacts] = field(default_factory=list)


def _seconds(spec, start, end) -> Decimal | None:
    if spec is None or end is None:
        return None
    try:
        return Decimal(str(round(business_seconds_between(spec, start, end), 6)))
    except CalendarDataMissing:
        return None


def load_problem_facts(scope: Scope, period: Period) -> ProblemKpiFacts:
    """The problems attributed to the vendor opened before the period's end, and its incidents received in it."""
    organisation = Organisation.objects.get(pk=scope.organisation_id)
    _k, _w, calendar = rule_for(organisation)
    try:
        spec = calendar_spec(calendar) if calendar is not None else None
    except CalendarDataMissing:
        spec = None
    rows = Problem.objects.filter(
        organisation_id=scope.organisation_id, vendor_id=scope.vendor_id, created_at__lt=period.end
    ).values_list("pk", "status", "created_at", "root_cause_found_at", "resolved_at", "closed_at")
    problems = [
        indicators.ProblemFacts(
            id=pk,
            created_at=created,
            cancelled=status == ProblemStatus.CANCELLED,
            root_cause_found_at=found,
            resolved_at=resolved,
            ended_at=closed,
            seconds_to_root_cause=_seconds(spec, created, found),
        )
        for pk, status, created, found, resolved, closed in rows
    ]
    received = list(
        WorkOrder.objects.filter(
            organisation_id=scope.organisation_id,
            vendor_id=scope.vendor_id,
            kind=WorkOrderKind.INCIDENT,
            created_at__gte=period.start,
            created_at__lt=period.end,
        ).values_list("pk", "created_at", "problem_link__problem_id")
    )
    problem_ids = {p for _pk, _at, p in received if p is not None}
    known = set(KnownError.objects.filter(problem_id__in=problem_ids).values_list("problem_id", flat=True))
    sizes: dict[int, int] = {}
    for problem_id in ProblemIncident.objects.filter(problem_id__in=problem_ids).values_list("problem_id", flat=True):
        sizes[problem_id] = sizes.get(problem_id, 0) + 1
    incidents = [
        indicators.IncidentFacts(
            id=pk,
            received_at=at,
            problem_id=problem_id,
            known_error=problem_id in known,
            problem_incidents=sizes.get(problem_id, 0),
        )
        for pk, at, problem_id in received
    ]
    return ProblemKpiFacts(problems=problems, incidents=incidents)


def _problems(*, user, period, ids):
    return problem_list(user=user).filter(pk__in=ids)


def _incidents(*, user, period, ids):
    return work_order_list(user=user).filter(pk__in=ids).select_related("service", "requester")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def register() -> None:
    """Register the loader, the record kinds and the four sources (once, from `ProblemsConfig.ready()`)."""
    if registry.find(indicators.PROBLEM_RESOLUTION_RATE) is not None:
        return
    registry.register_loader(Loader(LOADER, load_problem_facts, ProblemKpiFacts))
    registry.register_record_kind(
        RecordKind(
            RECORD_PROBLEM,
            _("Problems"),
            _problems,
            ("created_at", "pk"),
            lambda r: {
                "id": r.pk,
                "number": r.number,
                "title": r.title,
                "status": r.status,
                "opened_at": r.created_at.isoformat(),
                "root_cause_found_at": _iso(r.root_cause_found_at),
                "resolved_at": _iso(r.resolved_at),
            },
            "problems/partials/records/problem.html",
        )
    )
    registry.register_record_kind(
        RecordKind(
            RECORD_INCIDENT,
            _("Incidents"),
            _incidents,
            ("created_at", "pk"),
            lambda r: {"id": r.pk, "number": r.number, "title": r.title, "status": r.status},
            "problems/partials/records/incident.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


SOURCES = (
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.PROBLEM_RESOLUTION_RATE,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Problem resolution rate (%)"),
        short_label=_("Problem resolution rate"),
        definition=_(
            "Problems attributed to the vendor that were resolved in the period, as a share of those open at some "
            "time in it (cancelled problems count in neither)."
        ),
        record_kind=RECORD_PROBLEM,
        formula=indicators.problem_resolution_rate,
        facts="problems",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.MEAN_TIME_TO_ROOT_CAUSE,
        unit=Unit.SECONDS,
        higher_is_better=False,
        label=_("Mean time to root cause (seconds)"),
        short_label=_("Mean time to root cause"),
        definition=_(
            "Mean business time, on the organisation's calendar, from opening a problem attributed to the vendor "
            "to finding its root cause, over the problems whose root cause was found in the period."
        ),
        record_kind=RECORD_PROBLEM,
        formula=indicators.mean_time_to_root_cause,
        facts="problems",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.KNOWN_ERROR_SHARE,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Incidents linked to a known error (%)"),
        short_label=_("Incidents linked to a known error"),
        definition=_(
            "The vendor's incidents received in the period that are linked to a problem with a known error, as a "
            "share of its incidents received in the period."
        ),
        record_kind=RECORD_INCIDENT,
        formula=indicators.known_error_share,
        facts="incidents",
    ),
    process_source(
        owner=OWNER,
        loader=LOADER,
        code=indicators.RECURRING_INCIDENTS,
        unit=Unit.COUNT,
        higher_is_better=False,
        label=_("Recurring incidents"),
        short_label=_("Recurring incidents"),
        definition=_(
            "The vendor's incidents received in the period that are linked to a problem with at least two linked "
            "incidents."
        ),
        record_kind=RECORD_INCIDENT,
        formula=indicators.recurring_incidents,
        facts="incidents",
    ),
)
