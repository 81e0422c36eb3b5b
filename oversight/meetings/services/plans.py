"""Writes of communication plans, their rows and their meeting series, and the scheduling of a series' meetings
on the plan's business calendar (`oversight.meetings.recurrence`: a non-working day moves to the next working
day)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog.calendars import calendar_spec
from oversight.core import clock
from oversight.core.concurrency import lock_row
from oversight.core.errors import ApplicationError
from oversight.meetings import permissions, recurrence
from oversight.meetings.choices import DEFAULT_RULES, Channel, Frequency, MeetingStatus, SeriesKind, Side
from oversight.meetings.models import CommunicationPlan, Meeting, MeetingSeries, Participant, PlanRow
from oversight.tenancy.roles import CLIENT_ROLES

#: How far ahead a series is scheduled when no date is given (days).
SCHEDULE_AHEAD_DAYS = 92


def side_of(user, meeting_like) -> str | None:
    """The side a person takes in a vendor's meeting: the client's staff, or that vendor's staff; else None."""
    if user is None or user.organisation_id != meeting_like.organisation_id or not user.is_active:
        return None
    if user.vendor_id:
        return Side.VENDOR if user.vendor_id == meeting_like.vendor_id else None
    return Side.CLIENT if user.role in CLIENT_ROLES else None


def _check_people(people, owner) -> list:
    people = list(people)
    for person in people:
        if side_of(person, owner) is None:
            raise ApplicationError(
                _("%(person)s is neither on the client's side nor on this vendor's.") % {"person": person}
            )
    return people


def calendar_error(exc: CalendarDataMissing) -> ApplicationError:
    """The one message when a calendar has no holiday data for a year a date falls in."""
    return ApplicationError(
        _("The business calendar has no public-holiday data for %(year)s yet: ask an administrator to load it.")
        % {"year": exc.year}
    )


