"""Breach attribution against hand-built intervals: the term's tolerance is 10 %, T 20 s, target 80 %; the vendor
forecast 100 contacts at 180 s for each interval, so the fractional requirement for the forecast is
13 + (0.8 − SL(13)) ÷ (SL(14) − SL(13)) ≈ 13.05 (MISSION.md's reference intervals)."""

import datetime as dt
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.ccmath import erlang
from oversight.core import clock
from oversight.core.errors import NotAllowed
from oversight.workforce import services
from oversight.workforce.models import IntervalAttribution
from tests.workforce.conftest import fact, local

DAY = dt.date(2026, 3, 2)


def _vendor_forecast(world, cc, at, offered):
    with clock.frozen_at(at):
        return services.snapshot_publish(
            queue=cc.queue,
            source="vendor",
            model="submitted",
            points=[(local(DAY, 9) + dt.timedelta(minutes=30 * i), offered, 180) for i in range(3)],
            actor=world.users["vendor_manager"],
        )


@pytest.fixture
def missed(world, cc):
    planned = _vendor_forecast(world, cc, local(DAY, 0) - dt.timedelta(hours=10), 100)
    _vendor_forecast(world, cc, local(DAY, 8), 200)  # published after the day began: never compared
    fact(cc.queue, local(DAY, 9), 130, within=50)  # above 110 and staffed 14: excused
    fact(cc.queue, local(DAY, 9, 30), 130, within=50, staffed_agents=Decimal("12"))  # under-staffed
    fact(cc.queue, local(DAY, 10), 105, within=50)  # within the tolerance
    fact(cc.queue, local(DAY, 10, 30), 130, within=50)  # no forecast for 10:30
    fact(cc.queue, local(DAY, 11), 100, within=95)  # met: not attributed
    return planned


def test_each_reason_by_hand(world, cc, missed):
    with clock.frozen_at(local(DAY, 23)):
        count = services.attribution_apply(
            queue=cc.queue, first_day=DAY, last_day=DAY, actor=world.users["client_admin"]
        )
    assert count == 4
    rows = {r.interval_start: r for r in IntervalAttribution.objects.all()}
    at = lambda h, m=0: local(DAY, h, m).astimezone(dt.UTC)  # noqa: E731
    assert (rows[at(9)].reason, rows[at(9)].excused) == ("volume_over_forecast", True)
    assert (rows[at(9, 30)].reason, rows[at(9, 30)].excused) == ("understaffed", False)
    assert (rows[at(10)].reason, rows[at(10)].excused) == ("within_tolerance", False)
    assert (rows[at(10, 30)].reason, rows[at(10, 30)].excused) == ("no_forecast", False)
    assert at(11) not in rows
    first = rows[at(9)]
    assert first.snapshot_id == missed.pk and first.forecast_offered == Decimal("100.000")
    assert first.service_level == Decimal("0.384615")  # 50 ÷ (130 + 0), the term's default variant
    sl13 = float(erlang.erlang_c(100 / 1800, 180, 13, 20).service_level)
    assert float(first.required_for_forecast) == pytest.approx(13 + (0.8 - sl13) / (0.88835 - sl13), abs=1e-3)
    assert first.term_id == cc.term.pk
    assert AuditEntry.objects.filter(action="workforce.attribution.applied").count() == 1


def test_applying_again_replaces_and_no_option_counts_everything(world, cc, missed):
    services.attribution_apply(queue=cc.queue, first_day=DAY, last_day=DAY, actor=None)
    cc.term.forecast_tolerance = None
    cc.term.save()
    cc.queue.__dict__.pop("_workforce_terms", None)
    services.attribution_apply(queue=cc.queue, first_day=DAY, last_day=DAY, actor=None)
    assert IntervalAttribution.objects.count() == 4
    assert set(IntervalAttribution.objects.values_list("reason", flat=True)) == {"no_option"}
    assert not IntervalAttribution.objects.filter(excused=True).exists()


def test_only_operators_apply(world, cc, missed):
    for key in ("vendor_manager", "executive"):
        with pytest.raises(NotAllowed):
            services.attribution_apply(queue=cc.queue, first_day=DAY, last_day=DAY, actor=world.users[key])
