"""Writes of workforce supervision: publish a forecast snapshot (the vendor's, by API or CSV import, or the
client's own, computed here), run a rolling-origin backtest, and apply breach attribution. Every write is
keyword-only, atomic and audited; a published snapshot is never changed afterwards."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from oversight.audit.services import audit_record
from oversight.ccmath import forecast as fc
from oversight.contactcentre.models import Queue
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.zones import local_today, zone_of
from oversight.workforce import attribution, data, permissions
from oversight.workforce.choices import ForecastModel, ForecastSource
from oversight.workforce.models import BacktestRun, ForecastPoint, ForecastSnapshot, IntervalAttribution

#: Days of history the client's forecast and the backtest train on.
TRAINING_DAYS = 56
MAX_POINTS = 50_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
#: The vendor's CSV may name its columns in Chinese.
COLUMN_ALIASES = {"时段开始": "interval_start", "预测量": "offered", "处理时长秒": "aht_seconds"}


def _check_point(queue: Queue, start: dt.datetime, offered, aht, row: int | None = None) -> tuple:
    where = _("row %(row)s: ") % {"row": row} if row is not None else ""
    if start.tzinfo is None:
        raise ApplicationError(where + _("the interval start needs a time zone."))
    start = start.astimezone(dt.UTC)
    local = start.astimezone(zone_of(queue.organisation))
    if start.second or start.microsecond or (local.hour * 60 + local.minute) % queue.interval_minutes:
        raise ApplicationError(
            where
            + _("%(time)s is not on the queue's %(minutes)s-minute grid.")
            % {"time": local.strftime("%Y-%m-%d %H:%M"), "minutes": queue.interval_minutes}
        )
    try:
        offered = Decimal(str(offered))
        aht = None if aht in (None, "") else Decimal(str(aht))
    except (InvalidOperation, ValueError):
        raise ApplicationError(where + _("the volume and handle time must be numbers.")) from None
    if not offered.is_finite() or offered < 0 or offered >= Decimal("1e9"):
        raise ApplicationError(where + _("the forecast volume must be a number ≥ 0."))
    if aht is not None and (not aht.is_finite() or aht <= 0 or aht >= Decimal("1e6")):
        raise ApplicationError(where + _("the handle time must be a number of seconds > 0."))
    return start, offered.quantize(Decimal("0.001")), None if aht is None else aht.quantize(Decimal("0.001"))


@transaction.atomic
def snapshot_publish(
    *,
    queue: Queue,
    source: str,
    model: str,
    points,
    actor,
    parameters: dict | None = None,
    training_start: dt.date | None = None,
    training_end: dt.date | None = None,
    note: str = "",
    file_sha256: str = "",
) -> ForecastSnapshot:
    """Publish a forecast snapshot with its points ``[(interval_start, offered, aht_seconds | None), …]``.

    The vendor's staff publish their vendor's forecasts; the client's operators publish both kinds. Points are
    checked (on the queue's grid, no interval twice, volumes ≥ 0); nothing is stored unless all are valid."""
    if source not in ForecastSource.values or model not in ForecastModel.values:
        raise ApplicationError(_("Unknown forecast source or model."))
    if (source == ForecastSource.VENDOR) != (model == ForecastModel.SUBMITTED):
        raise ApplicationError(_("A vendor's forecast is 'submitted'; the client's names its model."))
    permissions.require_publish(actor, queue, source)
    checked = []
    seen = set()
    for row, (start, offered, aht) in enumerate(points, start=1):
        point = _check_point(queue, start, offered, aht, row)
        if point[0] in seen:
            raise ApplicationError(_("row %(row)s: the interval appears twice.") % {"row": row})
        seen.add(point[0])
        checked.append(point)
    if not checked:
        raise ApplicationError(_("A forecast needs at least one interval."))
    if len(checked) > MAX_POINTS:
        raise ApplicationError(_("At most %(n)s intervals per forecast.") % {"n": MAX_POINTS})
    checked.sort()
    snapshot = ForecastSnapshot.objects.create(
        queue=queue,
        source=source,
        model=model,
        parameters=parameters or {},
        training_start=training_start,
        training_end=training_end,
        period_start=checked[0][0],
        period_end=checked[-1][0] + dt.timedelta(minutes=queue.interval_minutes),
        note=note[:300],
        file_sha256=file_sha256,
        created_at=clock.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    ForecastPoint.objects.bulk_create(
        [ForecastPoint(snapshot=snapshot, interval_start=s, offered=o, aht_seconds=a) for s, o, a in checked],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="workforce.snapshot.published",
        obj=snapshot,
        organisation=queue.organisation,
        after={"queue": queue.pk, "source": source, "model": model, "points": len(checked)},
    )
    return snapshot


def _parse_local(text: str, zone) -> dt.datetime:
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ValueError(text)


def vendor_forecast_import(*, queue: Queue, content: bytes, actor, note: str = "") -> tuple[ForecastSnapshot, bool]:
    """Import the vendor's forecast from a CSV (columns ``interval_start`` in the organisation's local time,
    ``offered``, optional ``aht_seconds``): all rows or none, each refusal naming its row. The same file again for
    the same queue publishes nothing and returns the snapshot it made the first time (``False``)."""
    permissions.require_publish(actor, queue, ForecastSource.VENDOR)
    if len(content) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is larger than 5 MB."))
    digest = hashlib.sha256(content).hexdigest()
    existing = ForecastSnapshot.objects.filter(queue=queue, source=ForecastSource.VENDOR, file_sha256=digest).first()
    if existing is not None:
        return existing, False
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(_("The file is not UTF-8 text (save the CSV as UTF-8).")) from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames:
        reader.fieldnames = [COLUMN_ALIASES.get(c.strip(), c.strip()) for c in reader.fieldnames]
    columns = set(reader.fieldnames or [])
    missing = {"interval_start", "offered"} - columns
    if missing:
        raise ApplicationError(_("Missing column(s): %(cols)s.") % {"cols": ", ".join(sorted(missing))})
    zone = zone_of(queue.organisation)
    points, errors = [], []
    for row_number, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        try:
            start = _parse_local(row["interval_start"], zone)
        except ValueError:
            errors.append(
                _("row %(row)s: the interval start is not a date and time (YYYY-MM-DD HH:MM).") % {"row": row_number}
            )
            continue
        try:
            points.append(_check_point(queue, start, row["offered"], row.get("aht_seconds"), row_number))
        except ApplicationError as exc:
            errors.append(str(exc.message))
    if errors:
        raise ApplicationError(
            _("The file was not imported: %(n)s row(s) refused.") % {"n": len(errors)}, extra={"rows": errors[:200]}
        )
    snapshot = snapshot_publish(
        queue=queue,
        source=ForecastSource.VENDOR,
        model=ForecastModel.SUBMITTED,
        points=points,
        actor=actor,
        note=note,
        file_sha256=digest,
    )
    audit_record(
        actor=actor,
        action="workforce.vendor_forecast.imported",
        obj=snapshot,
        organisation=queue.organisation,
        after={"sha256": digest, "points": len(points)},
    )
    return snapshot, True


def _history(queue: Queue, last_day: dt.date, days: int):
    history_days = data.day_range(last_day - dt.timedelta(days=days - 1), last_day)
    act = data.actuals(queue, history_days)
    return history_days, act


def _from_first_data(queue: Queue, act: data.Actuals, days: list[dt.date]):
    """The volumes and days from the first day with any interval fact (days before the data are not zeros)."""
    if not act.present.any():
        raise ApplicationError(_("No interval data before this day to forecast from."))
    first = int(act.present.argmax()) // data.per_day(queue)
    return act.offered[first * data.per_day(queue) :], days[first:]


def client_forecast_create(
    *, queue: Queue, actor, model: str = "auto", horizon_days: int = 7, first_day: dt.date | None = None
) -> ForecastSnapshot:
    """Forecast the queue from ``first_day`` (default today, local) for ``horizon_days`` with ``model`` ("auto":
    the latest backtest's choice, else ETS) on the previous TRAINING_DAYS days, and publish it as a snapshot."""
    permissions.require_publish(actor, queue, ForecastSource.CLIENT)
    if not 1 <= horizon_days <= 35:
        raise ApplicationError(_("The horizon must be 1 to 35 days."))
    if model == "auto":
        latest = BacktestRun.objects.filter(queue=queue).exclude(chosen_model="").first()
        model = latest.chosen_model if latest else ForecastModel.ETS
    if model not in fc.MODELS:
        raise ApplicationError(_("Unknown forecast model."))
    first_day = first_day or local_today(queue.organisation)
    history_days, act = _history(queue, first_day - dt.timedelta(days=1), TRAINING_DAYS)
    values, history_days = _from_first_data(queue, act, history_days)
    future = data.day_range(first_day, first_day + dt.timedelta(days=horizon_days - 1))
    events = data.china_events(history_days + future)
    try:
        predicted, params = fc.forecast(
            model, values, history_days, data.per_day(queue), future, events.holidays, events.adjusted
        )
    except ValueError as exc:
        raise ApplicationError(_("The forecast could not be made: %(reason)s") % {"reason": exc}) from None
    if events.missing_years:
        params["calendar_missing_years"] = list(events.missing_years)
    starts = data.grid(queue, future)
    return snapshot_publish(
        queue=queue,
        source=ForecastSource.CLIENT,
        model=model,
        points=[(s, round(float(v), 3), None) for s, v in zip(starts, predicted, strict=True)],
        actor=actor,
        parameters=params,
        training_start=history_days[0],
        training_end=history_days[-1],
    )


@transaction.atomic
def backtest_run(
    *, queue: Queue, actor, horizon_days: int = 7, origins: int = 3, models=fc.MODELS, last_day: dt.date | None = None
) -> BacktestRun:
    """Rolling-origin backtest of the models on the queue's last TRAINING_DAYS + folds days up to ``last_day``
    (default yesterday), stored with every fold and the model chosen (lowest mean WAPE)."""
    permissions.require_publish(actor, queue, ForecastSource.CLIENT)
    last_day = last_day or local_today(queue.organisation) - dt.timedelta(days=1)
    history_days, act = _history(queue, last_day, TRAINING_DAYS + horizon_days * origins)
    values, history_days = _from_first_data(queue, act, history_days)
    events = data.china_events(history_days)
    try:
        result = fc.backtest(
            values,
            history_days,
            data.per_day(queue),
            events.holidays,
            events.adjusted,
            models=models,
            horizon_days=horizon_days,
            origins=origins,
            max_training_days=TRAINING_DAYS,
        )
    except ValueError as exc:
        raise ApplicationError(_("The backtest could not be run: %(reason)s") % {"reason": exc}) from None
    run = BacktestRun.objects.create(
        queue=queue,
        training_end=last_day,
        horizon_days=horizon_days,
        origins=origins,
        chosen_model=result.chosen or "",
        mean_wape={k: round(v, 6) for k, v in result.mean_wape.items()},
        folds=[
            {
                "model": f.model,
                "origin": f.origin.isoformat(),
                "wape": None if f.wape is None else round(f.wape, 6),
                "smape": round(f.smape, 6),
                "mase": None if f.mase is None else round(f.mase, 6),
            }
            for f in result.folds
        ],
        created_at=clock.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="workforce.backtest.run",
        obj=run,
        organisation=queue.organisation,
        after={"chosen": run.chosen_model, "mean_wape": run.mean_wape},
    )
    return run


@transaction.atomic
def attribution_apply(*, queue: Queue, first_day: dt.date, last_day: dt.date, actor) -> int:
    """Attribute every interval of ``first_day``…``last_day`` (local days) that missed the service level and store
    the verdicts, replacing the period's earlier ones; returns how many intervals missed. ``actor`` None is the
    system (after an import or a vendor forecast)."""
    if actor is not None and not permissions.may_manage(actor, queue):
        raise NotAllowed(_("You may not apply attribution to this queue."))
    if last_day < first_day or (last_day - first_day).days > 400:
        raise ApplicationError(_("The period must run forwards and span at most 400 days."))
    days = data.day_range(first_day, last_day)
    found = attribution.verdicts(queue, days)
    start = data.day_start(queue, first_day)
    end = data.day_start(queue, last_day + dt.timedelta(days=1))
    IntervalAttribution.objects.filter(queue=queue, interval_start__gte=start, interval_start__lt=end).delete()
    now = clock.now()
    IntervalAttribution.objects.bulk_create(
        [
            IntervalAttribution(
                queue=queue,
                interval_start=v.interval_start,
                term=v.term,
                snapshot=v.snapshot,
                offered=v.offered,
                forecast_offered=None if v.forecast_offered is None else data.to_decimal(v.forecast_offered),
                service_level=data.to_decimal(v.service_level, "0.000001"),
                target=data.to_decimal(v.target, "0.000001"),
                staffed_agents=data.to_decimal(v.staffed),
                required_for_forecast=(
                    None if v.required_for_forecast is None else data.to_decimal(v.required_for_forecast)
                ),
                excused=v.excused,
                reason=v.reason,
                computed_at=now,
            )
            for v in found
        ],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="workforce.attribution.applied",
        object_type="contactcentre.queue",
        object_id=queue.pk,
        organisation=queue.organisation,
        after={
            "from": first_day,
            "to": last_day,
            "missed": len(found),
            "excused": sum(1 for v in found if v.excused),
        },
    )
    return len(found)
