"""Writes to problems, their links, known errors, suggestions and settings. Every change goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.catalog.services import priority_for
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.numbering import next_in_year
from oversight.core.timeline import timeline_append
from oversight.problems import permissions
from oversight.problems.choices import (
    PROBLEM_ACTIONS_NEEDING_NOTE,
    PROBLEM_MACHINE,
    WHY_COUNT,
    FishboneCategory,
    ProblemAction,
    ProblemEventKind,
    RootCauseCategory,
    SuggestionStatus,
    WorkaroundEffect,
)
from oversight.problems.events import (
    KNOWN_ERROR_RECORDED,
    PROBLEM_CREATED,
    PROBLEM_INCIDENT_LINKED,
    PROBLEM_INCIDENT_UNLINKED,
    PROBLEM_TRANSITIONED,
)
from oversight.problems.models import (
    KnownError,
    Problem,
    ProblemCounter,
    ProblemEvent,
    ProblemIncident,
    ProblemSettings,
    ProblemSuggestion,
)
from oversight.tickets.choices import OPEN_STATUSES, WorkOrderKind
from oversight.tickets.models import WorkOrder
from oversight.tickets.services import comment_create

#: The fields `problem_update` may change (the analysis has its own service, the status its transitions).
EDITABLE_FIELDS = (
    "title",
    "description",
    "service",
    "impact",
    "urgency",
    "owner",
    "vendor",
    "contract",
    "commitment",
    "attribution_note",
    "caused_by_change",
    "configuration_items",
)
ANALYSIS_FIELDS = (
    "root_cause_category",
    "root_cause",
    "five_whys",
    "fishbone",
    "workaround",
    "workaround_effect",
    "permanent_fix",
)


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _event(problem: Problem, *, actor, kind: str, at: dt.datetime, data: dict | None = None, body: str = ""):
    """Append the next step to the problem's timeline (the caller holds the problem's row lock)."""
    return timeline_append(ProblemEvent, problem, actor=actor, kind=kind, at=at, data=data or {}, body=body)


def _next_number(organisation, now: dt.datetime) -> str:
    last = next_in_year(ProblemCounter, organisation=organisation, year=now.year)
    return f"PRB-{organisation.work_order_prefix}{now.year}{last:05d}"


def _check_attribution(*, organisation, service, vendor, contract, commitment) -> None:
    """Everything a problem refers to belongs to its organisation; the contract is the vendor's, the commitment
    the contract's."""
    for obj in (service, vendor, contract):
        if obj is not None and obj.organisation_id != organisation.pk:
            raise ApplicationError(_("Choose a service, vendor and contract of your own organisation."))
    if contract is not None and (vendor is None or contract.vendor_id != vendor.pk):
        raise ApplicationError(_("The contract must be one of the attributed vendor's contracts."))
    if commitment is not None and (contract is None or commitment.version.contract_id != contract.pk):
        raise ApplicationError(_("The commitment must belong to the chosen contract."))


def _check_links(*, organisation_id: int, change, items) -> list:
    """The causing change and the configuration items belong to the problem's organisation."""
    if change is not None and change.organisation_id != organisation_id:
        raise ApplicationError(_("Choose a change of your own organisation."))
    found = list(items or ())
    if any(ci.organisation_id != organisation_id for ci in found):
        raise ApplicationError(_("Choose configuration items of your own organisation."))
    return found


def _check_work_orders(problem_organisation_id: int, work_orders: Iterable) -> list:
    found = list(work_orders)
    for wo in found:
        if wo.organisation_id != problem_organisation_id:
            raise ApplicationError(_("Only work orders of the problem's organisation can be linked."))
    return found


