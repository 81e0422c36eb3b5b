"""Writes to projects: open a project, change its details, move it along its states (starting it sets the first
baseline), request and decide re-baselines. The plan's own writes (work packages, milestones) are in `plan`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.numbering import next_in_year
from oversight.projects import permissions
from oversight.projects.choices import (
    BASELINE_MACHINE,
    PROJECT_MACHINE,
    REPORTING_STATUSES,
    BaselineAction,
    BaselineStatus,
    ProjectAction,
    ProjectKind,
)
from oversight.projects.events import (
    BASELINE_APPROVED,
    BASELINE_REJECTED,
    BASELINE_REQUESTED,
    PROJECT_CREATED,
    PROJECT_TRANSITIONED,
)
from oversight.projects.models import Baseline, Milestone, Project, ProjectCounter, WorkPackage

#: The fields `project_update` may change (the status has its transitions, the plan its own services).
EDITABLE_FIELDS = (
    "name",
    "name_en",
    "kind",
    "description",
    "contract",
    "client_owner",
    "vendor_owner",
    "bac",
    "budget_hours",
    "green_tolerance",
    "red_deviation",
    "critical_chain",
    "chain_days",
    "buffer_days",
    "fever_yellow_start",
    "fever_yellow_end",
    "fever_red_start",
    "fever_red_end",
)


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _decimal(value, what) -> Decimal:
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("%(what)s must be a number.") % {"what": what}) from None
    if not result.is_finite():
        raise ApplicationError(_("%(what)s must be a number.") % {"what": what})
    return result


def _next_number(organisation, now: dt.datetime) -> str:
    last = next_in_year(ProjectCounter, organisation=organisation, year=now.year)
    return f"PRJ-{organisation.work_order_prefix}{now.year}{last:04d}"


def _check_people_and_contract(project: Project) -> None:
    """The owners and the contract belong where the project does."""
    if project.contract is not None and (
        project.contract.organisation_id != project.organisation_id or project.contract.vendor_id != project.vendor_id
    ):
        raise ApplicationError(_("The contract must be one of the project vendor's contracts."))
    client = project.client_owner
    if client is not None and (client.organisation_id != project.organisation_id or client.vendor_id):
        raise ApplicationError(_("The client owner must be one of your organisation's staff."))
    vendor_owner = project.vendor_owner
    if vendor_owner is not None and vendor_owner.vendor_id != project.vendor_id:
        raise ApplicationError(_("The vendor owner must work for the project's vendor."))


def _check_thresholds(project: Project) -> None:
    if project.bac < 0 or project.budget_hours < 0:
        raise ApplicationError(_("The budget must not be negative."))
    if not (0 <= project.green_tolerance < project.red_deviation <= 1):
        raise ApplicationError(_("The green tolerance must be below the red deviation (both between 0 and 1)."))
    fever = (project.fever_yellow_start, project.fever_yellow_end, project.fever_red_start, project.fever_red_end)
    if (
        any(v < 0 for v in fever)
        or project.fever_yellow_start > project.fever_red_start
        or (project.fever_yellow_end > project.fever_red_end)
    ):
        raise ApplicationError(_("The fever chart's yellow boundary must lie below its red one."))
    if (
        project.critical_chain
        and not (project.chain_days and project.buffer_days)
        and not (project.pk and WorkPackage.objects.filter(project=project, aggressive_days__isnull=False).exists())
    ):
        raise ApplicationError(
            _(
                "Critical-chain mode needs the chain's length and the project buffer, or aggressive and safe "
                "durations on the work packages (the chain and its buffers are then derived from them)."
            )
        )


@transaction.atomic
def project_create(
    *,
    actor,
    name: str,
    vendor,
    calendar,
    bac,
    kind: str = ProjectKind.OTHER,
    name_en: str = "",
    description: str = "",
    contract=None,
    client_owner=None,
    vendor_owner=None,
    currency: str = "CNY",
    budget_hours=0,
    created_at: dt.datetime | None = None,
    **settings,
) -> Project:
    """Open a project in planning for one of the organisation's vendors."""
    permissions.require(permissions.may_create(actor))
    organisation = actor.organisation
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the project a name."))
    if kind not in ProjectKind.values:
        raise ApplicationError(_("Choose a kind of project."))
    if vendor.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    if calendar.organisation_id not in (None, organisation.pk):
        raise ApplicationError(_("Choose a business calendar of your own organisation."))
    unknown = set(settings) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    now = created_at or clock.now()
    project = Project(
        organisation=organisation,
        name=name,
        name_en=(name_en or "").strip(),
        kind=kind,
        description=(description or "").strip(),
        vendor=vendor,
        contract=contract,
        client_owner=client_owner,
        vendor_owner=vendor_owner,
        calendar=calendar,
        currency=(currency or "CNY").upper()[:3],
        bac=_decimal(bac, _("The budget")),
        budget_hours=_decimal(budget_hours, _("The budget in hours")),
        created_by=actor,
        created_at=now,
        updated_at=now,
        **settings,
    )
    _check_people_and_contract(project)
    _check_thresholds(project)
    project.number = _next_number(organisation, now)
    project.save()
    audit_record(actor=actor, action="projects.project.created", obj=project, after=model_snapshot(project))
    publish(PROJECT_CREATED, project_id=project.pk, actor_id=_actor_id(actor))
    return project


