"""Generated work orders, ratings and complaints for the service-facts tests."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.catalog import calendars
from oversight.demo.generator import generate_work_orders
from oversight.demo.scenario import build_scenario
from oversight.feedback.demo import load_demo_ratings

NOW = dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC)  # a Wednesday, 10:30 in Beijing: November is running


@pytest.fixture
def organisation(db):
    calendars._cache.clear()
    organisation = build_scenario(now=NOW).organisation
    generate_work_orders(organisation=organisation, count=600, seed=23, now=NOW, days=160)
    load_demo_ratings(organisation, share=0.35, seed=5)
    return organisation