@transaction.atomic
def plan_create(
    *,
    actor,
    vendor,
    calendar,
    name: str,
    name_en: str = "",
    contract=None,
    minutes_due_days: int = 3,
    action_due_days: int = 5,
) -> CommunicationPlan:
    """Open a communication plan for one of the organisation's vendors (optionally for one contract)."""
    permissions.require(permissions.may_plan(actor))
    organisation = actor.organisation
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the plan a name."))
    if vendor.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    if calendar.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a business calendar of your own organisation."))
    if contract is not None and (contract.organisation_id != organisation.pk or contract.vendor_id != vendor.pk):
        raise ApplicationError(_("The contract must be one of the vendor's contracts."))
    if not (0 <= int(minutes_due_days) <= 60 and 0 <= int(action_due_days) <= 250):
        raise ApplicationError(_("Give the deadlines in working days (minutes 0–60, actions 0–250)."))
    now = clock.now()
    plan = CommunicationPlan.objects.create(
        organisation=organisation,
        vendor=vendor,
        contract=contract,
        name=name,
        name_en=(name_en or "").strip(),
        calendar=calendar,
        minutes_due_days=int(minutes_due_days),
        action_due_days=int(action_due_days),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    audit_record(actor=actor, action="meetings.communicationplan.created", obj=plan, after=model_snapshot(plan))
    return plan


@transaction.atomic
def plan_row_add(
    *, actor, plan: CommunicationPlan, stakeholder: str, topic: str, channel: str, frequency: str, owner
) -> PlanRow:
    """Add a row to a plan: a stakeholder kept informed about a topic through a channel, how often, by whom."""
    permissions.require(permissions.may_plan(actor, plan.organisation_id))
    stakeholder, topic = (stakeholder or "").strip(), (topic or "").strip()
    if not stakeholder or not topic:
        raise ApplicationError(_("Name the stakeholder and the topic."))
    if channel not in Channel.values or frequency not in Frequency.values:
        raise ApplicationError(_("Choose a channel and a frequency."))
    _check_people([owner], plan)
    row = PlanRow.objects.create(
        plan=plan, stakeholder=stakeholder, topic=topic, channel=channel, frequency=frequency, owner=owner
    )
    audit_record(
        actor=actor,
        action="meetings.planrow.created",
        obj=row,
        organisation=plan.organisation,
        after=model_snapshot(row),
    )
    return row


@transaction.atomic
def series_create(
    *,
    actor,
    plan: CommunicationPlan,
    kind: str,
    name: str,
    starts_on: dt.date,
    start_minute: int,
    duration_minutes: int = 60,
    rule: str = "",
    name_en: str = "",
    ends_on: dt.date | None = None,
    location: str = "",
    online_link: str = "",
    participants=(),
    minutes_due_days: int | None = None,
) -> MeetingSeries:
    """Add a standing meeting to a plan; its meetings are scheduled by `series_schedule`."""
    permissions.require(permissions.may_plan(actor, plan.organisation_id))
    if kind not in SeriesKind.values:
        raise ApplicationError(_("Choose the kind of meeting series."))
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the series a name."))
    rule = (rule or DEFAULT_RULES[kind]).strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if "DTSTART" in rule:
        raise ApplicationError(_("Give the rule without DTSTART: the first date is its own field."))
    try:
        recurrence.check_rule(rule)
    except recurrence.RecurrenceError:
        raise ApplicationError(_("The recurrence rule is not valid (for example FREQ=WEEKLY;BYDAY=MO).")) from None
    if start_minute is None or not 0 <= int(start_minute) < 1440:
        raise ApplicationError(_("Give the meeting's start time."))
    if not 1 <= int(duration_minutes) <= 720:
        raise ApplicationError(_("A meeting lasts between 1 minute and 12 hours."))
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError(_("The last date must not be before the first."))
    people = _check_people(participants, plan)
    series = MeetingSeries.objects.create(
        organisation=plan.organisation,
        vendor=plan.vendor,
        plan=plan,
        kind=kind,
        name=name,
        name_en=(name_en or "").strip(),
        rule=rule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_minute=int(start_minute),
        duration_minutes=int(duration_minutes),
        location=(location or "").strip(),
        online_link=(online_link or "").strip(),
        minutes_due_days=minutes_due_days,
        created_by=actor,
        created_at=clock.now(),
    )
    series.participants.set(people)
    audit_record(
        actor=actor,
        action="meetings.meetingseries.created",
        obj=series,
        after=model_snapshot(series) | {"participants": [p.pk for p in people]},
    )
    return series


def series_occurrences(series: MeetingSeries, *, until: dt.date) -> list[recurrence.Occurrence]:
    """The series' occurrences up to ``until`` on its plan's calendar (refused for a year without holiday data)."""
    try:
        return recurrence.occurrences(
            spec=calendar_spec(series.plan.calendar),
            rule=series.rule,
            first=series.starts_on,
            until=until,
            start_minute=series.start_minute,
            last=series.ends_on,
        )
    except CalendarDataMissing as exc:
        raise calendar_error(exc) from None


def add_participants(meeting: Meeting, people) -> None:
    """Invite people to a meeting (each on their side); someone already invited stays as they are."""
    have = set(meeting.participants.values_list("user_id", flat=True))
    Participant.objects.bulk_create(
        [Participant(meeting=meeting, user=p, side=side_of(p, meeting)) for p in people if p.pk not in have]
    )


@transaction.atomic
def series_schedule(*, actor, series: MeetingSeries, until: dt.date | None = None) -> list[Meeting]:
    """Create the meetings of a series up to ``until`` (default: three months ahead) that do not exist yet;
    running it again creates nothing twice. Returns the meetings created."""
    locked = lock_row(series, "plan", "plan__calendar")
    permissions.require(permissions.may_plan(actor, locked.organisation_id))
    now = clock.now()
    until = until or (now + dt.timedelta(days=SCHEDULE_AHEAD_DAYS)).date()
    existing = set(locked.meetings.values_list("nominal_date", flat=True))
    people = list(locked.participants.all())
    created = []
    for occurrence in series_occurrences(locked, until=until):
        if occurrence.nominal in existing:
            continue
        meeting = Meeting.objects.create(
            organisation=locked.organisation,
            vendor=locked.vendor,
            contract=locked.plan.contract,
            plan=locked.plan,
            series=locked,
            nominal_date=occurrence.nominal,
            title=locked.name,
            starts_at=occurrence.start,
            ends_at=occurrence.start + dt.timedelta(minutes=locked.duration_minutes),
            location=locked.location,
            online_link=locked.online_link,
            status=MeetingStatus.PLANNED,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        add_participants(meeting, people)
        created.append(meeting)
    if created:
        audit_record(
            actor=actor,
            action="meetings.meetingseries.generated",
            obj=locked,
            after={"meetings": [m.pk for m in created], "until": until.isoformat()},
        )
    return created
