"""Workforce data of the BPO demo organisation (`load_demo_workforce(organisation)`, run by `demo_load` after the
contact-centre loader): for every queue the vendor's weekly forecasts (published each Friday evening for the next
week, with the vendor's usual error and one under-forecast day a week), the client's own forecasts for the busiest
queues (a backtest chooses the model of the busiest one), and breach attribution over the forecast weeks.

Seeded, so a reload gives the same figures; kept short (a few fits, bulk inserts inside the services)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Sum

from oversight.contactcentre.models import IntervalFact, Queue
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.workforce import data, services
from oversight.workforce.choices import ForecastModel, ForecastSource

VENDOR_WEEKS = 8
CLIENT_WEEKS = 2
CLIENT_QUEUES = 2
SEED = 1212


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _at_local(queue: Queue, day: dt.date, hour: int) -> dt.datetime:
    zone = zone_of(queue.organisation)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def _vendor_manager(queue: Queue, fallback):
    user = User.objects.filter(vendor=queue.vendor, role=Role.VENDOR_MANAGER, is_active=True).order_by("pk").first()
    return user or fallback


def _client_operator(organisation):
    return (
        User.objects.filter(organisation=organisation, role__in=[Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR])
        .order_by("role", "pk")
        .first()
    )


def _vendor_forecasts(queue: Queue, weeks: list[dt.date], operator, rng) -> int:
    """One snapshot per week: the week's actual volume with the vendor's error (about 8 %, biased 3 % low), one
    day a week forecast a quarter too low (a surge the vendor missed); the last week, still ahead, repeats the
    previous week's actuals with the same error."""
    actor = _vendor_manager(queue, operator)
    n = data.per_day(queue)
    made = 0
    for index, monday in enumerate(weeks):
        days = data.day_range(monday, monday + dt.timedelta(days=6))
        source_days = days if index < len(weeks) - 1 else [d - dt.timedelta(days=7) for d in days]
        actual = data.actuals(queue, source_days).offered
        if not actual.any():
            continue
        noise = rng.normal(0.97, 0.08, actual.shape).clip(0.6, 1.4)
        low_day = int(rng.integers(0, 5))
        noise[low_day * n : (low_day + 1) * n] *= 0.75
        volume = np.round(actual * noise, 1)
        published = _at_local(queue, monday - dt.timedelta(days=3), 18)
        with clock.frozen_at(published):
            services.snapshot_publish(
                queue=queue,
                source=ForecastSource.VENDOR,
                model=ForecastModel.SUBMITTED,
                points=list(zip(data.grid(queue, days), volume.tolist(), [None] * len(volume), strict=True)),
                actor=actor,
                note="WFM export",
            )
        made += 1
    return made


def _client_forecasts(queue: Queue, weeks: list[dt.date], operator, model: str) -> int:
    made = 0
    for monday in weeks:
        with clock.frozen_at(_at_local(queue, monday - dt.timedelta(days=1), 20)):
            services.client_forecast_create(queue=queue, actor=operator, model=model, horizon_days=7, first_day=monday)
        made += 1
    return made


def load_demo_workforce(organisation) -> dict:
    """Forecasts, a backtest and attribution for the organisation's queues; returns what it made."""
    queues = list(Queue.objects.filter(organisation=organisation, active=True).select_related("organisation"))
    operator = _client_operator(organisation)
    if not queues or operator is None:
        return {"queues": 0}
    rng = np.random.default_rng(SEED)
    last_fact = (
        IntervalFact.objects.filter(queue__organisation=organisation, is_current=True)
        .order_by("-interval_start")
        .values_list("interval_start", flat=True)
        .first()
    )
    if last_fact is None:
        return {"queues": 0}
    last_day = last_fact.astimezone(zone_of(organisation)).date()
    next_monday = _monday(last_day) + dt.timedelta(days=7)
    vendor_weeks = [next_monday - dt.timedelta(days=7 * k) for k in range(VENDOR_WEEKS, -1, -1)]
    made = {"queues": len(queues), "vendor_snapshots": 0, "client_snapshots": 0, "backtests": 0, "missed": 0}
    for queue in queues:
        made["vendor_snapshots"] += _vendor_forecasts(queue, vendor_weeks, operator, rng)
    volumes = (
        IntervalFact.objects.filter(queue__in=queues, is_current=True)
        .values("queue")
        .annotate(total=Sum("offered"))
        .order_by("-total")
    )
    busiest = [q for q in (next(x for x in queues if x.pk == v["queue"]) for v in volumes)][:CLIENT_QUEUES]
    client_weeks = [next_monday - dt.timedelta(days=7 * k) for k in range(CLIENT_WEEKS, -1, -1)]
    for rank, queue in enumerate(busiest):
        model = ForecastModel.SEASONAL_NAIVE
        if rank == 0:
            with clock.frozen_at(_at_local(queue, last_day, 22)):
                run = services.backtest_run(queue=queue, actor=operator, origins=2, last_day=last_day)
            made["backtests"] += 1
            model = run.chosen_model or ForecastModel.ETS
        made["client_snapshots"] += _client_forecasts(queue, client_weeks, operator, model)
    first_day = vendor_weeks[0]
    for queue in queues:
        with clock.frozen_at(_at_local(queue, last_day, 23)):
            made["missed"] += services.attribution_apply(
                queue=queue, first_day=first_day, last_day=last_day, actor=operator
            )
    return made
