"""The escalation engine: an episode per (trigger, subject, start), its levels sent exactly once when they fall
due in business hours on the matrix's calendar, settled when the subject is resolved (no further level).

Exactly once: a level is a row of `EscalationStep`, unique per (escalation, level), written under the
escalation's row lock; each notice carries a dedupe key naming the escalation, the level and the person. A
sweep run twice, a handler run twice or two workers racing send nothing twice.

Which matrix: the vendor's own matrix when it has rows for the trigger, else the organisation's. Which rows: those
of the episode's priority when there are any, else those for every priority."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from oversight.audit.services import audit_record
from oversight.audit.transitions import transition
from oversight.businesstime.engine import CalendarDataMissing, add_business_seconds, is_business_time
from oversight.catalog.calendars import calendar_spec
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.liaisons.choices import ESCALATION_MACHINE, Delivery, EscalationAction, EscalationStatus, Trigger
from oversight.liaisons.events import ESCALATION_RAISED, ESCALATION_SETTLED, ESCALATION_STEPPED
from oversight.liaisons.models import Escalation, EscalationMatrix, EscalationRule, EscalationStep, Liaison
from oversight.notifications.channels.choices import Severity
from oversight.notifications.channels.services import channel_message_send
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.tenancy.models import User

logger = logging.getLogger(__name__)

#: From this level on a group-chat message is critical (sent even in the channel's quiet hours).
CRITICAL_LEVEL = 3
#: Notifications of escalation levels have this kind (the work-order topic in a person's e-mail settings).
NOTIFICATION_KIND = "escalation"


def matrix_rules(
    *, organisation_id: int, vendor_id: int | None, trigger: str, priority: str = ""
) -> tuple[EscalationMatrix | None, list[EscalationRule]]:
    """The matrix that routes a trigger (the vendor's override, else the organisation's) and its rows, by level."""
    matrices = EscalationMatrix.objects.select_related("calendar").filter(organisation_id=organisation_id)
    candidates = []
    if vendor_id is not None:
        candidates.append(matrices.filter(vendor_id=vendor_id).first())
    candidates.append(matrices.filter(vendor__isnull=True).first())
    for matrix in candidates:
        if matrix is None:
            continue
        rows = list(
            matrix.rules.filter(trigger=trigger).select_related("channel").prefetch_related("users").order_by("level")
        )
        if not rows:
            continue
        exact = [r for r in rows if priority and r.priority == priority]
        chosen = exact or [r for r in rows if not r.priority]
        if chosen:
            return matrix, chosen
    return None, []


def matrix_covers(*, trigger: str, organisation_id: int, vendor_id: int | None, priority: str = "") -> bool:
    """Whether a matrix routes this trigger (registered in ``core.escalation_routes`` for the apps below)."""
    return bool(
        matrix_rules(organisation_id=organisation_id, vendor_id=vendor_id, trigger=trigger, priority=priority)[1]
    )


def level_due_at(*, matrix: EscalationMatrix, started_at: dt.datetime, wait_hours: Decimal) -> dt.datetime:
    """When a level falls due: ``wait_hours`` business hours on the matrix's calendar after the start."""
    seconds = int((Decimal(wait_hours) * 3600).to_integral_value())
    return add_business_seconds(calendar_spec(matrix.calendar), started_at.astimezone(dt.UTC), seconds)


