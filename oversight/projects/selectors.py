"""Reads of projects and their parts, limited to what the acting user may see (the one gate, ADR 0007).

Client roles see their organisation's projects; vendor managers and agents only their own vendor's; requesters
none. Every part (work packages, milestones, baselines, progress, cost, snapshots) is seen with its project.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

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
from oversight.settlement.choices import StatementStatus
from oversight.settlement.models import StatementLine
from oversight.tenancy.visibility import restrict

LIST_RELATED = ("vendor", "client_owner", "vendor_owner")


def project_list(*, user) -> QuerySet[Project]:
    """Projects the user may see, with the latest snapshot's lights and indices annotated (one query)."""
    latest = Snapshot.objects.filter(project=OuterRef("pk")).order_by("-status_date")
    return restrict(Project.objects.select_related(*LIST_RELATED), user).annotate(
        last_spi=Subquery(latest.values("spi")[:1]),
        last_cpi=Subquery(latest.values("cpi")[:1]),
        last_light_spi=Subquery(latest.values("light_spi")[:1]),
        last_light_cpi=Subquery(latest.values("light_cpi")[:1]),
        last_light=Subquery(latest.values("light")[:1]),
        last_status_date=Subquery(latest.values("status_date")[:1]),
    )


def project_get(*, user, pk) -> Project:
    """One visible project, or 404 (never 403: nobody learns that an invisible one exists)."""
    related = Project.objects.select_related(*LIST_RELATED, "contract", "calendar", "organisation")
    return _get(restrict(related, user), pk)


def work_packages(*, user, project: Project) -> QuerySet[WorkPackage]:
    """The project's work breakdown as planned now (the baseline holds what is measured against)."""
    return restrict(WorkPackage.objects.filter(project=project), user).select_related("owner", "parent")


def milestones(*, user, project: Project) -> QuerySet[Milestone]:
    """The project's milestones as planned now, with the date each was reached."""
    return restrict(Milestone.objects.filter(project=project), user).select_related("work_package")


def baselines(*, user, project: Project) -> QuerySet[Baseline]:
    """Every baseline of the project, newest first, with who asked and who decided."""
    return (
        restrict(Baseline.objects.filter(project=project), user)
        .select_related("requested_by", "decided_by")
        .order_by("-number")
    )


def baseline_get(*, user, pk) -> Baseline:
    """One visible baseline, or 404."""
    return _get(restrict(Baseline.objects.select_related("project"), user), pk)


def progress_records(*, user, project: Project) -> QuerySet[ProgressRecord]:
    """The project's progress records, newest status date first, with their lines."""
    return (
        restrict(ProgressRecord.objects.filter(project=project), user)
        .select_related("recorded_by")
        .prefetch_related("lines__work_package")
        .order_by("-status_date")
    )


def cost_entries(*, user, project: Project) -> QuerySet[CostEntry]:
    """The project's cost entries, latest first."""
    return restrict(CostEntry.objects.filter(project=project), user).select_related("work_package", "entered_by")


def settlement_links(*, user, project: Project) -> QuerySet[SettlementLink]:
    """The settlement lines attributed to the project, with their statement and period."""
    return restrict(SettlementLink.objects.filter(project=project), user).select_related(
        "line__statement__period", "linked_by"
    )


def settlement_link_get(*, user, pk) -> SettlementLink:
    """One visible attribution, or 404."""
    return _get(restrict(SettlementLink.objects.select_related("project"), user), pk)


def snapshots(*, user, project: Project) -> QuerySet[Snapshot]:
    """The project's snapshots in status-date order (the trend)."""
    return restrict(Snapshot.objects.filter(project=project), user).order_by("status_date")


def snapshots_between(*, user, start: dt.date, end: dt.date) -> QuerySet[Snapshot]:
    """Every visible snapshot with a status date in [start, end]."""
    return restrict(Snapshot.objects.filter(status_date__gte=start, status_date__lte=end), user)


def work_package_list(*, user) -> QuerySet[WorkPackage]:
    """Every work package the user may see (the API's scoped choices; the service checks the project)."""
    return restrict(WorkPackage.objects.all(), user)


def work_package_get(*, user, pk) -> WorkPackage:
    """A work package the user may see (with its project), else 404."""
    return _get(restrict(WorkPackage.objects.select_related("project"), user), pk)


def milestone_get(*, user, pk) -> Milestone:
    """A milestone the user may see (with its project), else 404."""
    return _get(restrict(Milestone.objects.select_related("project", "work_package"), user), pk)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def milestone_list(*, user) -> QuerySet[Milestone]:
    """Every milestone the user may see."""
    return restrict(Milestone.objects.all(), user)


def statement_line_list(*, user) -> QuerySet[StatementLine]:
    """Lines of approved settlement statements the user may see (what may be attributed to a project)."""
    return restrict(StatementLine.objects.filter(statement__status=StatementStatus.APPROVED), user)
