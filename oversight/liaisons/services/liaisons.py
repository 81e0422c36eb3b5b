"""Liaisons, their deputies and the escalation matrix: who may change them, and the rules on their fields.

The client's operators manage every liaison and matrix of their organisation; a vendor's manager manages their
own vendor's liaisons (never the client's, never the matrix)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.liaisons.choices import Delivery, LiaisonRole, Trigger
from oversight.liaisons.models import EscalationMatrix, EscalationRule, Liaison, LiaisonDeputy
from oversight.tenancy.roles import is_client_operator, is_vendor_manager_of

LIAISON_FIELDS = ("vendor", "role", "user", "name", "phone", "email", "calendar", "on_hotline", "position")
RULE_FIELDS = ("trigger", "priority", "level", "wait_hours", "roles", "delivery", "channel")
MAX_DEPUTIES = 5


def may_manage_liaisons(user, *, organisation_id: int, vendor_id: int | None) -> bool:
    """The client's operators manage all of their organisation's liaisons; a vendor's manager its own vendor's."""
    if is_client_operator(user, organisation_id):
        return True
    return vendor_id is not None and is_vendor_manager_of(user, vendor_id) and user.organisation_id == organisation_id


def _check_person(contact, organisation_id: int) -> None:
    if contact.user_id is None and not contact.name:
        raise ApplicationError(_("Choose a user or give the person's name."))
    if contact.user_id is not None and contact.user.organisation_id != organisation_id:
        raise ApplicationError(_("Choose a user of your own organisation."))


@transaction.atomic
def liaison_save(*, actor, organisation, liaison: Liaison | None = None, deputies=None, **values) -> Liaison:
    """Add or edit a liaison; ``deputies`` (a list of dicts with user/name/phone/email, in order) replaces them."""
    created = liaison is None
    if created:
        liaison = Liaison(organisation=organisation, created_at=clock.now())
    elif liaison.organisation_id != organisation.pk:
        raise NotAllowed(_("This liaison belongs to another organisation."))
    else:
        liaison = Liaison.objects.select_for_update(of=("self",)).get(pk=liaison.pk)
    if not created and not may_manage_liaisons(actor, organisation_id=organisation.pk, vendor_id=liaison.vendor_id):
        raise NotAllowed(_("You may not change this liaison."))
    before = {} if created else model_snapshot(liaison, list(LIAISON_FIELDS))
    for name in LIAISON_FIELDS:
        if name in values:
            value = values[name]
            setattr(liaison, name, value.strip() if isinstance(value, str) else value)
    if not may_manage_liaisons(actor, organisation_id=organisation.pk, vendor_id=liaison.vendor_id):
        raise NotAllowed(_("You may not change this liaison."))
    if liaison.role not in LiaisonRole.values:
        raise ApplicationError(_("Choose a role."))
    if liaison.vendor is not None and liaison.vendor.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    if liaison.calendar is not None and liaison.calendar.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a calendar of your own organisation."))
    _check_person(liaison, organisation.pk)
    now = clock.now()
    liaison.updated_at = now
    if not created:
        liaison.version += 1
    liaison.save()
    after = model_snapshot(liaison, list(LIAISON_FIELDS))
    if deputies is not None:
        rows = [d for d in deputies if d.get("user") or (d.get("name") or "").strip()]
        if len(rows) > MAX_DEPUTIES:
            raise ApplicationError(_("At most %(n)d deputies.") % {"n": MAX_DEPUTIES})
        liaison.deputies.all().delete()
        for position, row in enumerate(rows, start=1):
            deputy = LiaisonDeputy(
                liaison=liaison,
                position=position,
                user=row.get("user"),
                name=(row.get("name") or "").strip(),
                phone=(row.get("phone") or "").strip(),
                email=(row.get("email") or "").strip(),
            )
            _check_person(deputy, organisation.pk)
            deputy.save()
        after["deputies"] = [d.display_name for d in liaison.deputies.select_related("user")]
    old, new = diff_snapshots(before, after)
    audit_record(
        actor=actor,
        action="liaisons.liaison.created" if created else "liaisons.liaison.changed",
        obj=liaison,
        before=old,
        after=new,
    )
    return liaison


@transaction.atomic
def liaison_delete(*, actor, liaison: Liaison) -> None:
    """Remove a liaison and its deputies."""
    if not may_manage_liaisons(actor, organisation_id=liaison.organisation_id, vendor_id=liaison.vendor_id):
        raise NotAllowed(_("You may not change this liaison."))
    audit_record(
        actor=actor,
        action="liaisons.liaison.deleted",
        obj=liaison,
        before=model_snapshot(liaison, list(LIAISON_FIELDS)),
    )
    liaison.delete()


@transaction.atomic
def matrix_save(*, actor, organisation, vendor=None, calendar) -> EscalationMatrix:
    """Create the organisation's matrix (no vendor) or a vendor's override, or change its calendar."""
    if not is_client_operator(actor, organisation.pk):
        raise NotAllowed(_("Only the client's supervisors and administrators manage the escalation matrix."))
    if calendar is None or calendar.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a calendar of your own organisation."))
    if vendor is not None and vendor.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    now = clock.now()
    matrix = (
        EscalationMatrix.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, vendor=vendor)
        .first()
    )
    created = matrix is None
    if created:
        matrix = EscalationMatrix.objects.create(
            organisation=organisation, vendor=vendor, calendar=calendar, created_at=now, updated_at=now
        )
        audit_record(
            actor=actor, action="liaisons.escalationmatrix.created", obj=matrix, after={"calendar": calendar.pk}
        )
    elif matrix.calendar_id != calendar.pk:
        old = matrix.calendar_id
        matrix.calendar = calendar
        matrix.updated_at = now
        matrix.save(update_fields=["calendar", "updated_at"])
        audit_record(
            actor=actor,
            action="liaisons.escalationmatrix.changed",
            obj=matrix,
            before={"calendar": old},
            after={"calendar": calendar.pk},
        )
    return matrix


def _clean_rule(rule: EscalationRule) -> None:
    if rule.trigger not in Trigger.values:
        raise ApplicationError(_("Choose a trigger."))
    if rule.priority and rule.trigger != Trigger.PRIORITY_BREACH:
        raise ApplicationError(_("Only SLA breaches are filtered by priority."))
    if rule.delivery not in Delivery.values:
        raise ApplicationError(_("Choose how the level is delivered."))
    try:
        level = int(rule.level)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("The level is a whole number from 1.")) from exc
    if level < 1 or level > 9:
        raise ApplicationError(_("The level is a whole number from 1 to 9."))
    rule.level = level
    try:
        wait = Decimal(str(rule.wait_hours))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ApplicationError(_("Give the wait in business hours.")) from exc
    if not wait.is_finite() or wait < 0 or wait > Decimal("10000"):
        raise ApplicationError(_("The wait is between 0 and 10000 business hours."))
    rule.wait_hours = wait.quantize(Decimal("0.01"))
    roles = list(dict.fromkeys(rule.roles or []))
    if any(role not in LiaisonRole.values for role in roles):
        raise ApplicationError(_("Choose liaison roles from the list."))
    rule.roles = roles


@transaction.atomic
def rule_save(
    *, actor, matrix: EscalationMatrix, rule: EscalationRule | None = None, users=None, **values
) -> EscalationRule:
    """Add or edit one row of a matrix; its levels must wait longer the higher they are."""
    if not is_client_operator(actor, matrix.organisation_id):
        raise NotAllowed(_("Only the client's supervisors and administrators manage the escalation matrix."))
    created = rule is None
    if created:
        rule = EscalationRule(matrix=matrix)
    elif rule.matrix_id != matrix.pk:
        raise ApplicationError(_("This level belongs to another matrix."))
    before = {} if created else model_snapshot(rule, list(RULE_FIELDS))
    for name in RULE_FIELDS:
        if name in values:
            setattr(rule, name, values[name])
    _clean_rule(rule)
    siblings = matrix.rules.filter(trigger=rule.trigger, priority=rule.priority).exclude(pk=rule.pk)
    if siblings.filter(level=rule.level).exists():
        raise ApplicationError(_("This level already exists for the trigger."))
    if (
        siblings.filter(level__lt=rule.level, wait_hours__gt=rule.wait_hours).exists()
        or siblings.filter(level__gt=rule.level, wait_hours__lt=rule.wait_hours).exists()
    ):
        raise ApplicationError(_("A higher level must not wait less than a lower one."))
    people = list(users) if users is not None else None
    if rule.channel is not None and rule.channel.organisation_id != matrix.organisation_id:
        raise ApplicationError(_("Choose a group chat of your own organisation."))
    if people is not None and any(p.organisation_id != matrix.organisation_id for p in people):
        raise ApplicationError(_("Choose people of your own organisation."))
    named = people if people is not None else (rule.pk and rule.users.exists())
    if not rule.roles and not named and rule.channel is None:
        raise ApplicationError(_("Name at least one liaison role, person or group chat to notify."))
    rule.save()
    if people is not None:
        rule.users.set(people)
    after = model_snapshot(rule, list(RULE_FIELDS))
    after["users"] = sorted(p.pk for p in rule.users.all())
    old, new = diff_snapshots(before, after)
    audit_record(
        actor=actor,
        action="liaisons.escalationrule.created" if created else "liaisons.escalationrule.changed",
        obj=rule,
        organisation=matrix.organisation,
        before=old,
        after=new,
    )
    return rule


@transaction.atomic
def rule_delete(*, actor, rule: EscalationRule) -> None:
    """Remove one row of a matrix (episodes already sent keep their steps)."""
    if not is_client_operator(actor, rule.matrix.organisation_id):
        raise NotAllowed(_("Only the client's supervisors and administrators manage the escalation matrix."))
    audit_record(
        actor=actor,
        action="liaisons.escalationrule.deleted",
        obj=rule,
        organisation=rule.matrix.organisation,
        before=model_snapshot(rule, list(RULE_FIELDS)),
    )
    rule.delete()