@transaction.atomic
def project_update(*, actor, project: Project, expected_version: int | None = None, **changes) -> Project:
    """Change a project's details, owners, budget and thresholds (the plan measured against is the baseline)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(project)
    permissions.require(permissions.may_manage(actor, locked))
    check_version(locked, expected_version, PROJECT_MACHINE.stale)
    before = model_snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_people_and_contract(locked)
    _check_thresholds(locked)
    touch(locked, clock.now(), list(changes))
    old, new = diff_snapshots(before, model_snapshot(locked))
    if new:
        audit_record(actor=actor, action="projects.project.updated", obj=locked, before=old, after=new)
    return locked


def plan_snapshot(project: Project) -> dict:
    """The current plan as a baseline stores it (JSON: amounts and dates as text)."""
    packages = list(WorkPackage.objects.filter(project=project).prefetch_related("depends_on").order_by("code"))
    parents = {p.parent_id for p in packages if p.parent_id}
    return {
        "calendar_id": project.calendar_id,
        "packages": [
            {
                "id": p.pk,
                "code": p.code,
                "name": p.name,
                "name_en": p.name_en,
                "parent_id": p.parent_id,
                "start": p.planned_start.isoformat(),
                "finish": p.planned_finish.isoformat(),
                "budget": str(p.budget if p.pk not in parents else Decimal(0)),
                "hours": str(p.budget_hours),
                "method": p.ev_method,
                "units_total": str(p.units_total),
                "aggressive": None if p.aggressive_days is None else str(p.aggressive_days),
                "safe": None if p.safe_days is None else str(p.safe_days),
                "depends_on": sorted(d.pk for d in p.depends_on.all()),
            }
            for p in packages
        ],
        "milestones": [
            {
                "id": m.pk,
                "name": m.name,
                "name_en": m.name_en,
                "work_package_id": m.work_package_id,
                "planned_date": m.planned_date.isoformat(),
                "weight": str(m.weight),
            }
            for m in Milestone.objects.filter(project=project).order_by("planned_date", "id")
        ],
    }


def _check_plan(project: Project, plan: dict) -> None:
    """A plan can be a baseline when it has deliverables whose budgets add up to the project's BAC."""
    parents = {p["parent_id"] for p in plan["packages"] if p["parent_id"]}
    deliverables = [p for p in plan["packages"] if p["id"] not in parents]
    if not deliverables:
        raise ApplicationError(_("Plan at least one deliverable before setting a baseline."))
    total = sum((Decimal(p["budget"]) for p in deliverables), Decimal(0))
    if total != project.bac:
        raise ApplicationError(
            _("The deliverables' budgets add up to %(total)s, not to the budget at completion %(bac)s.")
            % {"total": total, "bac": project.bac}
        )