@transaction.atomic
def problem_create(
    *,
    actor,
    title: str,
    description: str = "",
    service=None,
    impact: int = 2,
    urgency: int = 2,
    owner=None,
    vendor=None,
    contract=None,
    commitment=None,
    attribution_note: str = "",
    work_orders: Sequence = (),
    suggestion: ProblemSuggestion | None = None,
    created_at: dt.datetime | None = None,
    caused_by_change=None,
    configuration_items: Sequence = (),
) -> Problem:
    """Open a problem (its priority from the organisation's impact × urgency matrix), optionally linking the
    incidents it was opened from and closing the suggestion it answers."""
    permissions.require(permissions.may_create(actor))
    organisation = actor.organisation
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("Give the problem a title."))
    _check_attribution(
        organisation=organisation, service=service, vendor=vendor, contract=contract, commitment=commitment
    )
    if owner is not None and owner.organisation_id != organisation.pk:
        raise ApplicationError(_("The problem owner must belong to your organisation."))
    linked = _check_work_orders(organisation.pk, work_orders)
    items = _check_links(organisation_id=organisation.pk, change=caused_by_change, items=configuration_items)
    now = created_at or clock.now()
    problem = Problem.objects.create(
        organisation=organisation,
        number=_next_number(organisation, now),
        title=title,
        description=(description or "").strip(),
        service=service,
        impact=impact,
        urgency=urgency,
        priority=priority_for(organisation=organisation, impact=impact, urgency=urgency),
        owner=owner,
        vendor=vendor,
        contract=contract,
        commitment=commitment,
        attribution_note=(attribution_note or "").strip(),
        caused_by_change=caused_by_change,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    if items:
        problem.configuration_items.set(items)
    _event(problem, actor=actor, kind=ProblemEventKind.CREATED, at=now, data={"incidents": len(linked)})
    audit_record(
        actor=actor,
        action="problems.problem.created",
        obj=problem,
        after=model_snapshot(problem) | {"configuration_items": [ci.pk for ci in items]},
    )
    publish(PROBLEM_CREATED, problem_id=problem.pk, actor_id=_actor_id(actor))
    if linked:
        _link(problem, actor=actor, work_orders=linked, now=now)
    if suggestion is not None:
        _suggestion_decide(suggestion, actor=actor, status=SuggestionStatus.ACCEPTED, problem=problem, now=now)
    return problem


@transaction.atomic
def problem_update(*, actor, problem: Problem, expected_version: int | None = None, **changes) -> Problem:
    """Change a problem's details (title, description, service, impact × urgency, owner, vendor attribution)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(problem)
    permissions.require(permissions.may_manage(actor, locked))
    check_version(locked, expected_version, PROBLEM_MACHINE.stale)
    before = model_snapshot(locked)
    items = changes.pop("configuration_items", None)
    old_items = sorted(locked.configuration_items.values_list("pk", flat=True))
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if items is not None:
        items = _check_links(organisation_id=locked.organisation_id, change=None, items=items)
    _check_links(organisation_id=locked.organisation_id, change=locked.caused_by_change, items=())
    if not locked.title:
        raise ApplicationError(_("Give the problem a title."))
    _check_attribution(
        organisation=locked.organisation,
        service=locked.service,
        vendor=locked.vendor,
        contract=locked.contract,
        commitment=locked.commitment,
    )
    if locked.owner is not None and locked.owner.organisation_id != locked.organisation_id:
        raise ApplicationError(_("The problem owner must belong to your organisation."))
    locked.priority = priority_for(organisation=locked.organisation, impact=locked.impact, urgency=locked.urgency)
    after = model_snapshot(locked)
    old, new = diff_snapshots(before, after)
    new_items = sorted(ci.pk for ci in items) if items is not None else old_items
    if new_items != old_items:
        locked.configuration_items.set(new_items)
        old["configuration_items"], new["configuration_items"] = old_items, new_items
    if not new:
        return locked
    now = clock.now()
    touch(locked, now, [f for f in new if f not in ("version", "updated_at", "configuration_items")])
    _event(locked, actor=actor, kind=ProblemEventKind.EDITED, at=now, data={"fields": sorted(new)})
    audit_record(actor=actor, action="problems.problem.updated", obj=locked, before=old, after=new)
    return locked


def clean_five_whys(pairs: Sequence) -> list[dict]:
    """Five ordered {"why", "answer"} pairs, trimmed; empty pairs at the end are dropped, a gap is refused."""
    cleaned = []
    for item in list(pairs)[:WHY_COUNT]:
        why = str((item or {}).get("why", "")).strip()
        answer = str((item or {}).get("answer", "")).strip()
        cleaned.append({"why": why, "answer": answer})
    while cleaned and not cleaned[-1]["why"] and not cleaned[-1]["answer"]:
        cleaned.pop()
    for item in cleaned:
        if not item["why"]:
            raise ApplicationError(_("Each answered “why” needs its question, and the whys follow one another."))
    return cleaned


def clean_fishbone(causes: dict) -> dict[str, list[str]]:
    """Category code -> non-empty causes, in the fishbone's order; unknown categories are refused."""
    unknown = set(causes or {}) - set(FishboneCategory.values)
    if unknown:
        raise ApplicationError(_("Unknown fishbone category."))
    cleaned = {}
    for category in FishboneCategory.values:
        items = [str(c).strip() for c in (causes or {}).get(category, []) if str(c).strip()]
        if items:
            cleaned[category] = items
    return cleaned


@transaction.atomic
def problem_update_analysis(*, actor, problem: Problem, expected_version: int | None = None, **analysis) -> Problem:
    """Write the root-cause analysis: category, root cause, 5 whys, fishbone, workaround and whether it works,
    permanent fix (the client's operators and the attributed vendor's manager)."""
    unknown = set(analysis) - set(ANALYSIS_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(problem)
    permissions.require(permissions.may_analyse(actor, locked))
    check_version(locked, expected_version, PROBLEM_MACHINE.stale)
    if "five_whys" in analysis:
        analysis["five_whys"] = clean_five_whys(analysis["five_whys"])
    if "fishbone" in analysis:
        analysis["fishbone"] = clean_fishbone(analysis["fishbone"])
    if analysis.get("root_cause_category") not in (None, "", *RootCauseCategory.values):
        raise ApplicationError(_("Unknown root-cause category."))
    if "workaround_effect" in analysis and analysis["workaround_effect"] not in WorkaroundEffect.values:
        raise ApplicationError(_("Say whether the workaround works."))
    before = model_snapshot(locked, list(ANALYSIS_FIELDS))
    for name, value in analysis.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    after = model_snapshot(locked, list(ANALYSIS_FIELDS))
    old, new = diff_snapshots(before, after)
    if not new:
        return locked
    now = clock.now()
    touch(locked, now, list(new))
    _event(locked, actor=actor, kind=ProblemEventKind.ANALYSIS, at=now, data={"fields": sorted(new)})
    audit_record(actor=actor, action="problems.problem.analysis_updated", obj=locked, before=old, after=new)
    return locked


def _needs(locked: Problem, action: str, note: str) -> None:
    """The business preconditions of a transition (after the table check)."""
    if action in PROBLEM_ACTIONS_NEEDING_NOTE and not note.strip():
        raise ApplicationError(_("Give a reason."))
    if action in (ProblemAction.RECORD_KNOWN_ERROR, ProblemAction.FIX_IN_CHANGE) and not locked.root_cause.strip():
        raise ApplicationError(_("Record the root cause first."))
    if action == ProblemAction.RECORD_KNOWN_ERROR and not locked.workaround.strip():
        raise ApplicationError(_("Describe the workaround first (a known error is a root cause with a workaround)."))
    if action == ProblemAction.RESOLVE and not locked.permanent_fix.strip():
        raise ApplicationError(_("Describe the permanent fix first."))


def _apply(locked: Problem, action: str, now: dt.datetime) -> list[str]:
    fields = []
    if action in (ProblemAction.RECORD_KNOWN_ERROR, ProblemAction.FIX_IN_CHANGE) and locked.root_cause_found_at is None:
        locked.root_cause_found_at = now
        fields.append("root_cause_found_at")
    if action == ProblemAction.RESOLVE:
        if locked.root_cause_found_at is None:
            locked.root_cause_found_at = now
            fields.append("root_cause_found_at")
        locked.resolved_at = now
        fields.append("resolved_at")
    elif action == ProblemAction.CLOSE:
        locked.closed_at = now
        fields.append("closed_at")
    elif action == ProblemAction.CANCEL:
        locked.closed_at = now
        fields.append("closed_at")
    elif action == ProblemAction.REOPEN:
        locked.resolved_at = None
        locked.closed_at = None
        fields += ["resolved_at", "closed_at"]
    return fields


@transaction.atomic
def problem_transition(
    *,
    actor,
    problem: Problem,
    action: str,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Problem:
    """Move a problem along its state machine (choices.PROBLEM_MACHINE). Recording a known error also writes the
    known-error record from the problem's analysis (once)."""
    note = (note or "").strip()
    done = transition(
        problem,
        machine=PROBLEM_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        authorize=lambda locked: permissions.require(permissions.may_manage(actor, locked)),
        guards=(lambda locked, _actor: _needs(locked, action, note),),
        apply=lambda locked, now: _apply(locked, action, now),
        at=at,
        timeline={"body": note},
        audit_after={"note": note} if note else None,
        announce=lambda outcome: [
            (
                PROBLEM_TRANSITIONED,
                {
                    "problem_id": outcome.obj.pk,
                    "actor_id": _actor_id(actor),
                    "action": str(action),
                    "from_status": str(outcome.from_status),
                    "to_status": str(outcome.to_status),
                },
            )
        ],
    )
    locked = done.obj
    if (
        done.changed
        and action == ProblemAction.RECORD_KNOWN_ERROR
        and not KnownError.objects.filter(problem=locked).exists()
    ):
        _known_error_from(locked, actor=actor, now=at or locked.updated_at)
    return locked


def _known_error_from(problem: Problem, *, actor, now: dt.datetime) -> KnownError:
    known = KnownError.objects.create(
        organisation=problem.organisation,
        problem=problem,
        title=problem.title,
        symptom=problem.description or problem.title,
        root_cause=problem.root_cause,
        workaround=problem.workaround,
        solution=problem.permanent_fix,
        service=problem.service,
        vendor=problem.vendor,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _event(problem, actor=actor, kind=ProblemEventKind.KNOWN_ERROR, at=now, data={"known_error": known.pk})
    audit_record(actor=actor, action="problems.knownerror.created", obj=known, after=model_snapshot(known))
    publish(KNOWN_ERROR_RECORDED, known_error_id=known.pk, problem_id=problem.pk, actor_id=_actor_id(actor))
    return known


KNOWN_ERROR_FIELDS = ("title", "symptom", "root_cause", "workaround", "solution", "service", "vendor", "expires_on")


@transaction.atomic
def known_error_update(*, actor, known_error: KnownError, **changes) -> KnownError:
    """Edit a known error's text, service, vendor or expiry (the client's operators)."""
    unknown = set(changes) - set(KNOWN_ERROR_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(known_error)
    permissions.require(permissions.may_create(actor) and actor.organisation_id == locked.organisation_id)
    before = model_snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if not locked.title or not locked.symptom:
        raise ApplicationError(_("A known error needs a title and a symptom."))
    for obj in (locked.service, locked.vendor):
        if obj is not None and obj.organisation_id != locked.organisation_id:
            raise ApplicationError(_("Choose a service and vendor of your own organisation."))
    old, new = diff_snapshots(before, model_snapshot(locked))
    if not new:
        return locked
    locked.updated_at = clock.now()
    locked.save(update_fields=[*new, "updated_at"])
    audit_record(actor=actor, action="problems.knownerror.updated", obj=locked, before=old, after=new)
    return locked


def _link(problem: Problem, *, actor, work_orders: Sequence, now: dt.datetime) -> list[ProblemIncident]:
    """Link incidents to a locked (or new) problem; an incident linked to another problem is refused."""
    taken = dict(
        ProblemIncident.objects.filter(work_order__in=work_orders)
        .exclude(problem=problem)
        .values_list("work_order__number", "problem__number")
    )
    if taken:
        number, other = next(iter(sorted(taken.items())))
        raise ApplicationError(
            _("Work order %(number)s is already linked to problem %(problem)s.") % {"number": number, "problem": other}
        )
    already = set(ProblemIncident.objects.filter(problem=problem).values_list("work_order_id", flat=True))
    created = []
    for wo in work_orders:
        if wo.pk in already:
            continue
        if wo.kind != WorkOrderKind.INCIDENT:
            raise ApplicationError(
                _("Work order %(number)s is not an incident; only incidents are linked to problems.")
                % {"number": wo.number}
            )
        link = ProblemIncident.objects.create(problem=problem, work_order=wo, linked_by=actor, linked_at=now)
        already.add(wo.pk)
        created.append(link)
        _event(
            problem,
            actor=actor,
            kind=ProblemEventKind.LINKED,
            at=now,
            data={"work_order": wo.pk, "number": wo.number},
        )
        audit_record(
            actor=actor,
            action="problems.problem.incident_linked",
            obj=problem,
            after={"work_order": wo.pk, "number": wo.number},
        )
        publish(PROBLEM_INCIDENT_LINKED, problem_id=problem.pk, work_order_id=wo.pk, actor_id=_actor_id(actor))
    return created


@transaction.atomic
def problem_link_incidents(*, actor, problem: Problem, work_orders: Sequence) -> list[ProblemIncident]:
    """Link incidents to a problem (live links: who, when); linking one already linked here is harmless."""
    locked = lock_row(problem)
    permissions.require(permissions.may_manage(actor, locked))
    if not locked.is_open:
        raise ApplicationError(_("Incidents are linked to open problems only."))
    found = _check_work_orders(locked.organisation_id, work_orders)
    if not found:
        raise ApplicationError(_("Choose at least one work order."))
    created = _link(locked, actor=actor, work_orders=found, now=clock.now())
    if created:
        touch(locked, clock.now(), [])
    return created


@transaction.atomic
def problem_unlink_incident(*, actor, problem: Problem, work_order) -> bool:
    """Remove an incident's link to the problem; returns whether there was one."""
    locked = lock_row(problem)
    permissions.require(permissions.may_manage(actor, locked))
    deleted, _rows = ProblemIncident.objects.filter(problem=locked, work_order=work_order).delete()
    if not deleted:
        return False
    now = clock.now()
    _event(
        locked,
        actor=actor,
        kind=ProblemEventKind.UNLINKED,
        at=now,
        data={"work_order": work_order.pk, "number": work_order.number},
    )
    touch(locked, now, [])
    audit_record(
        actor=actor,
        action="problems.problem.incident_unlinked",
        obj=locked,
        before={"work_order": work_order.pk, "number": work_order.number},
    )
    publish(PROBLEM_INCIDENT_UNLINKED, problem_id=locked.pk, work_order_id=work_order.pk, actor_id=_actor_id(actor))
    return True


def workaround_comment_text(problem: Problem) -> str:
    """The public comment that carries a problem's workaround to an incident (in the active language)."""
    return gettext("Workaround from problem %(number)s “%(title)s”:\n%(workaround)s") % {
        "number": problem.number,
        "title": problem.title,
        "workaround": problem.workaround,
    }


@transaction.atomic
def problem_communicate_workaround(*, actor, problem: Problem, expected_version: int | None) -> int:
    """Post the workaround as a public comment to every linked open incident, once per press: the press carries
    the version the page showed, and the problem's version moves, so a repeated submission of the same page is
    refused as stale instead of posting twice. Returns how many incidents got it."""
    locked = lock_row(problem)
    permissions.require(permissions.may_manage(actor, locked))
    if expected_version is None:
        raise ApplicationError(_("Send the version of the problem you saw."))
    check_version(locked, expected_version, PROBLEM_MACHINE.stale)
    if not locked.workaround.strip():
        raise ApplicationError(_("Describe the workaround first."))
    links = list(
        ProblemIncident.objects.filter(problem=locked, work_order__status__in=OPEN_STATUSES)
        .select_related("work_order")
        .order_by("linked_at", "id")
    )
    if not links:
        raise ApplicationError(_("No linked incident is open."))
    now = clock.now()
    body = workaround_comment_text(locked)
    for link in links:
        comment_create(actor=actor, work_order=link.work_order, body=body, is_internal=False)
        link.workaround_sent_at = now
        link.save(update_fields=["workaround_sent_at"])
    locked.workaround_communicated_at = now
    touch(locked, now, ["workaround_communicated_at"])
    numbers = [link.work_order.number for link in links]
    _event(locked, actor=actor, kind=ProblemEventKind.COMMUNICATED, at=now, data={"work_orders": numbers})
    audit_record(
        actor=actor,
        action="problems.problem.workaround_communicated",
        obj=locked,
        after={"work_orders": numbers, "workaround": locked.workaround},
    )
    return len(links)


def _suggestion_decide(
    suggestion: ProblemSuggestion, *, actor, status: str, problem: Problem | None, now: dt.datetime
) -> ProblemSuggestion:
    locked = lock_row(suggestion)
    if locked.status != SuggestionStatus.OPEN:
        if locked.status == status and (problem is None or locked.problem_id == problem.pk):
            return locked
        raise ApplicationError(_("This suggestion has already been decided."))
    locked.status = status
    locked.problem = problem
    locked.decided_by = actor
    locked.decided_at = now
    locked.save(update_fields=["status", "problem", "decided_by", "decided_at"])
    change = {"before": {"status": SuggestionStatus.OPEN}, "after": {"status": status, "problem": locked.problem_id}}
    if status == SuggestionStatus.ACCEPTED:
        audit_record(actor=actor, action="problems.problemsuggestion.accepted", obj=locked, **change)
    else:
        audit_record(actor=actor, action="problems.problemsuggestion.dismissed", obj=locked, **change)
    return locked


@transaction.atomic
def suggestion_dismiss(*, actor, suggestion: ProblemSuggestion) -> ProblemSuggestion:
    """Dismiss a suggestion (the incidents are not one problem); a repeat is harmless."""
    permissions.require(
        permissions.may_decide_suggestions(actor) and actor.organisation_id == suggestion.organisation_id
    )
    return _suggestion_decide(suggestion, actor=actor, status=SuggestionStatus.DISMISSED, problem=None, now=clock.now())


@transaction.atomic
def problem_settings_save(*, actor, organisation, min_incidents, window_days, calendar) -> ProblemSettings:
    """Save the organisation's suggestion rule: k incidents within W business days on a calendar (empty: defaults)."""
    permissions.require(permissions.may_change_settings(actor) and actor.organisation_id == organisation.pk)
    if min_incidents is not None and not 2 <= int(min_incidents) <= 100:
        raise ApplicationError(_("A suggestion needs between 2 and 100 incidents."))
    if window_days is not None and not 1 <= int(window_days) <= 30:
        raise ApplicationError(_("The window is between 1 and 30 business days."))
    if calendar is not None and calendar.organisation_id != organisation.pk:
        raise ApplicationError(_("The calendar belongs to another organisation."))
    found, _created = ProblemSettings.objects.select_for_update(of=("self",)).get_or_create(organisation=organisation)
    before = model_snapshot(found, ["min_incidents", "window_days", "calendar"])
    found.min_incidents = min_incidents
    found.window_days = window_days
    found.calendar = calendar
    after = model_snapshot(found, ["min_incidents", "window_days", "calendar"])
    old, new = diff_snapshots(before, after)
    if new:
        found.save(update_fields=list(new))
        audit_record(actor=actor, action="problems.problemsettings.changed", obj=found, before=old, after=new)
    return found


def suggestion_title(suggestion: ProblemSuggestion) -> str:
    """A new problem's title from what the suggested incidents share (in the active language)."""
    shared = suggestion.service or suggestion.configuration_item or suggestion.category
    if shared is None:
        return gettext("Recurring incidents")
    return gettext("Recurring incidents: %(shared)s") % {"shared": shared}


@transaction.atomic
def suggestion_accept(*, actor, suggestion: ProblemSuggestion) -> Problem:
    """Open a problem from a suggestion: its service, its incidents that are not linked to another problem yet,
    and the suggestion closed as accepted (a repeat returns the problem already opened)."""
    permissions.require(
        permissions.may_decide_suggestions(actor) and actor.organisation_id == suggestion.organisation_id
    )
    locked = lock_row(suggestion)
    if locked.status == SuggestionStatus.ACCEPTED and locked.problem_id:
        return locked.problem
    if locked.status != SuggestionStatus.OPEN:
        raise ApplicationError(_("This suggestion has already been decided."))
    taken = ProblemIncident.objects.filter(work_order_id__in=locked.work_order_ids).values("work_order_id")
    incidents = list(
        WorkOrder.objects.filter(
            organisation_id=locked.organisation_id, pk__in=locked.work_order_ids, kind=WorkOrderKind.INCIDENT
        )
        .exclude(pk__in=taken)
        .order_by("created_at", "pk")
    )
    lines = [f"{wo.number} {wo.title}" for wo in incidents]
    return problem_create(
        actor=actor,
        title=suggestion_title(locked),
        description="\n".join(lines),
        service=locked.service,
        work_orders=incidents,
        suggestion=locked,
        configuration_items=[locked.configuration_item] if locked.configuration_item_id else (),
    )
