"""The project indicators, registered in `oversight.core.kpis` (imported from `ProjectsConfig.ready()`).

One loader (``projects``) reads each of a vendor's projects' latest snapshot whose status date falls in the
window (local dates of the organisation); the formulas are the pure functions of
:mod:`oversight.projects.indicators` (docs/formulas.md §"Earned value"). The records behind a figure are the
projects, listed through the gate (`projects.selectors`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.core.zones import local_date
from oversight.kpi.facts import Period
from oversight.projects import indicators
from oversight.projects.models import Snapshot
from oversight.projects.selectors import project_list
from oversight.tenancy.models import Organisation

OWNER = "projects"
LOADER = "projects"
RECORD_PROJECT = "project"


def load_project_facts(scope: Scope, period: Period) -> list[indicators.ProjectFacts]:
    """Per project of the vendor, its latest snapshot with a status date in the period."""
    organisation = Organisation.objects.get(pk=scope.organisation_id)
    first = local_date(period.start, organisation)
    # The period is half-open: its last local day is the day before the local date of its end.
    end = local_date(period.end, organisation)
    rows = (
        Snapshot.objects.filter(
            project__organisation_id=scope.organisation_id,
            project__vendor_id=scope.vendor_id,
            status_date__gte=first,
            status_date__lt=end,
        )
        .order_by("project_id", "status_date")
        .values_list("project_id", "status_date", "pv", "ev", "ac", "milestones_late")
    )
    latest = {}
    for project_id, day, pv, ev, ac, late in rows:
        latest[project_id] = indicators.ProjectFacts(project_id, day, pv, ev, ac, late)
    return list(latest.values())


def _projects(*, user, period, ids):
    return project_list(user=user).filter(pk__in=ids)


def register() -> None:
    """Register the loader, the record kind and the three sources (once, from `ProjectsConfig.ready()`)."""
    if registry.find(indicators.PROJECT_SPI) is not None:
        return
    registry.register_loader(Loader(LOADER, load_project_facts, list))
    registry.register_record_kind(
        RecordKind(
            RECORD_PROJECT,
            _("Projects"),
            _projects,
            ("created_at", "pk"),
            lambda r: {"id": r.pk, "number": r.number, "name": r.name, "status": r.status},
            "projects/partials/records/project.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


SOURCES = (
    Source(
        code=indicators.PROJECT_SPI,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Project schedule performance, SPI (%)"),
        short_label=_("Project SPI"),
        definition=_(
            "Earned value over planned value of the vendor's projects, each at its latest status date in the "
            "period, summed before dividing (100 = on plan)."
        ),
        record_kind=RECORD_PROJECT,
        loader=LOADER,
        compute=lambda f, w: indicators.project_spi(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
    Source(
        code=indicators.PROJECT_CPI,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Project cost performance, CPI (%)"),
        short_label=_("Project CPI"),
        definition=_(
            "Earned value over actual cost of the vendor's projects, each at its latest status date in the "
            "period, summed before dividing (100 = on budget)."
        ),
        record_kind=RECORD_PROJECT,
        loader=LOADER,
        compute=lambda f, w: indicators.project_cpi(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
    Source(
        code=indicators.MILESTONE_SLIPPAGE,
        dimension=Dimension.PROCESSES,
        unit=Unit.COUNT,
        higher_is_better=False,
        label=_("Project milestones slipped"),
        short_label=_("Milestones slipped"),
        definition=_(
            "Milestones of the vendor's projects reached late or overdue, at each project's latest status date "
            "in the period."
        ),
        record_kind=RECORD_PROJECT,
        loader=LOADER,
        compute=lambda f, w: indicators.milestone_slippage(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
)
