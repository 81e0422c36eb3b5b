"""Fixtures for the change tests: a change maker and a standard change template."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.changes import services as changes
from oversight.core import clock


@pytest.fixture
def window():
    """`window(hours_from_now, length_hours)`: a planned (start, end) pair from the test clock."""

    def make(start_hours: float = 24, length_hours: float = 2):
        start = clock.now().replace(microsecond=0) + dt.timedelta(hours=start_hours)
        return start, start + dt.timedelta(hours=length_hours)

    return make


@pytest.fixture
def change(world):
    """`change(**fields)`: a normal change implemented by the world's vendor, requested by its agent."""

    def make(*, actor=None, title="Replace ward 3 switch", **kwargs):
        kwargs.setdefault("implementer", world.vendor)
        kwargs.setdefault("implementation_plan", "Swap the switch, restore the configuration")
        kwargs.setdefault("backout_plan", "Put the old switch back")
        kwargs.setdefault("services", [world.service])
        return changes.change_create(actor=actor or world.users["vendor_agent"], title=title, **kwargs)

    return make


@pytest.fixture
def template(world):
    """A pre-approved standard change of the world's organisation."""
    return changes.change_template_create(
        actor=world.users["client_supervisor"],
        name="Replace a printer toner",
        implementation_plan="Open, swap the cartridge, print a test page",
        backout_plan="Put the old cartridge back",
        test_plan="Print a test page",
        service=world.service,
        expected_outage_minutes=5,
    )


# The configuration tests' CI fixtures (classes, relation types, a CI maker), for changes that affect items.
from tests.configuration.conftest import (  # noqa: E402, F401
    ci,
    classes,
    estate,  # noqa: E402, F401
    relation,
)
from tests.problems.conftest import incident  # noqa: E402, F401
