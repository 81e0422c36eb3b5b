"""Writes to a project's plan: add, change and delete work packages and milestones.

The plan may change while the project runs; what progress is measured against is the approved baseline, an
immutable snapshot of the plan (`projects.services.projects`). A change to the plan after a baseline therefore
takes effect on the figures only when a re-baseline is approved, as adding a work package already did. Deleting
is refused while anything refers to the node: a baseline's plan (approved, requested or rejected: each is a record
of what was asked), progress lines, milestones reached, cost entries, parts or milestones attached to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot, row_delete
from oversight.core.concurrency import lock_row
from oversight.core.errors import ApplicationError
from oversight.projects import permissions
from oversight.projects.choices import EvMethod, ProjectStatus
from oversight.projects.models import Baseline, Milestone, Project, WorkPackage
from oversight.projects.services.projects import _decimal

#: What `work_package_update` may change (the project never: a package stays in its project).
PACKAGE_FIELDS = (
    "code",
    "name",
    "name_en",
    "parent",
    "owner",
    "planned_start",
    "planned_finish",
    "budget",
    "budget_hours",
    "ev_method",
    "units_total",
    "aggressive_days",
    "safe_days",
    "depends_on",
)
#: What `milestone_update` may change (the date reached is recorded with progress).
MILESTONE_FIELDS = ("name", "name_en", "planned_date", "weight", "work_package")


def _plan_editable(project: Project) -> None:
    if project.status == ProjectStatus.CLOSED:
        raise ApplicationError(_("A closed project's plan cannot change."))


def _descendants(package: WorkPackage) -> set[int]:
    found: set[int] = set()
    level = [package.pk]
    while level:
        level = list(WorkPackage.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        found.update(level)
    return found


def _check_package(package: WorkPackage, predecessors: list[WorkPackage]) -> None:
    """Every rule a work package keeps, whether new or changed (``package.pk`` is None for a new one)."""
    project = package.project
    package.code, package.name = (package.code or "").strip(), (package.name or "").strip()
    package.name_en = (package.name_en or "").strip()
    if not package.code or not package.name:
        raise ApplicationError(_("Give the work package a WBS code and a name."))
    start, finish = package.planned_start, package.planned_finish
    if start is None or finish is None or finish < start:
        raise ApplicationError(_("The planned finish must not be before the planned start."))
    if package.ev_method not in EvMethod.values:
        raise ApplicationError(_("Choose an earned-value method."))
    package.budget = _decimal(package.budget, _("The budget"))
    package.units_total = _decimal(package.units_total, _("The units planned"))
    package.budget_hours = _decimal(package.budget_hours, _("The budget in hours"))
    if package.budget < 0 or package.units_total < 0 or package.budget_hours < 0:
        raise ApplicationError(_("The budget must not be negative."))
    if package.ev_method == EvMethod.UNITS and package.units_total <= 0:
        raise ApplicationError(_("A deliverable earned by units complete needs the number of units planned."))
    if WorkPackage.objects.filter(project=project, code=package.code).exclude(pk=package.pk).exists():
        raise ApplicationError(_("This WBS code is already used in the project."))
    _check_durations(package)
    parent = package.parent
    if parent is not None:
        if parent.project_id != project.pk:
            raise ApplicationError(_("The parent must be a work package of the same project."))
        if package.pk is not None and (parent.pk == package.pk or parent.pk in _descendants(package)):
            raise ApplicationError(_("A work package cannot be part of itself or of one of its parts."))
        if parent.budget:
            raise ApplicationError(_("The parent has a budget of its own: a summary's budget is the sum of its parts."))
    if package.pk is not None and package.budget and WorkPackage.objects.filter(parent=package).exists():
        raise ApplicationError(_("This work package has parts: its budget is the sum of theirs, not its own."))
    for other in predecessors:
        if other.project_id != project.pk:
            raise ApplicationError(_("A dependency must be a work package of the same project."))
        if other.pk is not None and other.pk == package.pk:
            raise ApplicationError(_("A work package cannot depend on itself."))
        if other.planned_finish >= package.planned_start:
            raise ApplicationError(
                _("“%(code)s” finishes on %(finish)s: a finish-to-start successor must start after it.")
                % {"code": other.code, "finish": other.planned_finish}
            )
    if package.pk is not None:
        for successor in package.successors.all():
            if successor.planned_start <= package.planned_finish:
                raise ApplicationError(
                    _("“%(code)s” starts after this one (finish-to-start) on %(start)s: finish before that.")
                    % {"code": successor.code, "start": successor.planned_start}
                )
    if package.owner is not None and package.owner.organisation_id != project.organisation_id:
        raise ApplicationError(_("The owner must belong to the project's organisation."))


def _check_durations(package: WorkPackage) -> None:
    """Critical-chain estimates: both or neither, the safe one longer than the aggressive one."""
    aggressive, safe = package.aggressive_days, package.safe_days
    if aggressive in (None, "") and safe in (None, ""):
        package.aggressive_days = package.safe_days = None
        return
    if aggressive in (None, "") or safe in (None, ""):
        raise ApplicationError(_("Give both the aggressive and the safe duration, or neither."))
    package.aggressive_days = _decimal(aggressive, _("The aggressive duration"))
    package.safe_days = _decimal(safe, _("The safe duration"))
    if package.aggressive_days <= 0:
        raise ApplicationError(_("The aggressive duration must be more than zero working days."))
    if package.safe_days <= package.aggressive_days:
        raise ApplicationError(
            _("The safe duration must be longer than the aggressive one: the buffers pool their difference.")
        )


def _package_audit(package: WorkPackage) -> dict:
    return model_snapshot(package) | {"depends_on": sorted(p.pk for p in package.depends_on.all())}


@transaction.atomic
def work_package_create(
    *,
    actor,
    project: Project,
    code: str,
    name: str,
    planned_start: dt.date,
    planned_finish: dt.date,
    budget=0,
    ev_method: str = EvMethod.PERCENT,
    name_en: str = "",
    parent: WorkPackage | None = None,
    owner=None,
    budget_hours=0,
    units_total=0,
    aggressive_days=None,
    safe_days=None,
    depends_on: Sequence[WorkPackage] = (),
) -> WorkPackage:
    """Add a node to the work breakdown. A package that has parts is a summary: its budget is theirs."""
    permissions.require(permissions.may_manage(actor, project))
    _plan_editable(project)
    package = WorkPackage(
        project=project,
        parent=parent,
        code=code,
        name=name,
        name_en=name_en,
        owner=owner,
        planned_start=planned_start,
        planned_finish=planned_finish,
        budget=budget,
        budget_hours=budget_hours,
        ev_method=ev_method,
        units_total=units_total,
        aggressive_days=aggressive_days,
        safe_days=safe_days,
    )
    predecessors = list(depends_on)
    _check_package(package, predecessors)
    package.save()
    if predecessors:
        package.depends_on.set(predecessors)
    audit_record(
        actor=actor,
        action="projects.workpackage.created",
        obj=package,
        organisation=project.organisation,
        after=_package_audit(package),
    )
    return package


def _locked_for_plan(actor, obj):
    """The plan item locked with its project, once the actor may change that project's plan."""
    locked = lock_row(obj, "project")
    permissions.require(permissions.may_manage(actor, locked.project))
    _plan_editable(locked.project)
    return locked