def escalation_raise(
    *,
    trigger: str,
    organisation,
    vendor,
    subject_type: str,
    subject_id: int,
    title: str,
    url: str,
    started_at: dt.datetime,
    priority: str = "",
) -> Escalation:
    """Open the escalation episode of a subject (idempotent on trigger, subject and start) and send the levels
    already due; the system is the actor."""
    if trigger not in Trigger.values:
        raise ApplicationError(gettext("Unknown escalation trigger."))
    if subject_type.count(".") != 1 or subject_type != subject_type.lower():
        raise ApplicationError(gettext("The subject type is “app_label.model”."))
    if started_at.tzinfo is None:
        raise ApplicationError(gettext("The start of an escalation needs a time zone."))
    key = {"trigger": trigger, "subject_type": subject_type, "subject_id": subject_id, "started_at": started_at}
    escalation = Escalation.objects.filter(**key).first()
    if escalation is None:
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    **key,
                    organisation=organisation,
                    vendor=vendor,
                    title=(title or "")[:300],
                    url=(url or "")[:300],
                    priority=priority or "",
                    created_at=clock.now(),
                )
                audit_record(
                    actor=None,
                    action="liaisons.escalation.raised",
                    obj=escalation,
                    organisation=organisation,
                    after={"trigger": trigger, "subject": f"{subject_type}:{subject_id}", "priority": priority or ""},
                )
                publish(
                    ESCALATION_RAISED,
                    escalation_id=escalation.pk,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    trigger=trigger,
                )
        except IntegrityError:
            escalation = Escalation.objects.get(**key)
            return escalation
        escalation_advance(escalation_id=escalation.pk)
        escalation.refresh_from_db()
    return escalation


def escalation_settle(*, trigger: str, subject_type: str, subject_id: int, at: dt.datetime) -> int:
    """Settle the subject's open episodes of this trigger (it was resolved): no further level; returns how many."""
    settled = 0
    pks = Escalation.objects.filter(
        trigger=trigger, subject_type=subject_type, subject_id=subject_id, status=EscalationStatus.OPEN
    ).values_list("pk", flat=True)
    for pk in list(pks):
        settled += int(episode_settle(escalation_id=pk, at=at))
    return settled


@transaction.atomic
def episode_settle(*, escalation_id: int, at: dt.datetime) -> bool:
    """Settle one open episode at ``at`` (a repeat is harmless); returns whether it changed."""
    escalation = Escalation.objects.get(pk=escalation_id)

    def apply(obj, now):
        obj.settled_at = at
        return ["settled_at"]

    outcome = transition(
        escalation,
        machine=ESCALATION_MACHINE,
        action=EscalationAction.SETTLE,
        actor=None,
        apply=apply,
        audit_after={"settled_at": at.isoformat()},
        event=ESCALATION_SETTLED,
        payload=lambda obj: {
            "escalation_id": obj.pk,
            "subject_type": obj.subject_type,
            "subject_id": obj.subject_id,
            "trigger": obj.trigger,
        },
    )
    return outcome.changed


def escalation_advance(*, escalation_id: int, now: dt.datetime | None = None) -> int:
    """Send every level of an open episode that is due and not yet sent, lowest first; returns how many."""
    now = now or clock.now()
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(pk=escalation_id)
            .first()
        )
        if escalation is None or escalation.status != EscalationStatus.OPEN:
            return 0
        matrix, rules = matrix_rules(
            organisation_id=escalation.organisation_id,
            vendor_id=escalation.vendor_id,
            trigger=escalation.trigger,
            priority=escalation.priority,
        )
        if matrix is None:
            return 0
        done = set(escalation.steps.values_list("level", flat=True))
        sent = 0
        for rule in rules:
            if rule.level in done:
                continue
            try:
                due = level_due_at(matrix=matrix, started_at=escalation.started_at, wait_hours=rule.wait_hours)
            except CalendarDataMissing:
                logger.warning(
                    "escalation %s: calendar %s has no data to count level %s",
                    escalation.pk,
                    matrix.calendar_id,
                    rule.level,
                )
                break
            if due > now:
                break
            _step_send(escalation, rule, due=due, now=now)
            done.add(rule.level)
            sent += 1
        if sent:
            escalation.level = max(done)
            escalation.save(update_fields=["level"])
        return sent


