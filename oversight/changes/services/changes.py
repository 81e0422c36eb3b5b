"""Writes to changes and the catalogue of standard changes. Every change goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.changes import permissions, risk
from oversight.changes.choices import (
    CHANGE_MACHINE,
    RISK_WEIGHTS,
    ChangeAction,
    ChangeEventKind,
    ChangeStatus,
    ChangeType,
    ReviewOutcome,
)
from oversight.changes.events import CHANGE_CREATED
from oversight.changes.models import Change, ChangeCounter, ChangeIncident, ChangeTemplate
from oversight.changes.services import approvals
from oversight.changes.services._common import actor_id, apply_transition, check_calendar, event
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.numbering import next_in_year
from oversight.tenancy.visibility import restrict

#: The fields `change_update` may change (risk answers, the review and the status have their own services).
EDITABLE_FIELDS = (
    "title",
    "description",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "expected_outage_minutes",
    "planned_start",
    "planned_end",
    "contract",
    "services",
    "cis",
)
#: Fields frozen once the change is authorised (what the CAB decided on), unless the client's operators edit.
TEMPLATE_FIELDS = ("implementation_plan", "backout_plan", "test_plan", "expected_outage_minutes")


def _next_number(organisation, now: dt.datetime) -> str:
    last = next_in_year(ChangeCounter, organisation=organisation, year=now.year)
    return f"CHG-{organisation.work_order_prefix}{now.year}{last:05d}"


def _check_window(start, end) -> None:
    if (start is None) != (end is None):
        raise ApplicationError(_("Give both the start and the end of the planned window, or neither."))
    if start is not None and end <= start:
        raise ApplicationError(_("The planned window must end after it starts."))


def _check_cis(organisation, cis: Iterable) -> list:
    found = list(cis)
    if any(ci.organisation_id != organisation.pk for ci in found):
        raise ApplicationError(_("Choose configuration items of your own organisation."))
    return found


def _check_references(*, organisation, implementer, contract, services: Iterable) -> list:
    if implementer.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    if contract is not None and contract.vendor_id != implementer.pk:
        raise ApplicationError(_("The contract must be one of the implementing vendor's contracts."))
    found = list(services)
    if any(s.organisation_id != organisation.pk for s in found):
        raise ApplicationError(_("Choose services of your own organisation."))
    return found


def _clean_answers(answers: Mapping | None) -> dict[str, int]:
    """The questionnaire's answers as ints; empty answers are dropped, the rest must be complete (risk module)."""
    cleaned = {}
    for code, value in (answers or {}).items():
        if value in (None, ""):
            continue
        try:
            cleaned[str(code)] = int(value)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(_("Answer every question of the risk questionnaire, or none.")) from exc
    try:
        risk.questionnaire_score(cleaned, RISK_WEIGHTS)
    except risk.RiskInputError as exc:
        raise ApplicationError(_("Answer every question of the risk questionnaire, or none.")) from exc
    return cleaned


def _compute_risk(change: Change, service_count: int, ci_count: int) -> list[str]:
    """Store both risk scores and the higher of the two on the (unsaved) change; returns the changed fields."""
    rule = risk.rule_score(
        change_type=change.type,
        outage_minutes=change.expected_outage_minutes,
        services=service_count,
        cis=ci_count,
        has_backout_plan=bool(change.backout_plan.strip()),
        has_test_plan=bool(change.test_plan.strip()),
    )
    questionnaire = risk.questionnaire_score(change.risk_answers or {}, RISK_WEIGHTS)
    result = risk.combined(rule, questionnaire)
    change.risk_rule_score = rule.score
    change.risk_rule_level = rule.level
    change.risk_rule_factors = [{"code": f.code, "value": f.value, "points": f.points} for f in rule.factors]
    change.risk_questionnaire_percent = questionnaire.percent if questionnaire else None
    change.risk_questionnaire_level = questionnaire.level if questionnaire else None
    change.risk_level = result.level
    return [
        "risk_rule_score",
        "risk_rule_level",
        "risk_rule_factors",
        "risk_questionnaire_percent",
        "risk_questionnaire_level",
        "risk_level",
    ]


