"""The permission matrix's knowledge of the projects app: projects with their baselines and settlement lines.

Rules (issue 10 "Project monitoring", the projects app's stated design): the client side of the organisation sees
every project; vendor staff only their own vendor's; requesters and other organisations none; every part is seen
with its project. Client administrators and supervisors plan (add, change and delete work packages and
milestones), transition, enter costs and attribute settlement lines; the vendor owner and the vendor's manager
(and the client's operators) report progress and request a re-baseline; only a client supervisor decides a
baseline.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core.zones import local_today
from oversight.projects import services
from oversight.projects.choices import ProjectAction
from oversight.projects.models import (
    Baseline,
    CostEntry,
    Milestone,
    ProgressRecord,
    Project,
    SettlementLink,
    Snapshot,
    WorkPackage,
)
from oversight.tenancy.choices import Role
from tests.permissions import permissions_rules_settlement  # noqa: F401 - its statements are built first
from tests.permissions.permissions_support import CLIENT_SIDE, VENDOR_SIDE, Matrix, Payload, describe_app, secret, side

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
# Project key -> (vendor attribute of the world, organisation "A" or "X").
PROJECTS = {"A.V1": ("vendor", "A"), "A.V2": ("other_vendor", "A"), "X": ("foreign_vendor", "X")}


def _key(instance: str) -> str:
    return "Prj" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    projects, baselines, links, packages, milestones = {}, {}, {}, {}, {}
    for instance, (vendor_attr, org) in PROJECTS.items():
        actor = matrix.users["foreign_admin" if org == "X" else "client_supervisor"]
        calendar = (
            world.foreign_service.sla_policy.versions.first().targets.first().calendar if org == "X" else world.calendar
        )
        key = _key(instance)
        today = local_today(actor.organisation)
        project = services.project_create(
            actor=actor,
            name=secret(key, "Name"),
            description=secret(key, "Desc"),
            vendor=getattr(world, vendor_attr),
            calendar=calendar,
            bac=Decimal(1000),
        )
        package = services.work_package_create(
            actor=actor,
            project=project,
            code="1",
            name=secret(key, "Package"),
            planned_start=today - dt.timedelta(days=10),
            planned_finish=today + dt.timedelta(days=10),
            budget=Decimal(1000),
        )
        milestones[instance] = services.milestone_create(
            actor=actor, project=project, name=secret(key, "Milestone"), planned_date=today + dt.timedelta(days=5)
        )
        packages[instance] = package
        project = services.project_transition(actor=actor, project=project, action="start")
        services.progress_record(
            actor=actor,
            project=project,
            status_date=today,
            lines=[{"work_package": package, "started": True, "percent_complete": Decimal(40)}],
        )
        if instance == "A.V1":
            line = matrix.objects["statement"]["A.V1"].lines.order_by("position").first()
            links[instance] = services.settlement_link_create(
                actor=actor, project=project, line=line, share=Decimal("0.5")
            )
        project.refresh_from_db()
        projects[instance] = project
        baselines[instance] = project.baselines.get()
    # A re-baseline awaiting the supervisor, so "decide" has something to decide.
    baselines["A.V1.request"] = services.baseline_request(
        actor=matrix.users["client_supervisor"], project=projects["A.V1"], reason=secret("PrjAV1", "Reason")
    )
    matrix.objects["project"] = projects
    matrix.objects["project_baseline"] = baselines
    matrix.objects["project_settlement_link"] = links
    matrix.objects["project_work_package"] = packages
    matrix.objects["project_milestone"] = milestones


def sees_project(matrix: Matrix, role: str, project) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != project.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and project.vendor_id == user.vendor_id)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, project in matrix.objects["project"].items():
        if not sees_project(matrix, role, project):
            for what in ("Name", "Desc", "Package", "Milestone"):
                out[secret(_key(instance), what)] = f"project {instance}"
    return out


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix), json=True)


def _today(target, matrix) -> str:
    return local_today(matrix.world.org).isoformat()


describe_app(
    "projects",
    models={
        "project": Project,
        "project_baseline": Baseline,
        "project_settlement_link": SettlementLink,
        "project_work_package": WorkPackage,
        "project_milestone": Milestone,
    },
    build=build,
    rules={
        "project": sees_project,
        "project_baseline": lambda matrix, role, b: sees_project(matrix, role, b.project),
        "project_settlement_link": lambda matrix, role, link: sees_project(matrix, role, link.project),
        "project_work_package": lambda matrix, role, package: sees_project(matrix, role, package.project),
        "project_milestone": lambda matrix, role, milestone: sees_project(matrix, role, milestone.project),
    },
    words=words,
    tables=(Project, WorkPackage, Milestone, Baseline, ProgressRecord, CostEntry, SettlementLink, Snapshot),
    pk_models={
        "projects:detail": "project",
        "projects:transition": "project",
        "projects:work_package_create": "project",
        "projects:milestone_create": "project",
        "projects:progress": "project",
        "projects:cost_create": "project",
        "projects:link_create": "project",
        "projects:baseline_request": "project",
        "projects:link_delete": "project_settlement_link",
        "projects:baseline_decide": "project_baseline",
        "projects:work_package_edit": "project_work_package",
        "projects:work_package_delete": "project_work_package",
        "projects:milestone_edit": "project_milestone",
        "projects:milestone_delete": "project_milestone",
    },
    gates={
        "projects:list": READERS,
        "projects:detail": READERS,
        "projects:create": OPERATORS,
        "projects:transition": OPERATORS,
        "projects:work_package_create": OPERATORS,
        "projects:milestone_create": OPERATORS,
        "projects:work_package_edit": OPERATORS,
        "projects:work_package_delete": OPERATORS,
        "projects:milestone_edit": OPERATORS,
        "projects:milestone_delete": OPERATORS,
        "projects:cost_create": OPERATORS,
        "projects:link_create": OPERATORS,
        "projects:link_delete": OPERATORS,
        "projects:progress": READERS,
        "projects:baseline_request": READERS,
        "projects:baseline_decide": frozenset({Role.CLIENT_SUPERVISOR}),
        "api:project-list": READERS,
        "api:project-detail": READERS,
        "api:project-transition": READERS,
        "api:project-figures": READERS,
        "api:project-snapshots": READERS,
        "api:project-work-packages": READERS,
        "api:project-progress": READERS,
        "api:project-baselines": READERS,
        "api:project-cost-entries": READERS,
        "api:project-settlement-lines": READERS,
        "api:project-baseline-detail": READERS,
        "api:project-baseline-decide": READERS,
        "api:project-milestones": READERS,
        "api:project-work-package-detail": READERS,
        "api:project-milestone-detail": READERS,
    },
    action_kwargs={("api:project-transition", "transition"): tuple(ProjectAction.values)},
    payloads={
        ("projects:create", "post"): _form(
            lambda t, m: {
                "name": "PmxNewProject",
                "kind": "other",
                "vendor": m.world.vendor.pk,
                "calendar": m.world.calendar.pk,
                "bac": "100",
                "red_deviation": "0.1",
                "green_tolerance": "0",
            }
        ),
        ("projects:transition", "post"): _form(
            lambda t, m: {"action": "hold", "version": getattr(t.obj, "version", 1)}
        ),
        ("projects:work_package_create", "post"): _form(
            lambda t, m: {
                "code": "9",
                "name": "PmxPackage",
                "planned_start": _today(t, m),
                "planned_finish": _today(t, m),
                "budget": "0",
                "ev_method": "percent",
            }
        ),
        ("projects:milestone_create", "post"): _form(
            lambda t, m: {"name": "PmxMilestone", "planned_date": _today(t, m), "weight": "1"}
        ),
        ("projects:cost_create", "post"): _form(
            lambda t, m: {"incurred_on": _today(t, m), "amount": "10", "description": "PmxCost"}
        ),
        ("projects:link_create", "post"): _form(
            lambda t, m: {"line": m.objects["statement"]["A.V1"].lines.order_by("position").last().pk, "share": "0.1"}
        ),
        ("projects:link_delete", "post"): _form({}),
        ("projects:progress", "post"): _form(lambda t, m: {"status_date": _today(t, m), "note": "PmxProgress"}),
        ("projects:baseline_request", "post"): _form({"reason": "PmxReason"}),
        ("projects:baseline_decide", "post"): _form({"action": "reject", "note": "PmxNo"}),
        ("api:project-list", "post"): _json(
            lambda t, m: {
                "name": "PmxApiProject",
                "vendor": m.world.vendor.pk,
                "calendar": m.world.calendar.pk,
                "bac": "1",
            }
        ),
        ("api:project-transition", "post"): _json(lambda t, m: {}),
        ("api:project-work-packages", "post"): _json(
            lambda t, m: {
                "code": "8",
                "name": "PmxApiPackage",
                "planned_start": _today(t, m),
                "planned_finish": _today(t, m),
            }
        ),
        ("api:project-progress", "post"): _json(lambda t, m: {"status_date": _today(t, m), "note": "PmxApiProgress"}),
        ("api:project-baselines", "post"): _json(lambda t, m: {"reason": "PmxApiReason"}),
        ("api:project-cost-entries", "post"): _json(
            lambda t, m: {"incurred_on": _today(t, m), "amount": "5", "description": "PmxApiCost"}
        ),
        ("api:project-settlement-lines", "post"): _json(
            lambda t, m: {"line": m.objects["statement"]["A.V1"].lines.order_by("position").last().pk, "share": "0.1"}
        ),
        ("api:project-baseline-decide", "post"): _json(lambda t, m: {"action": "reject", "note": "PmxApiNo"}),
        ("projects:work_package_edit", "post"): _form(
            lambda t, m: {
                "code": "1",
                "name": "PmxEdited",
                "planned_start": _today(t, m),
                "planned_finish": _today(t, m),
                "budget": "1000",
                "ev_method": "percent",
            }
        ),
        ("projects:work_package_delete", "post"): _form({}),
        ("projects:milestone_edit", "post"): _form(
            lambda t, m: {"name": "PmxEditedMilestone", "planned_date": _today(t, m), "weight": "1"}
        ),
        ("projects:milestone_delete", "post"): _form({}),
        ("api:project-milestones", "post"): _json(
            lambda t, m: {"name": "PmxApiMilestone", "planned_date": _today(t, m)}
        ),
        ("api:project-work-package-detail", "patch"): _json(lambda t, m: {"name": "PmxApiEdited"}),
        ("api:project-work-package-detail", "delete"): _json(lambda t, m: {}),
        ("api:project-milestone-detail", "patch"): _json(lambda t, m: {"name": "PmxApiEdited"}),
        ("api:project-milestone-detail", "delete"): _json(lambda t, m: {}),
    },
)