def _update(*, actor, obj, changes: dict, allowed, check, snapshot, after_save=None):
    """Apply the changes to the locked item, check it and save it; the locked item and what really changed
    (before, after), which the caller audits under its own literal action (the audit-label scan reads those)."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = _locked_for_plan(actor, obj)
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    check(locked)
    locked.save()
    if after_save is not None:
        after_save(locked)
    locked.refresh_from_db()  # amounts as stored (2000.00, not 2000), so the audit records only real changes
    old, new = diff_snapshots(before, snapshot(locked))
    return locked, old, new


@transaction.atomic
def work_package_update(*, actor, package: WorkPackage, **changes) -> WorkPackage:
    """Change a work package (any of `PACKAGE_FIELDS`); the figures follow once a re-baseline is approved."""
    given = changes.pop("depends_on", None)
    predecessors = list(package.depends_on.all() if given is None else given)
    locked, old, new = _update(
        actor=actor,
        obj=package,
        changes=changes,
        allowed=PACKAGE_FIELDS,
        check=lambda locked: _check_package(locked, predecessors),
        snapshot=_package_audit,
        after_save=lambda locked: locked.depends_on.set(predecessors),
    )
    if new:
        organisation = locked.project.organisation
        audit_record(
            actor=actor,
            action="projects.workpackage.changed",
            obj=locked,
            organisation=organisation,
            before=old,
            after=new,
        )
    return locked


def _in_baselines(project: Project, kind: str, pk: int) -> list[int]:
    """Numbers of the project's baselines whose plan holds this work package or milestone."""
    return [
        b.number
        for b in Baseline.objects.filter(project=project).order_by("number")
        if any(item.get("id") == pk for item in b.plan.get(kind, []))
    ]