@transaction.atomic
def change_template_create(
    *,
    actor,
    name: str,
    implementation_plan: str,
    backout_plan: str,
    test_plan: str = "",
    description: str = "",
    service=None,
    vendor=None,
    expected_outage_minutes: int = 0,
) -> ChangeTemplate:
    """Add a pre-approved standard change to the organisation's catalogue."""
    permissions.require(permissions.may_manage_templates(actor))
    organisation = actor.organisation
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the template a name."))
    if not (implementation_plan or "").strip() or not (backout_plan or "").strip():
        raise ApplicationError(_("A standard change needs its implementation plan and its backout plan."))
    for obj in (service, vendor):
        if obj is not None and obj.organisation_id != organisation.pk:
            raise ApplicationError(_("Choose a service and vendor of your own organisation."))
    if ChangeTemplate.objects.filter(organisation=organisation, name=name).exists():
        raise ApplicationError(_("A template with this name already exists."))
    template = ChangeTemplate.objects.create(
        organisation=organisation,
        name=name,
        description=(description or "").strip(),
        service=service,
        vendor=vendor,
        implementation_plan=implementation_plan.strip(),
        backout_plan=backout_plan.strip(),
        test_plan=(test_plan or "").strip(),
        expected_outage_minutes=expected_outage_minutes,
        created_at=clock.now(),
    )
    audit_record(actor=actor, action="changes.changetemplate.created", obj=template, after=model_snapshot(template))
    return template


