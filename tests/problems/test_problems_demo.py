"""The demo problems: several states with linked incidents, known errors and a pending suggestion, once."""

from __future__ import annotations

import datetime as dt

from oversight.core import clock
from oversight.problems.demo import load_demo_problems
from oversight.problems.models import KnownError, Problem, ProblemSuggestion
from oversight.tenancy.models import Vendor


def test_demo_problems_in_several_states_once(world, incident):
    Vendor.objects.filter(pk=world.other_vendor.pk).update(code="net")
    # Received before the demo's problems were opened (the demo dates its steps back with the clock).
    with clock.frozen_at(clock.now() - dt.timedelta(days=20)):
        for n in range(6):
            incident(title=f"打印机卡纸 {n}")
        for n in range(3):
            incident(title=f"丢包 {n}", service=world.other_service)
    made = load_demo_problems(world.org)
    states = {p.title: p.status for p in made}
    assert states == {
        "病房打印机频繁卡纸": "known_error",
        "自助机读卡器无响应": "new",
        "门诊楼交换机间歇性丢包": "analysis",
    }
    printer = Problem.objects.get(title="病房打印机频繁卡纸")
    assert printer.incident_links.count() == 4 and printer.service == world.service
    assert len(printer.five_whys) == 5 and printer.workaround_communicated_at is not None
    assert KnownError.objects.filter(problem=printer).exists()
    assert KnownError.objects.filter(problem__isnull=True).count() == 1
    assert Problem.objects.get(title="门诊楼交换机间歇性丢包").incident_links.count() == 3
    # Run again: nothing new.
    assert [p.pk for p in load_demo_problems(world.org)] == sorted(p.pk for p in made)
    assert Problem.objects.count() == 3 and KnownError.objects.count() == 2
    assert ProblemSuggestion.objects.filter(status="open").count() <= 1
