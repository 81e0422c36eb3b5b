"""The project indicators (SPI, CPI, milestone slippage per vendor and period): by hand on plain facts, and
registered sources computed from stored snapshots against an independent sum over them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core.kpis import Facts, Scope, Window, registry
from oversight.kpi.facts import Period
from oversight.projects import indicators, services
from oversight.projects.indicators import ProjectFacts
from oversight.projects.models import Snapshot
from tests.projects.conftest import day
from tests.projects.test_projects_services import record_first_week

D = Decimal


def test_sums_before_dividing_by_hand():
    projects = [
        ProjectFacts(1, day(11, 30), pv=D(1000), ev=D(900), ac=D(1200), milestones_late=1),
        ProjectFacts(2, day(11, 30), pv=D(3000), ev=D(3100), ac=D(2800)),
    ]
    # SPI: 4 000 / 4 000 = 100 %; CPI: 4 000 / 4 000 = 100 % — not the mean of 90 % and 103.3 %
    assert indicators.project_spi(projects).value == D(100)
    assert indicators.project_cpi(projects).value == D(100)
    slipped = indicators.milestone_slippage(projects)
    assert slipped.value == 1 and slipped.numerator_ids == (1,)
    assert indicators.project_spi([]).value is None


def test_registered_sources_from_snapshots(world, started):
    record_first_week(world, started)
    services.progress_record(
        actor=world.users["vendor_manager"],
        project=started.project,
        status_date=day(11, 23),
        lines=[{"work_package": started.design, "finished": True}],
    )
    # November, local dates: the latest snapshot (11-23) counts, the one of 11-11 does not.
    start = dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC)  # 2026-11-01 00:00 in Shanghai
    end = dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC)
    period = Period(start, end)
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=end)
    facts = Facts(scope, period)
    window = Window(period=period, at=end)

    def value(code):
        source = registry.get(code)
        return source.compute(facts.get(source.loader), window)

    latest = Snapshot.objects.get(project=started.project, status_date=day(11, 23))
    # independently: the snapshot's own EV/PV and EV/AC (PV 2 000 + 6 of Build's 10 days = 3 200); M1 (planned
    # 11-20) is overdue at 11-23
    assert value(indicators.PROJECT_SPI).value == latest.ev / latest.pv * 100 == D("62.5")
    cpi = value(indicators.PROJECT_CPI).value
    assert round(cpi, 6) == round(latest.ev / latest.ac * 100, 6) == D("117.647059")
    assert latest.ev == D(2000) and latest.pv == D(3200) and latest.ac == D(1700)
    assert value(indicators.MILESTONE_SLIPPAGE).value == 1
    # another vendor has no projects: nothing measured
    other = Facts(Scope(organisation_id=world.org.pk, vendor_id=world.other_vendor.pk, evaluated_at=end), period)
    assert registry.get(indicators.PROJECT_SPI).compute(other.get("projects"), window).value is None
