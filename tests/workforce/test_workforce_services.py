"""Publishing forecast snapshots (immutable), the vendor's CSV import (all or nothing, idempotent), the client's
own forecast and the backtest, and who may do each."""

import datetime as dt
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.workforce import services
from oversight.workforce.models import BacktestRun, ForecastPoint, ForecastSnapshot
from tests.workforce.conftest import fact, local

DAY = dt.date(2026, 3, 2)  # a Monday
NOW = dt.datetime(2026, 3, 20, 4, 0, tzinfo=dt.UTC)


def publish(world, cc, actor_key="vendor_manager", **kwargs):
    points = kwargs.pop("points", [(local(DAY, 9), 100, None), (local(DAY, 9, 30), 120, Decimal("200"))])
    source = kwargs.pop("source", "vendor")
    model = kwargs.pop("model", "submitted")
    with clock.frozen_at(NOW):
        return services.snapshot_publish(
            queue=cc.queue, source=source, model=model, points=points, actor=world.users[actor_key], **kwargs
        )


def test_vendor_manager_publishes_and_it_is_audited(world, cc):
    snap = publish(world, cc)
    assert snap.points.count() == 2
    assert snap.period_start == local(DAY, 9).astimezone(dt.UTC)
    assert snap.period_end == local(DAY, 10).astimezone(dt.UTC)
    assert AuditEntry.objects.filter(action="workforce.snapshot.published", object_id=str(snap.pk)).exists()


def test_a_snapshot_and_its_points_cannot_be_changed(world, cc):
    snap = publish(world, cc)
    snap.note = "edited afterwards"
    with pytest.raises(ApplicationError):
        snap.save()
    point = snap.points.first()
    point.offered = Decimal("1")
    with pytest.raises(ApplicationError):
        point.save()
    assert ForecastPoint.objects.get(pk=point.pk).offered == Decimal("100.000")


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([(local(DAY, 9, 10), 1, None)], "grid"),
        ([(local(DAY, 9), -1, None)], "≥ 0"),
        ([(local(DAY, 9), 1, None), (local(DAY, 9), 2, None)], "twice"),
        ([], "at least one"),
        ([(local(DAY, 9), "x", None)], "numbers"),
    ],
)
def test_bad_points_are_refused(world, cc, english, points, message):
    with pytest.raises(ApplicationError, match=message):
        publish(world, cc, points=points)
    assert not ForecastSnapshot.objects.exists()


@pytest.mark.parametrize("key", ["vendor_agent", "other_vendor_manager", "executive", "requester"])
def test_who_may_not_publish_a_vendor_forecast(world, cc, key):
    with pytest.raises(NotAllowed):
        publish(world, cc, actor_key=key)


def test_vendor_may_not_publish_a_client_forecast(world, cc):
    with pytest.raises(NotAllowed):
        publish(world, cc, source="client", model="ets")
    assert publish(world, cc, actor_key="client_supervisor", source="client", model="ets").source == "client"


CSV = "interval_start,offered,aht_seconds\n2026-03-02 09:00,100,180\n2026-03-02 09:30,120,\n"


def test_csv_import_and_the_same_file_again(world, cc):
    with clock.frozen_at(NOW):
        snap, created = services.vendor_forecast_import(
            queue=cc.queue, content=CSV.encode(), actor=world.users["vendor_manager"]
        )
        again, created_again = services.vendor_forecast_import(
            queue=cc.queue, content=CSV.encode(), actor=world.users["vendor_manager"]
        )
    assert created and not created_again and again.pk == snap.pk
    assert ForecastSnapshot.objects.count() == 1
    points = list(snap.points.values_list("interval_start", "offered", "aht_seconds"))
    assert points == [
        (local(DAY, 9).astimezone(dt.UTC), Decimal("100.000"), Decimal("180.000")),
        (local(DAY, 9, 30).astimezone(dt.UTC), Decimal("120.000"), None),
    ]


def test_csv_import_is_all_or_nothing_and_names_the_rows(world, cc, english):
    bad = CSV + "2026-03-02 10:15,5,\nyesterday,1,\n2026-03-02 11:00,-3,\n"
    with pytest.raises(ApplicationError) as info:
        services.vendor_forecast_import(queue=cc.queue, content=bad.encode(), actor=world.users["vendor_manager"])
    rows = info.value.extra["rows"]
    assert [r.split(":")[0] for r in rows] == ["row 4", "row 5", "row 6"]
    assert not ForecastSnapshot.objects.exists()
    with pytest.raises(ApplicationError, match="Missing column"):
        services.vendor_forecast_import(queue=cc.queue, content=b"when,n\n", actor=world.users["vendor_manager"])


def _history(cc, days=28):
    """Four weeks of a regular pattern: 09:00–17:00 local, weekdays 100 per interval, weekends 40."""
    for d in range(days):
        day = DAY + dt.timedelta(days=d)
        for h in range(9, 17):
            fact(cc.queue, local(day, h), 100 if day.weekday() < 5 else 40)


def test_client_forecast_from_history(world, cc):
    _history(cc)
    first = DAY + dt.timedelta(days=28)
    with clock.frozen_at(NOW):
        snap = services.client_forecast_create(
            queue=cc.queue, actor=world.users["client_supervisor"], model="seasonal_naive", first_day=first
        )
    assert snap.model == "seasonal_naive" and snap.training_end == first - dt.timedelta(days=1)
    assert snap.points.count() == 7 * 48
    # Seasonal naive: the same interval a week earlier (a Monday at 09:00 had 100; at 03:00 nothing).
    assert snap.points.get(interval_start=local(first, 9).astimezone(dt.UTC)).offered == Decimal("100.000")
    assert snap.points.get(interval_start=local(first, 3).astimezone(dt.UTC)).offered == Decimal("0.000")
    assert snap.points.get(interval_start=local(first + dt.timedelta(days=5), 9).astimezone(dt.UTC)).offered == 40


def test_backtest_is_stored_and_auto_uses_its_choice(world, cc):
    _history(cc, 35)
    last = DAY + dt.timedelta(days=34)
    with clock.frozen_at(NOW):
        run = services.backtest_run(
            queue=cc.queue,
            actor=world.users["client_admin"],
            models=("seasonal_naive",),
            origins=2,
            last_day=last,
        )
    assert isinstance(run, BacktestRun) and run.chosen_model == "seasonal_naive"
    assert len(run.folds) == 2 and run.mean_wape["seasonal_naive"] == pytest.approx(0.0)
    with clock.frozen_at(NOW):
        snap = services.client_forecast_create(
            queue=cc.queue, actor=world.users["client_admin"], first_day=last + dt.timedelta(days=1)
        )
    assert snap.model == "seasonal_naive"


def test_forecast_without_history_is_a_clear_error(world, cc, english):
    with pytest.raises(ApplicationError, match="No interval data"):
        services.client_forecast_create(queue=cc.queue, actor=world.users["client_admin"], first_day=DAY)
