"""The demo loader on ten weeks of seeded interval facts: the vendor's weekly snapshots, a backtest and the
client's forecasts for the busiest queue, attribution over the forecast weeks; all computed, nothing invented."""

import datetime as dt
from decimal import Decimal

import numpy as np

from oversight.contactcentre.models import IntervalFact
from oversight.core import clock
from oversight.workforce.demo import load_demo_workforce
from oversight.workforce.models import BacktestRun, ForecastSnapshot, IntervalAttribution
from tests.workforce.conftest import local

FIRST = dt.date(2026, 1, 5)  # a Monday
DAYS = 70


def test_demo_loader(world, cc):
    rng = np.random.default_rng(5)
    rows = []
    for d in range(DAYS):
        day = FIRST + dt.timedelta(days=d)
        level = 1.0 if day.weekday() < 5 else 0.5
        for k in range(16, 40):  # 08:00–20:00
            offered = int(rng.poisson(80 * level))
            within = int(offered * rng.uniform(0.6, 0.95))
            rows.append(
                IntervalFact(
                    queue=cc.queue,
                    interval_start=local(day, k // 2, 30 * (k % 2)).astimezone(dt.UTC),
                    offered=offered,
                    answered=offered,
                    answered_within_threshold=within,
                    talk_seconds=Decimal(180 * offered),
                    staffed_agents=Decimal(int(rng.integers(6, 14))),
                )
            )
    IntervalFact.objects.bulk_create(rows)
    with clock.frozen_at(dt.datetime.combine(FIRST + dt.timedelta(days=DAYS), dt.time(4), tzinfo=dt.UTC)):
        made = load_demo_workforce(world.org)
    assert made["vendor_snapshots"] == 9  # eight past weeks and the next one, for the one queue with data
    assert ForecastSnapshot.objects.filter(source="vendor", queue=cc.queue).count() == 9
    assert made["backtests"] == 1 and BacktestRun.objects.get().chosen_model in {"seasonal_naive", "ets", "mstl"}
    assert ForecastSnapshot.objects.filter(source="client").count() == made["client_snapshots"] == 3
    assert made["missed"] == IntervalAttribution.objects.count() > 0
    # Every vendor snapshot was published before the week it forecasts.
    for snap in ForecastSnapshot.objects.filter(source="vendor"):
        assert snap.created_at < snap.period_start
