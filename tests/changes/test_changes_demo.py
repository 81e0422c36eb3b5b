"""The demo changes on the demo hospital: every state, a CAB decision, a blackout conflict, templates; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.catalog import calendars
from oversight.changes.choices import CabDecision, ChangeStatus
from oversight.changes.demo import load_demo_changes
from oversight.changes.models import CabAgendaItem, Change, ChangeTemplate
from oversight.core import clock
from oversight.demo.scenario import build_scenario

NOW = dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_calendar_specs():
    calendars._cache.clear()


def test_demo_changes(db, django_capture_on_commit_callbacks):
    scenario = build_scenario(now=NOW)
    organisation = scenario.organisation
    with clock.frozen_at(NOW), django_capture_on_commit_callbacks(execute=True):
        made = load_demo_changes(organisation)
    assert {c.status for c in Change.objects.filter(organisation=organisation)} == set(ChangeStatus.values)
    assert ChangeTemplate.objects.filter(organisation=organisation).count() == 3
    decisions = set(CabAgendaItem.objects.values_list("decision", flat=True))
    assert CabDecision.REJECT in decisions
    flagged = Change.objects.get(title="电子病历系统版本升级")
    assert flagged.status == ChangeStatus.SCHEDULED
    assert [c["code"] for c in flagged.conflict_codes] == ["blackout"]
    assert Change.objects.filter(unauthorised=True).count() == 1
    with clock.frozen_at(NOW):
        again = load_demo_changes(organisation)
    assert len(again) == len(made) == Change.objects.count()
