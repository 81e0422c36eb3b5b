"""Fixtures of the project tests: a Monday-to-Friday calendar and a small planned project with BAC 4 000.

The plan (all in November 2026, working days Monday to Friday):
- 1 Analysis (summary): 1.1 Requirements 1 000, percent complete, 11-02 … 11-06 (5 days, 200 a day);
  1.2 Design 1 000, 50/50, 11-09 … 11-13 (5 days);
- 2 Build 2 000, weighted milestones, 11-16 … 11-27 (10 days); milestones M1 (weight 1, 11-20) and
  M2 (weight 3, 11-27) weigh towards it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource
from oversight.projects import services

D = Decimal
WORKWEEK = {d: [(540, 1020)] for d in range(5)} | {5: [], 6: []}


def day(month: int, dd: int) -> dt.date:
    return dt.date(2026, month, dd)


@pytest.fixture
def english():
    """Messages in English, so refusals can be matched by their words."""
    with translation.override("en"):
        yield


@pytest.fixture
def workweek(world):
    return catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="Mon-Fri",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.NONE,
        weekly=WORKWEEK,
    )


@pytest.fixture
def planned(world, workweek):
    """A project in planning with the plan of the module docstring; returns a namespace of its parts."""
    admin = world.users["client_admin"]
    project = services.project_create(
        actor=admin,
        name="Desk onboarding",
        name_en="Desk onboarding",
        kind="vendor_onboarding",
        vendor=world.vendor,
        calendar=workweek,
        bac=D(4000),
        vendor_owner=world.users["vendor_agent"],
    )
    analysis = services.work_package_create(
        actor=admin, project=project, code="1", name="Analysis", planned_start=day(11, 2), planned_finish=day(11, 13)
    )
    requirements = services.work_package_create(
        actor=admin,
        project=project,
        code="1.1",
        name="Requirements",
        parent=analysis,
        planned_start=day(11, 2),
        planned_finish=day(11, 6),
        budget=D(1000),
        ev_method="percent",
    )
    design = services.work_package_create(
        actor=admin,
        project=project,
        code="1.2",
        name="Design",
        parent=analysis,
        planned_start=day(11, 9),
        planned_finish=day(11, 13),
        budget=D(1000),
        ev_method="50_50",
        depends_on=[requirements],
    )
    build = services.work_package_create(
        actor=admin,
        project=project,
        code="2",
        name="Build",
        planned_start=day(11, 16),
        planned_finish=day(11, 27),
        budget=D(2000),
        ev_method="milestones",
        depends_on=[design],
    )
    m1 = services.milestone_create(
        actor=admin, project=project, name="M1", planned_date=day(11, 20), weight=1, work_package=build
    )
    m2 = services.milestone_create(
        actor=admin, project=project, name="M2", planned_date=day(11, 27), weight=3, work_package=build
    )

    class Plan:
        pass

    plan = Plan()
    plan.project, plan.analysis, plan.requirements, plan.design, plan.build = (
        project,
        analysis,
        requirements,
        design,
        build,
    )
    plan.m1, plan.m2 = m1, m2
    return plan


@pytest.fixture
def started(world, planned):
    """The planned project, started by the client supervisor (baseline 1 set)."""
    planned.project = services.project_transition(
        actor=world.users["client_supervisor"], project=planned.project, action="start"
    )
    return planned


from tests.api.conftest import api  # noqa: E402, F401 - fixture
