"""Writes to risks: record, edit, rate (append-only history on the matrix version in use), review, move along
the states, and open the contingency plan as tracked actions. Every change goes through here.

`risk_rating_record` and `contingency_open` are also called by the system (``actor=None``) when a key risk
indicator raises a risk event; the audit trail then names the system as the actor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.numbering import next_in_year
from oversight.core.timeline import timeline_append
from oversight.core.zones import local_today
from oversight.quant import matrix as qm
from oversight.risks import matrices, permissions
from oversight.risks.choices import (
    CONTINGENCY_MACHINE,
    NOTIFY_CONTINGENCY_OPENED,
    RISK_ACTIONS_NEEDING_NOTE,
    RISK_MACHINE,
    ContingencyActionKind,
    RatingKind,
    RiskAction,
    RiskActivityKind,
    RiskCategory,
    Treatment,
)
from oversight.risks.events import (
    CONTINGENCY_OPENED,
    REVIEW_RECORDED,
    RISK_CREATED,
    RISK_RATED,
    RISK_TRANSITIONED,
    RISK_UPDATED,
)
from oversight.risks.models import ContingencyAction, Risk, RiskActivity, RiskCounter, RiskRating, RiskReview
from oversight.risks.services.matrix import risk_matrix_current
from oversight.risks.services.notify import notify
from oversight.tenancy.roles import is_client

EDITABLE_FIELDS = (
    "title",
    "title_en",
    "cause",
    "event",
    "consequence",
    "category",
    "owner",
    "vendor",
    "contract",
    "service",
    "treatment",
    "treatment_note",
    "acceptance_approver",
    "acceptance_expires_on",
    "contingency_plan",
    "next_review_date",
)
REQUIRED_TEXT = ("title", "cause", "event", "consequence")
#: The rating that sets a risk's level: its current one, else its inherent one.
LEVEL_KINDS = (RatingKind.CURRENT, RatingKind.INHERENT)


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _step(risk: Risk, *, actor, kind: str, at: dt.datetime, data: dict | None = None, body: str = ""):
    """Append the next step to the risk's timeline (the caller holds the risk's row lock)."""
    return timeline_append(RiskActivity, risk, actor=actor, kind=kind, at=at, data=data or {}, body=body)


def _next_number(organisation, now: dt.datetime) -> str:
    last = next_in_year(RiskCounter, organisation=organisation, year=now.year)
    return f"RSK-{organisation.work_order_prefix}{now.year}{last:04d}"


def _check(risk: Risk) -> None:
    """The register's rules on a risk's fields (after they were set)."""
    for name in REQUIRED_TEXT:
        if not getattr(risk, name):
            raise ApplicationError(_("Give the risk a title, its cause, the risk event and its consequence."))
    if risk.category not in RiskCategory.values:
        raise ApplicationError(_("Choose a risk category."))
    if risk.treatment not in ("", *Treatment.values):
        raise ApplicationError(_("Choose a treatment."))
    org_id = risk.organisation_id
    if risk.owner_id is None or risk.owner.organisation_id != org_id or not is_client(risk.owner):
        raise ApplicationError(_("The risk owner must be a client user of your organisation."))
    for obj in (risk.vendor, risk.contract, risk.service):
        if obj is not None and obj.organisation_id != org_id:
            raise ApplicationError(_("Choose a vendor, contract and service of your own organisation."))
    if risk.contract is not None and risk.contract.vendor_id != risk.vendor_id:
        raise ApplicationError(_("The contract must be one of the chosen vendor's contracts."))
    if risk.treatment == Treatment.ACCEPT:
        approver = risk.acceptance_approver
        if approver is None or risk.acceptance_expires_on is None:
            raise ApplicationError(_("Accepting a risk needs the person who approved it and the date it expires."))
        if approver.organisation_id != org_id or not is_client(approver):
            raise ApplicationError(_("The approver must be a client user of your organisation."))
    else:
        risk.acceptance_approver = None
        risk.acceptance_expires_on = None
    if risk.next_review_date is None:
        raise ApplicationError(_("Give the date of the next review."))


def _clean_text(value):
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def risk_create(
    *,
    actor,
    title: str,
    cause: str,
    event: str,
    consequence: str,
    category: str,
    owner,
    title_en: str = "",
    vendor=None,
    contract=None,
    service=None,
    treatment: str = "",
    treatment_note: str = "",
    acceptance_approver=None,
    acceptance_expires_on: dt.date | None = None,
    contingency_plan: str = "",
    next_review_date: dt.date | None = None,
    created_at: dt.datetime | None = None,
) -> Risk:
    """Record a risk. Until it is rated, its next review defaults to the shortest interval of the matrix
    (an unassessed risk is looked at soon)."""
    permissions.require(permissions.may_create(actor))
    organisation = actor.organisation
    now = created_at or clock.now()
    version = risk_matrix_current(organisation=organisation)
    if next_review_date is None:
        next_review_date = local_today(organisation) + dt.timedelta(days=matrices.shortest_review_days(version))
    risk = Risk(
        organisation=organisation,
        title=_clean_text(title or ""),
        title_en=_clean_text(title_en or ""),
        cause=_clean_text(cause or ""),
        event=_clean_text(event or ""),
        consequence=_clean_text(consequence or ""),
        category=category,
        owner=owner,
        vendor=vendor,
        contract=contract,
        service=service,
        treatment=treatment or "",
        treatment_note=_clean_text(treatment_note or ""),
        acceptance_approver=acceptance_approver,
        acceptance_expires_on=acceptance_expires_on,
        contingency_plan=_clean_text(contingency_plan or ""),
        next_review_date=next_review_date,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _check(risk)
    risk.number = _next_number(organisation, now)
    risk.save()
    _step(risk, actor=actor, kind=RiskActivityKind.CREATED, at=now)
    audit_record(actor=actor, action="risks.risk.created", obj=risk, after=model_snapshot(risk))
    publish(RISK_CREATED, risk_id=risk.pk, actor_id=_actor_id(actor))
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, expected_version: int | None = None, **changes) -> Risk:
    """Change a risk's details (text, category, owner, what it concerns, treatment, plan, next review)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    locked = lock_row(risk)
    permissions.require(permissions.may_manage(actor, locked))
    check_version(locked, expected_version, RISK_MACHINE.stale)
    before = model_snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, _clean_text(value))
    for name in ("treatment", "title_en", "treatment_note", "contingency_plan"):
        if getattr(locked, name) is None:
            setattr(locked, name, "")
    _check(locked)
    old, new = diff_snapshots(before, model_snapshot(locked))
    if not new:
        return locked
    now = clock.now()
    touch(locked, now, list(new))
    _step(locked, actor=actor, kind=RiskActivityKind.EDITED, at=now, data={"fields": sorted(new)})
    audit_record(actor=actor, action="risks.risk.updated", obj=locked, before=old, after=new)
    publish(RISK_UPDATED, risk_id=locked.pk, actor_id=_actor_id(actor))
    return locked