@transaction.atomic
def change_template_update(*, actor, template: ChangeTemplate, **changes) -> ChangeTemplate:
    """Change a standard change template (its name, plans, outage, scope, or retire it with active=False)."""
    allowed = {"name", "description", "service", "vendor", "active", *TEMPLATE_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(template)
    permissions.require(permissions.may_manage_templates(actor) and actor.organisation_id == locked.organisation_id)
    before = model_snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if not locked.name or not locked.implementation_plan or not locked.backout_plan:
        raise ApplicationError(_("A standard change needs its name, implementation plan and backout plan."))
    old, new = diff_snapshots(before, model_snapshot(locked))
    if new:
        locked.save(update_fields=list(new))
        audit_record(actor=actor, action="changes.changetemplate.updated", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def change_create(
    *,
    actor,
    title: str,
    implementer,
    type: str = ChangeType.NORMAL,  # noqa: A002 - the domain's word
    template: ChangeTemplate | None = None,
    description: str = "",
    services: Iterable = (),
    cis: Iterable = (),
    implementation_plan: str = "",
    backout_plan: str = "",
    test_plan: str = "",
    expected_outage_minutes: int | None = None,
    planned_start: dt.datetime | None = None,
    planned_end: dt.datetime | None = None,
    contract=None,
    risk_answers: Mapping | None = None,
    created_at: dt.datetime | None = None,
) -> Change:
    """Request a change. A standard change comes from an active template of the catalogue, whose plans it takes
    unless given; its risk is computed from its facts and the questionnaire."""
    permissions.require(permissions.may_request(actor, implementer))
    organisation = implementer.organisation
    if type not in ChangeType.values:
        raise ApplicationError(_("Choose the type of change."))
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("Give the change a title."))
    services = _check_references(
        organisation=organisation, implementer=implementer, contract=contract, services=services
    )
    if type == ChangeType.STANDARD:
        if template is None or not template.active or template.organisation_id != organisation.pk:
            raise ApplicationError(_("A standard change is made from an active template of the catalogue."))
        if template.vendor_id is not None and template.vendor_id != implementer.pk:
            raise ApplicationError(_("This template is for another vendor."))
        implementation_plan = implementation_plan or template.implementation_plan
        backout_plan = backout_plan or template.backout_plan
        test_plan = test_plan or template.test_plan
        if expected_outage_minutes is None:
            expected_outage_minutes = template.expected_outage_minutes
        if template.service_id is not None and not services:
            services = [template.service]
    elif template is not None:
        raise ApplicationError(_("Only a standard change is made from a template."))
    _check_window(planned_start, planned_end)
    cis = _check_cis(organisation, cis)
    now = created_at or clock.now()
    change = Change(
        organisation=organisation,
        number=_next_number(organisation, now),
        type=type,
        template=template,
        title=title,
        description=(description or "").strip(),
        implementation_plan=(implementation_plan or "").strip(),
        backout_plan=(backout_plan or "").strip(),
        test_plan=(test_plan or "").strip(),
        expected_outage_minutes=expected_outage_minutes or 0,
        planned_start=planned_start,
        planned_end=planned_end,
        requested_by=actor,
        implementer=implementer,
        contract=contract,
        risk_answers=_clean_answers(risk_answers),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _compute_risk(change, len(services), len(cis))
    change.save()
    change.services.set(services)
    change.cis.set(cis)
    event(change, actor=actor, kind=ChangeEventKind.CREATED, at=now, data={"type": type, "risk": change.risk_level})
    audit_record(
        actor=actor,
        action="changes.change.created",
        obj=change,
        after={
            **model_snapshot(change),
            "services": sorted(s.pk for s in services),
            "cis": sorted(ci.pk for ci in cis),
        },
    )
    publish(CHANGE_CREATED, change_id=change.pk, actor_id=actor_id(actor))
    if type == ChangeType.EMERGENCY:
        approvals.approval_start(change, actor=actor)
    return change


def _snapshot(change: Change) -> dict:
    return {
        **model_snapshot(change),
        "services": sorted(change.services.values_list("pk", flat=True)),
        "cis": sorted(change.cis.values_list("pk", flat=True)),
    }


@transaction.atomic
def change_update(*, actor, change: Change, expected_version: int | None = None, **changes) -> Change:
    """Change a change's details (plans, outage, window, contract, affected services); the risk follows."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(change)
    permissions.require(permissions.may_edit(actor, locked))
    check_version(locked, expected_version, CHANGE_MACHINE.stale)
    before = _snapshot(locked)
    services = changes.pop("services", None)
    cis = changes.pop("cis", None)
    # An editor changes only what they can see: the services, items and contract hidden from them stay (a vendor's
    # form lists neither another vendor's services nor the client's own items, so it could not send them back).
    if services is not None:
        services = _with_unseen(actor, list(locked.services.all()), services)
    if cis is not None:
        cis = _with_unseen(actor, list(locked.cis.all()), cis)
    if "contract" in changes and changes["contract"] is None and locked.contract_id is not None:
        if _with_unseen(actor, [locked.contract], []):  # hidden from the editor, so not theirs to clear
            changes.pop("contract")
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if not locked.title:
        raise ApplicationError(_("Give the change a title."))
    if locked.expected_outage_minutes is None or locked.expected_outage_minutes < 0:
        raise ApplicationError(_("The expected outage is a number of minutes, 0 or more."))
    _check_window(locked.planned_start, locked.planned_end)
    if locked.status in (ChangeStatus.SCHEDULED, ChangeStatus.IMPLEMENTING) and locked.planned_start is None:
        raise ApplicationError(_("A scheduled change keeps its planned window."))
    services = _check_references(
        organisation=locked.organisation,
        implementer=locked.implementer,
        contract=locked.contract,
        services=locked.services.all() if services is None else services,
    )
    cis = _check_cis(locked.organisation, locked.cis.all() if cis is None else cis)
    _compute_risk(locked, len(services), len(cis))
    after = {
        **model_snapshot(locked),
        "services": sorted(s.pk for s in services),
        "cis": sorted(ci.pk for ci in cis),
    }
    old, new = diff_snapshots(before, after)
    if not new:
        return locked
    now = clock.now()
    if "services" in new:
        locked.services.set(services)
    if "cis" in new:
        locked.cis.set(cis)
    if locked.status == ChangeStatus.SCHEDULED and {"planned_start", "planned_end", "services", "cis"} & set(new):
        check_calendar(locked)  # a scheduled change moved: the calendar is checked again
        new["conflict_codes"] = locked.conflict_codes
    touch(locked, now, [f for f in new if f not in ("version", "updated_at", "services", "cis")])
    event(locked, actor=actor, kind=ChangeEventKind.EDITED, at=now, data={"fields": sorted(new)})
    audit_record(actor=actor, action="changes.change.updated", obj=locked, before=old, after=new)
    return locked


def _with_unseen(actor, current: list, submitted: Iterable) -> list:
    """``submitted`` plus the ``current`` objects ``actor`` may not see (in their order, each once)."""
    submitted = list(submitted)
    if not current:
        return submitted
    model = type(current[0])
    seen = set(restrict(model._base_manager.filter(pk__in=[o.pk for o in current]), actor).values_list("pk", flat=True))
    kept = {o.pk: o for o in submitted}
    for o in current:
        if o.pk not in seen:
            kept.setdefault(o.pk, o)
    return list(kept.values())


@transaction.atomic
def change_assess_risk(*, actor, change: Change, answers: Mapping, expected_version: int | None = None) -> Change:
    """Answer (or clear) the risk questionnaire; both scores and the change's risk are computed again."""
    locked = lock_row(change)
    permissions.require(permissions.may_edit(actor, locked))
    check_version(locked, expected_version, CHANGE_MACHINE.stale)
    before = model_snapshot(locked, ["risk_answers", "risk_level"])
    locked.risk_answers = _clean_answers(answers)
    fields = _compute_risk(locked, locked.services.count(), locked.cis.count())
    now = clock.now()
    touch(locked, now, ["risk_answers", *fields])
    event(
        locked,
        actor=actor,
        kind=ChangeEventKind.RISK,
        at=now,
        data={
            "rule": locked.risk_rule_level,
            "questionnaire": locked.risk_questionnaire_level,
            "level": locked.risk_level,
        },
    )
    audit_record(
        actor=actor,
        action="changes.change.risk_assessed",
        obj=locked,
        before=before,
        after=model_snapshot(locked, ["risk_answers", "risk_level"]),
    )
    return locked


@transaction.atomic
def change_review(
    *, actor, change: Change, outcome: str, notes: str = "", expected_version: int | None = None
) -> Change:
    """Record the post-implementation review: the outcome and what was learnt (while the change is in review)."""
    if outcome not in ReviewOutcome.values:
        raise ApplicationError(_("Choose the outcome of the change."))
    locked = lock_row(change)
    permissions.require(permissions.may_manage(actor, locked))
    check_version(locked, expected_version, CHANGE_MACHINE.stale)
    if locked.status != ChangeStatus.REVIEW:
        raise ApplicationError(_("A change is reviewed once its implementation has finished."))
    notes = (notes or "").strip()
    if outcome != ReviewOutcome.SUCCESSFUL and not notes:
        raise ApplicationError(_("Say what went wrong."))
    before = model_snapshot(locked, ["outcome", "review_notes"])
    now = clock.now()
    locked.outcome, locked.review_notes, locked.reviewed_by, locked.reviewed_at = outcome, notes, actor, now
    touch(locked, now, ["outcome", "review_notes", "reviewed_by", "reviewed_at"])
    event(locked, actor=actor, kind=ChangeEventKind.REVIEWED, at=now, data={"outcome": outcome}, body=notes)
    audit_record(
        actor=actor,
        action="changes.change.reviewed",
        obj=locked,
        before=before,
        after=model_snapshot(locked, ["outcome", "review_notes"]),
    )
    return locked


@transaction.atomic
def change_transition(
    *,
    actor,
    change: Change,
    action: str,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Change:
    """Move a change along its state machine (choices.CHANGE_MACHINE): the type decides the path. Assessing a
    normal change starts its approval steps (the organisation's policy), cancelling withdraws them."""
    done = apply_transition(
        change,
        action=action,
        actor=actor,
        authorize=lambda locked: permissions.require(permissions.may_transition(actor, locked, action)),
        expected_version=expected_version,
        note=note,
        at=at,
    )
    if done.changed and action == ChangeAction.ASSESS:
        approvals.approval_start(done.obj, actor=actor)
    elif done.changed and action in (ChangeAction.CANCEL, ChangeAction.RECORD_UNAUTHORISED):
        approvals.approval_withdraw(done.obj, actor=actor)
    return done.obj


@transaction.atomic
def change_link_incidents(*, actor, change: Change, work_orders: Iterable) -> list[ChangeIncident]:
    """Record incidents (work orders of the change's organisation) caused by the change; a link already made is
    kept as it was."""
    locked = lock_row(change)
    permissions.require(permissions.may_manage(actor, locked))
    found = list(work_orders)
    if any(wo.organisation_id != locked.organisation_id for wo in found):
        raise ApplicationError(_("Only work orders of the change's organisation can be linked."))
    if locked.status in (ChangeStatus.NEW, ChangeStatus.ASSESSED, ChangeStatus.AUTHORISED, ChangeStatus.REJECTED):
        raise ApplicationError(_("Only a change that was implemented can cause incidents."))
    known = set(locked.incident_links.values_list("work_order_id", flat=True))
    now = clock.now()
    made = [
        ChangeIncident(change=locked, work_order=wo, linked_by=actor, linked_at=now)
        for wo in dict.fromkeys(found)
        if wo.pk not in known
    ]
    ChangeIncident.objects.bulk_create(made)
    if made:
        ids = [link.work_order_id for link in made]
        event(locked, actor=actor, kind=ChangeEventKind.INCIDENT_LINKED, at=now, data={"work_orders": ids})
        audit_record(actor=actor, action="changes.change.incident_linked", obj=locked, after={"work_orders": ids})
    return made


@transaction.atomic
def change_unlink_incident(*, actor, change: Change, work_order) -> None:
    """Remove the link of an incident wrongly attributed to the change."""
    locked = lock_row(change)
    permissions.require(permissions.may_manage(actor, locked))
    deleted, _rows = ChangeIncident.objects.filter(change=locked, work_order=work_order).delete()
    if deleted:
        now = clock.now()
        data = {"work_order": work_order.pk}
        event(locked, actor=actor, kind=ChangeEventKind.INCIDENT_UNLINKED, at=now, data=data)
        audit_record(actor=actor, action="changes.change.incident_unlinked", obj=locked, before=data)
