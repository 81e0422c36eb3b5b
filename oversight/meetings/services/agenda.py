"""The agenda prefilled from the service's data (OpenProject's agenda backlog, filled by the data instead of by
hand). For the period since the previous meeting of the series (or, for the first one, the series' cadence),
each owning app's selectors — read as the person who runs the prefill, so nobody puts on an agenda what they may
not see — give the lines about the meeting's vendor:

- SLA breaches of its work orders in the period; its open complaints; low ratings (1–2 stars) in the period;
  its open problems; its changes planned in the coming window (one cadence ahead);
- key risk indicators of the vendor whose latest reading is red, and the vendor's risks whose review is overdue —
  the client's own risk work: those lines are for the client side only;
- its latest evaluation period and settlement statement (client side only while they are drafts);
- open action items of the plan's earlier meetings, carried forward until closed.

Each line links to its object. Running the prefill again adds what is new, drops the lines whose object no longer
qualifies (a complaint closed, an action done) and keeps every typed line and every line still true as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from oversight.audit.services import audit_record
from oversight.changes.selectors import changes_on_calendar
from oversight.core import clock
from oversight.core.concurrency import lock_row
from oversight.feedback.choices import ComplaintStatus
from oversight.feedback.selectors import complaint_list, rating_list
from oversight.meetings import permissions
from oversight.meetings.choices import (
    AD_HOC_WINDOW_DAYS,
    CADENCE_DAYS,
    OPEN_ACTION_STATUSES,
    AgendaKind,
    Audience,
    MeetingStatus,
)
from oversight.meetings.models import ActionItem, AgendaItem, Meeting
from oversight.meetings.services.meetings import _editable
from oversight.problems.selectors import open_problems
from oversight.risks.choices_triggers import KriStatus
from oversight.risks.selectors import kri_list, risks_review_overdue
from oversight.scorecards.choices import PeriodStatus
from oversight.scorecards.selectors import period_list
from oversight.settlement.choices import StatementStatus
from oversight.settlement.selectors import statement_list
from oversight.tickets.selectors import clock_list

#: A rating at or below this many stars is a low rating.
LOW_RATING_STARS = 2
#: Lines of one kind read at most (the agenda is for people, not a report).
MAX_PER_KIND = 25


@dataclass(frozen=True)
class Line:
    """One prefilled agenda line: what it is about and how it reads."""

    kind: str
    source_type: str
    source_id: int
    title: str
    url: str
    data: dict = field(default_factory=dict)
    audience: str = Audience.ALL


def agenda_window(meeting: Meeting) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(since, until, ahead): the period looked back on — from the previous meeting of the series that was not
    cancelled (else one cadence) to this meeting's start — and the end of the coming window (one cadence ahead)."""
    days = CADENCE_DAYS.get(meeting.series.kind, AD_HOC_WINDOW_DAYS) if meeting.series_id else AD_HOC_WINDOW_DAYS
    cadence = dt.timedelta(days=days)
    since = meeting.starts_at - cadence
    if meeting.series_id:
        previous = (
            Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("-starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        if previous is not None:
            since = previous
    return since, meeting.starts_at, meeting.starts_at + cadence


def _iso(value: dt.datetime | dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _span(contract, period) -> str:
    return f"{contract} {period.starts_on.isoformat()} – {period.ends_on.isoformat()}"


def collect_lines(*, user, meeting: Meeting) -> list[Line]:
    """Every line the service data gives for the meeting, in agenda order (module docstring)."""
    vendor_id = meeting.vendor_id
    since, until, ahead = agenda_window(meeting)
    lines: list[Line] = []
    clocks = (
        clock_list(user=user)
        .filter(work_order__vendor_id=vendor_id, breached_at__gte=since, breached_at__lt=until)
        .order_by("breached_at", "pk")[:MAX_PER_KIND]
    )
    for clock_row in clocks:
        order = clock_row.work_order
        lines.append(
            Line(
                AgendaKind.SLA_BREACH,
                "tickets.slaclock",
                clock_row.pk,
                f"{order.number} {order.title}",
                order.get_absolute_url(),
                {"metric": clock_row.metric, "at": _iso(clock_row.breached_at)},
            )
        )
    complaints = (
        complaint_list(user=user)
        .filter(vendor_id=vendor_id, status__in=(ComplaintStatus.OPEN, ComplaintStatus.INVESTIGATING))
        .order_by("opened_at", "pk")[:MAX_PER_KIND]
    )
    for complaint in complaints:
        lines.append(
            Line(
                AgendaKind.COMPLAINT,
                "feedback.complaint",
                complaint.pk,
                complaint.summary or f"#{complaint.pk}",
                complaint.get_absolute_url(),
                {"at": _iso(complaint.opened_at), "status": complaint.status},
            )
        )
    ratings = (
        rating_list(user=user)
        .filter(vendor_id=vendor_id, stars__lte=LOW_RATING_STARS, created_at__gte=since, created_at__lt=until)
        .order_by("created_at", "pk")[:MAX_PER_KIND]
    )
    for rating in ratings:
        lines.append(
            Line(
                AgendaKind.LOW_RATING,
                "feedback.rating",
                rating.pk,
                f"{rating.work_order.number} {rating.work_order.title}",
                rating.work_order.get_absolute_url(),
                {"stars": rating.stars, "at": _iso(rating.created_at)},
            )
        )
    for problem in open_problems(user=user).filter(vendor_id=vendor_id).order_by("created_at", "pk")[:MAX_PER_KIND]:
        lines.append(
            Line(
                AgendaKind.PROBLEM,
                "problems.problem",
                problem.pk,
                f"{problem.number} {problem.title}",
                problem.get_absolute_url(),
                {"status": problem.status},
            )
        )
    changes = changes_on_calendar(user=user, since=until, until=ahead).filter(implementer_id=vendor_id)
    for change in changes[:MAX_PER_KIND]:
        lines.append(
            Line(
                AgendaKind.CHANGE,
                "changes.change",
                change.pk,
                f"{change.number} {change.title}",
                change.get_absolute_url(),
                {"at": _iso(change.planned_start), "status": change.status},
            )
        )
    kris = kri_list(user=user).filter(vendor_id=vendor_id, is_active=True, latest_status=KriStatus.RED)
    for kri in kris.order_by("name", "pk")[:MAX_PER_KIND]:
        lines.append(
            Line(
                AgendaKind.KRI,
                "risks.keyriskindicator",
                kri.pk,
                kri.localized_name,
                kri.get_absolute_url(),
                {"value": str(kri.latest_value), "period": _iso(kri.latest_period)},
                Audience.CLIENT,
            )
        )
    for risk in risks_review_overdue(user=user).filter(vendor_id=vendor_id)[:MAX_PER_KIND]:
        lines.append(
            Line(
                AgendaKind.RISK_REVIEW,
                "risks.risk",
                risk.pk,
                f"{risk.number} {risk.title}",
                risk.get_absolute_url(),
                {"at": _iso(risk.next_review_date)},
                Audience.CLIENT,
            )
        )
    period = period_list(user=user).filter(vendor_id=vendor_id).order_by("-ends_on", "-revision", "-pk").first()
    if period is not None:
        lines.append(
            Line(
                AgendaKind.EVALUATION,
                "scorecards.evaluationperiod",
                period.pk,
                _span(period.contract, period),
                period.get_absolute_url(),
                {"score": str(period.total_score) if period.total_score is not None else "", "status": period.status},
                Audience.CLIENT if period.status == PeriodStatus.DRAFT else Audience.ALL,
            )
        )
    statement = statement_list(user=user).filter(vendor_id=vendor_id).order_by("-period__ends_on", "-pk").first()
    if statement is not None:
        lines.append(
            Line(
                AgendaKind.SETTLEMENT,
                "settlement.settlementstatement",
                statement.pk,
                _span(statement.contract, statement.period),
                statement.get_absolute_url(),
                {"total": str(statement.total), "currency": statement.contract.currency, "status": statement.status},
                Audience.ALL if statement.status == StatementStatus.APPROVED else Audience.CLIENT,
            )
        )
    carried = (
        ActionItem.objects.filter(
            meeting__plan_id=meeting.plan_id,
            meeting__starts_at__lt=meeting.starts_at,
            status__in=OPEN_ACTION_STATUSES,
        )
        .select_related("owner")
        .order_by("due_at", "pk")
    )
    for item in carried[:MAX_PER_KIND]:
        lines.append(
            Line(
                AgendaKind.ACTION_ITEM,
                "meetings.actionitem",
                item.pk,
                item.title,
                item.get_absolute_url(),
                {"due": _iso(item.due_on), "owner": item.owner.get_full_name() or item.owner.username},
            )
        )
    return lines


@transaction.atomic
def meeting_prefill_agenda(*, actor, meeting: Meeting) -> dict[str, int]:
    """Fill (or refresh) the agenda from the service data; idempotent, typed lines kept. Returns how many lines
    were added, kept and dropped."""
    locked = lock_row(meeting, "series", "plan")
    permissions.require(permissions.may_manage(actor, locked))
    _editable(locked)
    lines = collect_lines(user=actor, meeting=locked)
    wanted = {(line.kind, line.source_type, line.source_id): line for line in lines}
    existing = {
        (item.kind, item.source_type, item.source_id): item
        for item in AgendaItem.objects.filter(meeting=locked).exclude(kind=AgendaKind.MANUAL)
    }
    stale = [item.pk for key, item in existing.items() if key not in wanted]
    AgendaItem.objects.filter(pk__in=stale).delete()
    position = AgendaItem.objects.filter(meeting=locked).aggregate(m=Max("position"))["m"] or 0
    added = []
    kept = 0
    for key, line in wanted.items():
        item = existing.get(key)
        if item is not None:
            changed = [
                name
                for name, value in (("title", line.title[:300]), ("url", line.url), ("data", line.data))
                if getattr(item, name) != value
            ]
            for name in changed:
                setattr(item, name, getattr(line, name)[:300] if name == "title" else getattr(line, name))
            if item.audience != line.audience:
                item.audience = line.audience
                changed.append("audience")
            if changed:
                item.save(update_fields=changed)
            kept += 1
            continue
        position += 1
        added.append(
            AgendaItem(
                meeting=locked,
                position=position,
                kind=line.kind,
                audience=line.audience,
                title=line.title[:300],
                url=line.url,
                data=line.data,
                source_type=line.source_type,
                source_id=line.source_id,
            )
        )
    AgendaItem.objects.bulk_create(added)
    now = clock.now()
    locked.prefilled_at = now
    locked.save(update_fields=["prefilled_at"])
    counts = {"added": len(added), "kept": kept, "dropped": len(stale)}
    if added or stale:
        audit_record(actor=actor, action="meetings.meeting.agenda_prefilled", obj=locked, after=counts)
    return counts