def _decimal_or_none(value, *, field: str):
    if value is None or value == "":
        return None
    try:
        return qm.to_decimal(value)
    except qm.MatrixError as exc:
        raise ApplicationError(_("The %(field)s must be a number.") % {"field": field}) from exc


@transaction.atomic
def risk_rating_record(
    *,
    risk: Risk,
    kind: str,
    probability_level: int,
    impact_level: int,
    reason: str,
    actor,
    probability=None,
    impact=None,
    source=None,
    at: dt.datetime | None = None,
) -> RiskRating:
    """Rate a risk on the organisation's matrix version in use (append-only history).

    ``probability`` (0–1) and ``impact`` (an amount) are optional decimals; given both, their exposure is
    probability × impact rounded half-up to the fen. ``source`` is what caused a system rating (a risk event).
    When the rating changes the risk's level (its current rating, or its inherent one before it has a current
    one) the next review moves to the interval of the new level. ``actor=None`` is the system."""
    locked = lock_row(risk, "organisation")
    if actor is not None:
        permissions.require(permissions.may_manage(actor, locked))
    if kind not in RatingKind.values:
        raise ApplicationError(_("Choose which rating this is: inherent, current, target or residual."))
    version = risk_matrix_current(organisation=locked.organisation)
    mat = matrices.as_matrix(version)
    try:
        probability_level, impact_level = int(probability_level), int(impact_level)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("Choose a probability level and an impact level of the matrix.")) from exc
    if not (1 <= probability_level <= mat.probability_levels and 1 <= impact_level <= mat.impact_levels):
        raise ApplicationError(_("Choose a probability level and an impact level of the matrix."))
    probability = _decimal_or_none(probability, field=_("probability"))
    impact = _decimal_or_none(impact, field=_("impact"))
    if probability is not None and not Decimal(0) <= probability <= Decimal(1):
        raise ApplicationError(_("A probability lies between 0 and 1 (for example 0.35)."))
    if impact is not None and impact < 0:
        raise ApplicationError(_("An impact cannot be negative."))
    if probability is not None:
        probability = qm.round_half_up(probability, qm.PROBABILITY_PLACES)
    if impact is not None:
        impact = qm.round_half_up(impact, qm.MONEY_PLACES)
    exposure = qm.exposure(probability, impact) if probability is not None and impact is not None else None
    score = mat.score(probability_level, impact_level)
    level = mat.level_of(score)
    now = at or clock.now()
    previous = locked.ratings.filter(kind=kind).order_by("-rated_at", "-id").first()
    rating = RiskRating.objects.create(
        risk=locked,
        kind=kind,
        matrix_version=version,
        probability_level=probability_level,
        impact_level=impact_level,
        probability=probability,
        impact=impact,
        exposure=exposure,
        score=score,
        level=level,
        reason=(reason or "").strip(),
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
        rated_by=actor if _actor_id(actor) else None,
        rated_at=now,
    )
    fields = []
    sets_level = kind == RatingKind.CURRENT or (
        kind == RatingKind.INHERENT and not locked.ratings.filter(kind=RatingKind.CURRENT).exists()
    )
    if sets_level:
        if locked.level != level:
            locked.next_review_date = matrices.next_review(version, level, local_today(locked.organisation))
            fields.append("next_review_date")
        if locked.level != level or locked.score != score:
            locked.level, locked.score = level, score
            fields += ["level", "score"]
    if fields:
        touch(locked, now, fields)
    _step(
        locked,
        actor=actor,
        kind=RiskActivityKind.RATED,
        at=now,
        data={"rating": rating.pk, "kind": kind, "cell": [probability_level, impact_level], "level": level},
        body=rating.reason,
    )
    audit_record(
        actor=actor,
        action="risks.risk.rated",
        obj=locked,
        after={
            "kind": kind,
            "matrix_version": version.number,
            "probability_level": probability_level,
            "impact_level": impact_level,
            "score": score,
            "level": level,
            **({"probability": probability} if probability is not None else {}),
            **({"impact": impact, "exposure": exposure} if impact is not None else {}),
            **({"source": f"{rating.source_type}:{rating.source_id}"} if source is not None else {}),
            **({"next_review_date": locked.next_review_date} if "next_review_date" in fields else {}),
        },
    )
    publish(
        RISK_RATED,
        risk_id=locked.pk,
        rating_id=rating.pk,
        kind=str(kind),
        level=str(level),
        previous_level=previous.level if previous else "",
        actor_id=_actor_id(actor),
    )
    return rating


