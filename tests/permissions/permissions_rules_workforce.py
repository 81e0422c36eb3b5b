"""The permission matrix's knowledge of workforce supervision: forecast snapshots, staffing and attribution.

Rules (issue 12, docs/workforce.md): the client side of the organisation sees every queue's forecasts, backtests,
staffing and attributions; vendor staff only their own vendor's queues and, of the forecasts, only the vendor's
(never the client's own); requesters and other organisations none. The client's administrators and supervisors
publish the client's forecast, run backtests and apply attribution; they and the queue's vendor manager import
or post the vendor's forecast; everyone else who sees the queue is refused (403). The queues are the contact-centre
app's (model key ``contact_queue``, built by permissions_rules_contactcentre).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.core import clock
from oversight.tenancy.choices import Role
from oversight.workforce import services
from oversight.workforce.models import BacktestRun, ForecastPoint, ForecastSnapshot, IntervalAttribution
from tests.permissions.permissions_support import CLIENT_SIDE, VENDOR_SIDE, Matrix, Payload, describe_app, side

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})


def _hour(queue) -> dt.datetime:
    return clock.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)


def build(matrix: Matrix) -> None:
    snapshots = {}
    for instance, queue in matrix.objects["contact_queue"].items():
        org_x = instance == "X"
        operator = matrix.users["foreign_admin" if org_x else "client_supervisor"]
        for source in ("vendor", "client"):
            snapshots[f"{instance}.{source}"] = services.snapshot_publish(
                queue=queue,
                source=source,
                model="submitted" if source == "vendor" else "ets",
                points=[(_hour(queue), 10, None)],
                actor=operator,
            )
    matrix.objects["forecast_snapshot"] = snapshots


def sees_snapshot(matrix: Matrix, role: str, snapshot) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != snapshot.queue.organisation_id:
        return False
    who = side(user)
    return who == "client" or (
        who == "vendor" and snapshot.queue.vendor_id == user.vendor_id and snapshot.source == "vendor"
    )


def _form(data):
    return lambda target, matrix: Payload(data() if callable(data) else dict(data))


def _json_snapshot(target, matrix) -> Payload:
    queue = matrix.objects["contact_queue"]["A.V1"]
    return Payload(
        {"queue": queue.pk, "points": [{"interval_start": _hour(queue).isoformat(), "offered": "3"}]}, json=True
    )


describe_app(
    "workforce",
    models={"forecast_snapshot": ForecastSnapshot},
    build=build,
    rules={"forecast_snapshot": sees_snapshot},
    tables=(ForecastSnapshot, ForecastPoint, BacktestRun, IntervalAttribution),
    pk_models={
        "workforce:queue": "contact_queue",
        "workforce:staffing": "contact_queue",
        "workforce:forecast_create": "contact_queue",
        "workforce:backtest": "contact_queue",
        "workforce:vendor_import": "contact_queue",
        "workforce:attribution_apply": "contact_queue",
        "workforce:snapshot": "forecast_snapshot",
    },
    gates={
        "workforce:index": READERS,
        "workforce:queue": READERS,
        "workforce:staffing": READERS,
        "workforce:snapshot": READERS,
        "workforce:forecast_create": OPERATORS,
        "workforce:backtest": OPERATORS,
        "workforce:attribution_apply": OPERATORS,
        "workforce:vendor_import": OPERATORS | {Role.VENDOR_MANAGER},
        "api:workforce-snapshot-list": READERS,
        "api:workforce-snapshot-detail": READERS,
        "api:workforce-queue-staffing": READERS,
    },
    payloads={
        ("workforce:forecast_create", "post"): _form({"model": "seasonal_naive", "horizon_days": "1"}),
        ("workforce:backtest", "post"): _form({}),
        ("workforce:attribution_apply", "post"): _form(
            lambda: {"start": (clock.now() - dt.timedelta(days=1)).date().isoformat(), "days": "2"}
        ),
        ("workforce:vendor_import", "post"): _form(
            lambda: {
                "file": SimpleUploadedFile(
                    "pmx.csv", b"interval_start,offered\n2030-01-07 09:00,5\n", content_type="text/csv"
                )
            }
        ),
        ("api:workforce-snapshot-list", "post"): _json_snapshot,
    },
)