def _recipients(escalation: Escalation, rule: EscalationRule, now: dt.datetime) -> tuple[list[User], list[dict]]:
    """The people a level reaches: liaisons of its roles (the escalation's vendor and the client side), their
    first deputy when they are outside their working hours, and the people named on the row."""
    side = Q(vendor__isnull=True)
    if escalation.vendor_id is not None:
        side |= Q(vendor_id=escalation.vendor_id)
    liaisons = (
        Liaison.objects.filter(side, organisation_id=escalation.organisation_id, role__in=list(rule.roles or ()))
        .select_related("user", "calendar")
        .prefetch_related("deputies__user")
        .order_by("role", "position", "pk")
    )
    users: dict[int, User] = {}
    listed: list[dict] = []

    def reach(contact, role: str, *, deputy: bool = False) -> None:
        entry = {"name": contact.display_name, "role": role, "deputy": deputy, "user_id": contact.user_id}
        if contact.user_id and contact.user.is_active:
            users.setdefault(contact.user_id, contact.user)
        else:
            entry["phone"] = contact.display_phone
            entry["email"] = contact.display_email
        listed.append(entry)

    for liaison in liaisons:
        reach(liaison, liaison.role)
        if liaison.calendar_id is not None:
            try:
                in_hours = is_business_time(calendar_spec(liaison.calendar), now)
            except CalendarDataMissing:
                in_hours = True
            deputies = list(liaison.deputies.all())
            if not in_hours and deputies:
                reach(deputies[0], liaison.role, deputy=True)
    for person in rule.users.all():
        if person.is_active and person.organisation_id == escalation.organisation_id:
            if person.pk not in users:
                listed.append({"name": str(person), "role": "", "deputy": False, "user_id": person.pk})
            users.setdefault(person.pk, person)
    return list(users.values()), listed


def _step_send(escalation: Escalation, rule: EscalationRule, *, due: dt.datetime, now: dt.datetime) -> EscalationStep:
    """Record one level (the caller holds the escalation's lock) and notify its people, each once."""
    people, listed = _recipients(escalation, rule, now)
    step = EscalationStep.objects.create(
        escalation=escalation,
        level=rule.level,
        rule=rule,
        due_at=due,
        sent_at=now,
        delivery=rule.delivery,
        recipients=listed,
    )
    work_order = None
    if escalation.subject_type == "tickets.workorder":
        from oversight.tickets.models import WorkOrder

        work_order = WorkOrder.objects.filter(pk=escalation.subject_id).first()
    level = rule.level
    trigger_label = Trigger(escalation.trigger).label

    def subject():
        return gettext("Escalation L%(level)s: %(title)s") % {"level": level, "title": escalation.title}

    def body():
        text = gettext("%(trigger)s, level %(level)s. Please act now.") % {"trigger": trigger_label, "level": level}
        return f"{text}\n{escalation.url}" if escalation.url else text

    if rule.channel_id is not None:
        with translation.override(settings.LANGUAGE_CODE):
            channel_message_send(
                channel=rule.channel,
                title=subject(),
                body=body(),
                severity=Severity.CRITICAL if level >= CRITICAL_LEVEL else Severity.WARNING,
                fields=[(gettext("Level"), str(level)), (gettext("Trigger"), str(trigger_label))],
                url=escalation.url,
                dedupe_key=f"escalation:{escalation.pk}:{level}",
            )
    for person in people:
        notification, created = notification_create(
            recipient=person,
            kind=NOTIFICATION_KIND,
            dedupe_key=f"escalation:{escalation.pk}:{level}:{person.pk}",
            subject=subject,
            body=body,
            work_order=work_order,
        )
        if created and rule.delivery == Delivery.EMAIL:
            notification_queue_email(notification=notification)
    audit_record(
        actor=None,
        action="liaisons.escalation.stepped",
        obj=escalation,
        organisation=escalation.organisation,
        after={"level": level, "due_at": due.isoformat(), "recipients": [e["name"] for e in listed]},
    )
    publish(
        ESCALATION_STEPPED,
        escalation_id=escalation.pk,
        subject_type=escalation.subject_type,
        subject_id=escalation.subject_id,
        trigger=escalation.trigger,
        level=level,
    )
    return step


def escalation_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic pass: raise and settle stalled changes, then send every open episode's due levels."""
    from oversight.liaisons.services.stalled import stalled_changes_sweep

    now = now or clock.now()
    counts = stalled_changes_sweep(now=now)
    counts["steps"] = 0
    for pk in list(Escalation.objects.filter(status=EscalationStatus.OPEN).values_list("pk", flat=True)):
        counts["steps"] += escalation_advance(escalation_id=pk, now=now)
    return counts