@transaction.atomic
def risk_review_record(
    *,
    actor,
    risk: Risk,
    still_valid: bool,
    changes: str = "",
    next_review_date: dt.date | None = None,
    reviewed_at: dt.datetime | None = None,
) -> RiskReview:
    """Record a review of a risk; its next review date defaults to the interval of the risk's level."""
    locked = lock_row(risk, "organisation")
    permissions.require(permissions.may_manage(actor, locked))
    if not locked.is_open:
        raise ApplicationError(_("A closed risk is not reviewed; reopen it first."))
    now = reviewed_at or clock.now()
    today = local_today(locked.organisation)
    if next_review_date is None:
        version = risk_matrix_current(organisation=locked.organisation)
        next_review_date = (
            matrices.next_review(version, locked.level, today)
            if locked.level
            else today + dt.timedelta(days=matrices.shortest_review_days(version))
        )
    elif next_review_date <= today:
        raise ApplicationError(_("The next review must be after today."))
    changes = (changes or "").strip()
    if not still_valid and not changes:
        raise ApplicationError(_("Say what changed when the risk no longer holds as written."))
    review = RiskReview.objects.create(
        risk=locked,
        reviewer=actor,
        reviewed_at=now,
        still_valid=bool(still_valid),
        changes=changes,
        level=locked.level,
        next_review_date=next_review_date,
    )
    old_date = locked.next_review_date
    locked.next_review_date = next_review_date
    touch(locked, now, ["next_review_date"])
    _step(
        locked,
        actor=actor,
        kind=RiskActivityKind.REVIEWED,
        at=now,
        data={"review": review.pk, "still_valid": review.still_valid, "next_review_date": str(next_review_date)},
        body=changes,
    )
    audit_record(
        actor=actor,
        action="risks.risk.reviewed",
        obj=locked,
        before={"next_review_date": old_date},
        after={"still_valid": review.still_valid, "changes": changes, "next_review_date": next_review_date},
    )
    publish(REVIEW_RECORDED, review_id=review.pk, risk_id=locked.pk, actor_id=_actor_id(actor))
    return review


def _needs(locked: Risk, action: str, note: str) -> None:
    if action in RISK_ACTIONS_NEEDING_NOTE and not note:
        raise ApplicationError(_("Give a reason."))
    if action == RiskAction.ASSESS and not locked.ratings.filter(kind__in=LEVEL_KINDS).exists():
        raise ApplicationError(_("Rate the risk (inherent or current) before marking it as assessed."))
    if action == RiskAction.TREAT and not locked.treatment:
        raise ApplicationError(_("Choose how the risk is treated first."))