def _refuse_if_in_baselines(project: Project, kind: str, pk: int) -> None:
    numbers = _in_baselines(project, kind, pk)
    if numbers:
        raise ApplicationError(
            _("Baseline %(numbers)s includes it, so it cannot be deleted: change it instead and request a re-baseline.")
            % {"numbers": ", ".join(str(n) for n in numbers)}
        )


@transaction.atomic
def work_package_delete(*, actor, package: WorkPackage) -> None:
    """Delete a work package nothing refers to yet (a plan still being drawn up), with an audit record."""
    locked = _locked_for_plan(actor, package)
    project = locked.project
    _refuse_if_in_baselines(project, "packages", locked.pk)
    if locked.progress_lines.exists():
        raise ApplicationError(_("Progress was reported on this work package, so it cannot be deleted."))
    if locked.cost_entries.exists():
        raise ApplicationError(_("Costs were entered on this work package, so it cannot be deleted."))
    if locked.children.exists():
        raise ApplicationError(_("This work package has parts: delete or move them first."))
    if locked.milestones.exists():
        raise ApplicationError(_("Milestones are weighted towards this work package: move or delete them first."))
    if locked.successors.exists():
        raise ApplicationError(_("Other work packages start after this one: remove that dependency first."))
    row_delete(actor=actor, obj=locked, organisation=project.organisation, m2m=("depends_on",))


def _check_milestone(milestone: Milestone) -> None:
    milestone.name = (milestone.name or "").strip()
    milestone.name_en = (milestone.name_en or "").strip()
    if not milestone.name or milestone.planned_date is None:
        raise ApplicationError(_("Give the milestone a name and a planned date."))
    milestone.weight = _decimal(milestone.weight, _("The weight"))
    if milestone.weight < 0:
        raise ApplicationError(_("The weight must not be negative."))
    if milestone.work_package is not None and milestone.work_package.project_id != milestone.project_id:
        raise ApplicationError(_("The deliverable must be a work package of the same project."))


@transaction.atomic
def milestone_create(
    *,
    actor,
    project: Project,
    name: str,
    planned_date: dt.date,
    weight=1,
    name_en: str = "",
    work_package: WorkPackage | None = None,
) -> Milestone:
    """Add a milestone (weighted towards a deliverable earned by weighted milestones, if one is given)."""
    permissions.require(permissions.may_manage(actor, project))
    _plan_editable(project)
    milestone = Milestone(
        project=project, work_package=work_package, name=name, name_en=name_en, planned_date=planned_date, weight=weight
    )
    _check_milestone(milestone)
    milestone.save()
    audit_record(
        actor=actor,
        action="projects.milestone.created",
        obj=milestone,
        organisation=project.organisation,
        after=model_snapshot(milestone),
    )
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, **changes) -> Milestone:
    """Change a milestone (any of `MILESTONE_FIELDS`); the figures follow once a re-baseline is approved."""
    locked, old, new = _update(
        actor=actor,
        obj=milestone,
        changes=changes,
        allowed=MILESTONE_FIELDS,
        check=_check_milestone,
        snapshot=model_snapshot,
    )
    if new:
        organisation = locked.project.organisation
        audit_record(
            actor=actor,
            action="projects.milestone.changed",
            obj=locked,
            organisation=organisation,
            before=old,
            after=new,
        )
    return locked


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> None:
    """Delete a milestone no baseline holds and nobody reported reached."""
    locked = _locked_for_plan(actor, milestone)
    project = locked.project
    _refuse_if_in_baselines(project, "milestones", locked.pk)
    if locked.reached_on is not None:
        raise ApplicationError(_("This milestone was reported reached, so it cannot be deleted."))
    row_delete(actor=actor, obj=locked, organisation=project.organisation)


__all__ = [
    "MILESTONE_FIELDS",
    "PACKAGE_FIELDS",
    "milestone_create",
    "milestone_delete",
    "milestone_update",
    "work_package_create",
    "work_package_delete",
    "work_package_update",
]