def _baseline_new(project: Project, *, actor, status: str, reason: str, now: dt.datetime) -> Baseline:
    plan = plan_snapshot(project)
    _check_plan(project, plan)
    number = (project.baselines.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Baseline.objects.create(
        project=project,
        number=number,
        status=status,
        bac=project.bac,
        plan=plan,
        reason=reason,
        requested_by=actor,
        requested_at=now,
        decided_by=actor if status == BaselineStatus.APPROVED else None,
        decided_at=now if status == BaselineStatus.APPROVED else None,
    )


@transaction.atomic
def project_transition(
    *, actor, project: Project, action: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> Project:
    """Move a project along its state machine; starting it sets baseline 1 from the plan as it stands."""

    def start(locked, now):
        if action == ProjectAction.START and not locked.baselines.exists():
            baseline = _baseline_new(locked, actor=actor, status=BaselineStatus.APPROVED, reason="", now=now)
            audit_record(
                actor=actor,
                action="projects.baseline.created",
                obj=baseline,
                organisation=locked.organisation,
                after={"number": baseline.number, "bac": baseline.bac},
            )
            publish(BASELINE_APPROVED, project_id=locked.pk, baseline_id=baseline.pk, actor_id=_actor_id(actor))
        return []

    done = transition(
        project,
        machine=PROJECT_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        authorize=lambda locked: permissions.require(permissions.may_manage(actor, locked)),
        apply=start,
        at=at,
        announce=lambda outcome: [
            (
                PROJECT_TRANSITIONED,
                {
                    "project_id": outcome.obj.pk,
                    "actor_id": _actor_id(actor),
                    "action": str(action),
                    "from_status": str(outcome.from_status),
                    "to_status": str(outcome.to_status),
                },
            )
        ],
    )
    return done.obj


@transaction.atomic
def baseline_request(*, actor, project: Project, reason: str, at: dt.datetime | None = None) -> Baseline:
    """Ask for a new baseline from the plan as it stands now; a client supervisor approves or rejects it."""
    locked = lock_row(project)
    permissions.require(permissions.may_request_baseline(actor, locked))
    if locked.status not in REPORTING_STATUSES:
        raise ApplicationError(_("A re-baseline is requested for a running project; a plan in planning is free."))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the project needs a new baseline."))
    if locked.baselines.filter(status=BaselineStatus.REQUESTED).exists():
        raise ApplicationError(_("A re-baseline is already awaiting approval."))
    baseline = _baseline_new(locked, actor=actor, status=BaselineStatus.REQUESTED, reason=reason, now=at or clock.now())
    audit_record(
        actor=actor,
        action="projects.baseline.requested",
        obj=baseline,
        organisation=locked.organisation,
        after={"number": baseline.number, "bac": baseline.bac, "reason": reason},
    )
    publish(BASELINE_REQUESTED, project_id=locked.pk, baseline_id=baseline.pk, actor_id=_actor_id(actor))
    return baseline


@transaction.atomic
def baseline_decide(
    *, actor, baseline: Baseline, action: str, note: str = "", at: dt.datetime | None = None
) -> Baseline:
    """Approve (it becomes the plan measured against) or reject a requested baseline: a client supervisor."""
    note = (note or "").strip()
    if action == BaselineAction.REJECT and not note:
        raise ApplicationError(_("Say why the baseline is rejected."))
    event = BASELINE_APPROVED if action == BaselineAction.APPROVE else BASELINE_REJECTED

    def record(locked, now):
        locked.decided_by = actor
        locked.decided_at = now
        locked.decision_note = note
        return ["decided_by", "decided_at", "decision_note"]

    done = transition(
        baseline,
        machine=BASELINE_MACHINE,
        action=action,
        actor=actor,
        related=("project",),
        authorize=lambda locked: permissions.require(permissions.may_decide_baseline(actor, locked.project)),
        apply=record,
        at=at,
        audit_organisation=baseline.project.organisation,
        audit_after={"note": note} if note else None,
        event=event,
        payload=lambda locked: {
            "project_id": locked.project_id,
            "baseline_id": locked.pk,
            "actor_id": _actor_id(actor),
        },
    )
    return done.obj