@transaction.atomic
def risk_transition(
    *, actor, risk: Risk, action: str, expected_version: int | None = None, note: str = "", at=None
) -> Risk:
    """Move a risk along its state machine (choices.RISK_MACHINE)."""
    note = (note or "").strip()
    done = transition(
        risk,
        machine=RISK_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        authorize=lambda locked: permissions.require(permissions.may_manage(actor, locked)),
        guards=(lambda locked, _actor: _needs(locked, action, note),),
        at=at,
        timeline={"body": note},
        audit_after={"note": note} if note else None,
        announce=lambda outcome: [
            (
                RISK_TRANSITIONED,
                {
                    "risk_id": outcome.obj.pk,
                    "actor_id": _actor_id(actor),
                    "action": str(action),
                    "from_status": str(outcome.from_status),
                    "to_status": str(outcome.to_status),
                },
            )
        ],
    )
    return done.obj


def plan_lines(plan: str) -> list[str]:
    """The actions of a contingency plan: one per non-empty line, list markers ("1.", "-", "•") removed."""
    lines = []
    for raw in (plan or "").splitlines():
        line = raw.strip().lstrip("-•*·").strip()
        head, _sep, rest = line.partition(".")
        if head.isdigit() and rest:
            line = rest.strip()
        head, _sep, rest = line.partition("、")
        if head.isdigit() and rest:
            line = rest.strip()
        if line:
            lines.append(line[:300])
    return lines


@transaction.atomic
def contingency_open(*, risk: Risk, reason: str, trigger_key: str, actor) -> list[ContingencyAction]:
    """Open the risk's contingency plan as tracked actions (one per line of the plan; a plan left empty opens
    one action named by the reason), owned by the risk's owner, who is notified.

    Idempotent on ``trigger_key``: once actions were opened for a key, another call with it opens nothing and
    returns []. ``actor=None`` is the system (a key risk indicator's breach)."""
    trigger_key = (trigger_key or "").strip()[:120]
    if not trigger_key:
        raise ApplicationError(_("Say what opens the contingency plan."))
    locked = lock_row(risk, "organisation", "owner")
    if actor is not None:
        permissions.require(permissions.may_manage(actor, locked))
    if ContingencyAction.objects.filter(risk=locked, trigger_key=trigger_key).exists():
        return []
    reason = (reason or "").strip()
    titles = plan_lines(locked.contingency_plan) or [reason[:300] or str(_("Respond to the risk"))]
    now = clock.now()
    opened = [
        ContingencyAction.objects.create(
            risk=locked,
            trigger_key=trigger_key,
            position=position,
            title=title,
            reason=reason,
            owner=locked.owner,
            opened_by=actor if _actor_id(actor) else None,
            opened_at=now,
            updated_at=now,
        )
        for position, title in enumerate(titles, start=1)
    ]
    ids = [a.pk for a in opened]
    _step(
        locked,
        actor=actor,
        kind=RiskActivityKind.CONTINGENCY_OPENED,
        at=now,
        data={"trigger_key": trigger_key, "actions": ids},
        body=reason,
    )
    audit_record(
        actor=actor,
        action="risks.risk.contingency_opened",
        obj=locked,
        after={"trigger_key": trigger_key, "reason": reason, "actions": titles},
    )
    notify(
        recipient=locked.owner,
        kind=NOTIFY_CONTINGENCY_OPENED,
        dedupe_key=f"risk-contingency:{locked.pk}:{trigger_key}",
        subject=lambda: _("Contingency plan opened for %(risk)s") % {"risk": locked},
        body=lambda: _("%(count)s actions were opened. Reason: %(reason)s") % {"count": len(opened), "reason": reason},
    )
    publish(
        CONTINGENCY_OPENED, risk_id=locked.pk, trigger_key=trigger_key, action_count=len(ids), actor_id=_actor_id(actor)
    )
    return opened


@transaction.atomic
def contingency_action_transition(*, actor, action: ContingencyAction, step: str, note: str = "") -> ContingencyAction:
    """Mark a contingency action as done or cancel it (a cancellation needs a reason)."""
    note = (note or "").strip()

    def authorize(locked):
        permissions.require(permissions.may_manage(actor, locked.risk))

    def needs(locked, _actor):
        if step == ContingencyActionKind.CANCEL and not note:
            raise ApplicationError(_("Give a reason."))

    def apply(locked, now):
        locked.closed_at = now
        return ["closed_at"]

    done = transition(
        action,
        machine=CONTINGENCY_MACHINE,
        action=step,
        actor=actor,
        related=("risk",),
        authorize=authorize,
        guards=(needs,),
        apply=apply,
        audit_after={"note": note} if note else None,
        audit_organisation=action.risk.organisation,
    )
    if done.changed:
        risk = lock_row(done.obj.risk)
        _step(
            risk,
            actor=actor,
            kind=RiskActivityKind.CONTINGENCY_CLOSED,
            at=done.obj.closed_at,
            data={"action": done.obj.pk, "status": done.obj.status},
            body=note,
        )
    return done.obj
